import { formatUsd } from '../../protocol/money';
import { silentLogger, type Logger } from '../logger';
import type { Budget, BudgetInput, BudgetPeriod, Store } from '../store';
import { Emitter } from '../events';
import { DAY_MS, nextUtcMonth, startOfUtcDay, startOfUtcMonth } from './periods';
import type { UsageTracker } from './UsageTracker';
import { errorMessage } from '../errors';

export const BUDGET_THRESHOLDS: readonly number[] = [50, 80, 100];

/** Where a budget stands in its current period. */
export interface BudgetStatus {
  readonly budget: Budget;
  readonly periodStart: string;
  readonly resetsAt: string;
  readonly spentUsd: number;
  readonly spentTokens: number;
  /** The larger of the USD and token fractions of their limits (1 = used up). */
  readonly fraction: number;
  /** Linear from the period so far: what the period will have cost by its end. */
  readonly projectedUsd: number;
  readonly projectedTokens: number;
  readonly projectedFraction: number;
  readonly firedThresholds: readonly number[];
}

/** A warning that a budget crossed 50, 80 or 100 %: fired once per budget, threshold and period. */
export interface BudgetAlert {
  readonly status: BudgetStatus;
  readonly threshold: number;
  readonly message: string;
}

export type BudgetCheck =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly budget: Budget; readonly resetsAt: string; readonly message: string };

export interface BudgetMonitorDeps {
  readonly store: Store;
  readonly userId: string;
  readonly tracker: UsageTracker;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/**
 * Budgets per configuration and overall, daily or monthly, in USD and/or tokens. After each recorded request it
 * evaluates the budgets that request counts against and fires each threshold once per period (remembered in
 * usage_budget_alerts, so another window or a restart does not fire it again).
 */
export class BudgetMonitor {
  private readonly alerts = new Emitter<BudgetAlert>();
  readonly onDidAlert = this.alerts.event;
  private readonly changes = new Emitter<void>();
  /** A budget was saved or deleted here (the palette, the dashboard): what shows the budgets reads them again. */
  readonly onDidChange = this.changes.event;
  private readonly fired = new Map<string, Set<number>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  private readonly logger: Logger;

  constructor(private readonly deps: BudgetMonitorDeps) {
    this.now = deps.now ?? (() => new Date());
    this.logger = deps.logger ?? silentLogger;
  }

  /** Evaluates after every request the tracker records; dispose the result to stop. */
  watch(): { dispose(): void } {
    return this.deps.tracker.onDidRecord((recorded) => {
      this.enqueue(recorded.entry.configurationId, recorded.entry.clientId ?? undefined);
    });
  }

  /** Resolves when every evaluation queued so far has finished. */
  async settled(): Promise<void> {
    for (;;) {
      const current = this.queue;
      await current;
      if (current === this.queue) return;
    }
  }

  listBudgets(): Budget[] {
    return this.deps.store.read((r) => r.budgets.list(this.deps.userId));
  }

  /**
   * Creates or replaces a budget; it needs a positive USD or token limit, and an existing configuration and a
   * live endpoint client if it names them.
   */
  async saveBudget(input: BudgetInput): Promise<Budget> {
    const name = input.name.trim();
    if (!name) throw new RangeError('Give the budget a name.');
    const usd = input.limitUsd ?? null;
    const tokens = input.limitTokens ?? null;
    if (usd === null && tokens === null) throw new RangeError('Set a limit in USD, in tokens, or both.');
    if ((usd !== null && !(usd > 0 && Number.isFinite(usd))) || (tokens !== null && !(Number.isInteger(tokens) && tokens > 0))) {
      throw new RangeError('A budget limit must be a positive amount (whole tokens).');
    }
    const { userId } = this.deps;
    const saved = await this.deps.store.write((r) => {
      if (input.configurationId && !r.configurations.get(userId, input.configurationId)) {
        throw new RangeError(`The configuration ${input.configurationId} no longer exists.`);
      }
      if (input.clientId) {
        const client = r.clients.get(userId, input.clientId);
        if (client?.revokedAt !== null) throw new RangeError('That endpoint client no longer exists or its token was revoked.');
      }
      const existed = input.id !== undefined && r.budgets.get(userId, input.id) !== undefined;
      const budget = r.budgets.save(userId, { ...input, name, limitUsd: usd, limitTokens: tokens });
      r.audit.record(userId, existed ? 'budget.update' : 'budget.create', 'budget', budget.id, {
        name, period: budget.period, limitUsd: usd, limitTokens: tokens, hardStop: budget.hardStop, configurationId: budget.configurationId,
        ...(budget.clientId === null ? {} : { clientId: budget.clientId }),
      });
      return budget;
    });
    this.changes.fire();
    // A budget set below what is already spent warns now, not at the next request (recordAlert keeps it to once).
    try {
      await this.evaluateBudgets([saved]);
    } catch (error) {
      this.logger.error(`Could not check the budget: ${error instanceof Error ? error.message : String(error)}`);
    }
    return saved;
  }

  async deleteBudget(id: string): Promise<void> {
    const { userId } = this.deps;
    await this.deps.store.write((r) => {
      const budget = r.budgets.get(userId, id);
      if (r.budgets.delete(userId, id)) r.audit.record(userId, 'budget.delete', 'budget', id, { name: budget?.name ?? null });
    });
    this.changes.fire();
  }

  /** Every budget of the user with its spend, projection and the warnings fired this period. */
  status(): BudgetStatus[] {
    return this.listBudgets().map((budget) => this.statusOf(budget));
  }

  /**
   * The optional hard stop: refuses when a budget with `hardStop` that covers this configuration (and, for a request
   * of the local endpoint, its client) is used up, naming the budget and when it resets. `null`: settings not saved
   * yet, covered by the overall budgets only.
   */
  checkBudget(configurationId: string | null, clientId?: string): BudgetCheck {
    for (const budget of this.applicable(configurationId, clientId)) {
      if (!budget.hardStop) continue;
      const status = this.statusOf(budget);
      if (status.fraction < 1) continue;
      const { userId } = this.deps;
      const configuration = configurationId === null ? undefined : this.deps.store.read((r) => r.configurations.get(userId, configurationId));
      const client = budget.clientId === null ? undefined : this.deps.store.read((r) => r.clients.get(userId, budget.clientId ?? ''));
      const what = configuration ? `"${configuration.name}"` : configurationId === null ? 'Testing new settings' : 'This configuration';
      const who = client ? `${what} for the client "${client.name}"` : what;
      return {
        allowed: false,
        budget,
        resetsAt: status.resetsAt,
        message: `${who} is paused: the ${periodWord(budget.period)} budget "${budget.name}" is used up (${spentText(status)}). ` +
          `It resets ${resetText(status.resetsAt)}. Raise the limit or turn off its hard stop to continue now.`,
      };
    }
    return { allowed: true };
  }

  /** Fires the thresholds newly crossed by the budgets covering a configuration and client (or every budget). */
  async evaluate(configurationId?: string, clientId?: string): Promise<BudgetAlert[]> {
    return this.evaluateBudgets(configurationId === undefined ? this.listBudgets() : this.applicable(configurationId, clientId));
  }

  /**
   * Records every threshold a budget newly crossed, and tells the highest: one request that goes from 70 % to 110 %
   * says "used up" once, not "80 %" and "used up" together.
   */
  private async evaluateBudgets(budgets: readonly Budget[]): Promise<BudgetAlert[]> {
    const candidates: { status: BudgetStatus; threshold: number }[] = [];
    for (const budget of budgets) {
      const status = this.statusOf(budget);
      const fired = new Set(status.firedThresholds);
      for (const threshold of BUDGET_THRESHOLDS) {
        if (status.fraction * 100 >= threshold && !fired.has(threshold)) candidates.push({ status, threshold });
      }
    }
    if (candidates.length === 0) return [];
    const won = await this.deps.store.write((r) => candidates.filter((c) => r.budgets.recordAlert(c.status.budget.id, c.status.periodStart, c.threshold)));
    const highest = new Map<string, { status: BudgetStatus; threshold: number }>();
    for (const c of candidates) {
      this.firedSet(c.status.budget.id, c.status.periodStart).add(c.threshold);
      if (!won.includes(c)) continue;
      const previous = highest.get(c.status.budget.id);
      if (!previous || c.threshold > previous.threshold) highest.set(c.status.budget.id, c);
    }
    const alerts: BudgetAlert[] = [];
    for (const c of highest.values()) {
      const alert = { status: c.status, threshold: c.threshold, message: alertMessage(c.status, c.threshold) };
      alerts.push(alert);
      this.alerts.fire(alert);
    }
    return alerts;
  }

  dispose(): void {
    this.alerts.dispose();
    this.changes.dispose();
  }

  private enqueue(configurationId: string, clientId: string | undefined): void {
    this.queue = this.queue.then(() => this.evaluate(configurationId, clientId)).catch((error: unknown) => {
      this.logger.error(`Could not check the budgets: ${errorMessage(error)}`);
    });
  }

  /** A client's budget covers only that client's requests; the others cover every request, VS Code's own included. */
  private applicable(configurationId: string | null, clientId?: string): Budget[] {
    return this.listBudgets().filter((b) => (b.configurationId === null || b.configurationId === configurationId) && (b.clientId === null || b.clientId === clientId));
  }

  private statusOf(budget: Budget): BudgetStatus {
    const now = this.now();
    const start = budget.period === 'day' ? startOfUtcDay(now) : startOfUtcMonth(now);
    const end = budget.period === 'day' ? new Date(start.getTime() + DAY_MS) : nextUtcMonth(now);
    const spend = this.deps.tracker.spend(budget.configurationId, start, end, budget.clientId ?? undefined);
    const elapsed = Math.max(1, now.getTime() - start.getTime());
    const scale = (end.getTime() - start.getTime()) / elapsed;
    const fractionOf = (usd: number, tokens: number): number =>
      Math.max(budget.limitUsd ? usd / budget.limitUsd : 0, budget.limitTokens ? tokens / budget.limitTokens : 0);
    const periodStart = start.toISOString();
    return {
      budget,
      periodStart,
      resetsAt: end.toISOString(),
      spentUsd: spend.costUsd,
      spentTokens: spend.tokens,
      fraction: fractionOf(spend.costUsd, spend.tokens),
      projectedUsd: spend.costUsd * scale,
      projectedTokens: spend.tokens * scale,
      projectedFraction: fractionOf(spend.costUsd * scale, spend.tokens * scale),
      firedThresholds: [...this.firedSet(budget.id, periodStart)].sort((a, b) => a - b),
    };
  }

  private firedSet(budgetId: string, periodStart: string): Set<number> {
    const key = `${budgetId}\u0000${periodStart}`;
    let set = this.fired.get(key);
    if (!set) {
      set = new Set(this.deps.store.read((r) => r.budgets.firedThresholds(budgetId, periodStart)));
      this.fired.set(key, set);
    }
    return set;
  }
}

function periodWord(period: BudgetPeriod): string {
  return period === 'day' ? 'daily' : 'monthly';
}

function tokens(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} tokens`;
}

function spentText(status: BudgetStatus): string {
  const parts: string[] = [];
  if (status.budget.limitUsd !== null) parts.push(`${formatUsd(status.spentUsd)} of ${formatUsd(status.budget.limitUsd)}`);
  if (status.budget.limitTokens !== null) parts.push(`${tokens(status.spentTokens)} of ${tokens(status.budget.limitTokens)}`);
  return parts.join(', ');
}

function resetText(iso: string): string {
  return `on ${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;
}

function alertMessage(status: BudgetStatus, threshold: number): string {
  const { budget } = status;
  const head = threshold >= 100
    ? `The ${periodWord(budget.period)} budget "${budget.name}" is used up: ${spentText(status)}.`
    : `The ${periodWord(budget.period)} budget "${budget.name}" has reached ${String(threshold)} %: ${spentText(status)}.`;
  const projection = budget.period === 'month' && threshold < 100 && budget.limitUsd !== null ? ` On this pace the month ends at ${formatUsd(status.projectedUsd)}.` : '';
  const stop = threshold >= 100 && budget.hardStop ? ' Requests are refused until it resets' : ' It resets';
  return `${head}${projection}${stop} ${resetText(status.resetsAt)}.`;
}

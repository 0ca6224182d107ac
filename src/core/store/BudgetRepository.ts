import { randomUUID } from 'node:crypto';
import { num, optionalText, text, type Row, type Sql } from './sql';

export type BudgetPeriod = 'day' | 'month';

/**
 * A spending limit: per configuration, or over every configuration of the user when `configurationId` is null; over
 * every request, or only the requests one local endpoint client sent when `clientId` is set.
 */
export interface Budget {
  readonly id: string;
  readonly userId: string;
  readonly configurationId: string | null;
  readonly clientId: string | null;
  readonly name: string;
  readonly period: BudgetPeriod;
  readonly limitUsd: number | null;
  readonly limitTokens: number | null;
  /** Refuse requests once the limit is reached (otherwise only warn). */
  readonly hardStop: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface BudgetInput {
  readonly id?: string;
  readonly configurationId?: string | null;
  readonly clientId?: string | null;
  readonly name: string;
  readonly period: BudgetPeriod;
  readonly limitUsd?: number | null;
  readonly limitTokens?: number | null;
  readonly hardStop?: boolean;
}

/** usage_budgets and the warnings already fired per period (usage_budget_alerts). */
export class BudgetRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  list(userId: string): Budget[] {
    return this.sql.all('SELECT * FROM usage_budgets WHERE user_id = ? ORDER BY configuration_id IS NOT NULL, name', [userId]).map(toBudget);
  }

  get(userId: string, id: string): Budget | undefined {
    const row = this.sql.get('SELECT * FROM usage_budgets WHERE user_id = ? AND id = ?', [userId, id]);
    return row ? toBudget(row) : undefined;
  }

  /** Creates the budget, or replaces the one with the same id. */
  save(userId: string, input: BudgetInput): Budget {
    const at = this.now();
    const id = input.id ?? randomUUID();
    const existing = this.get(userId, id);
    this.sql.run(
      `INSERT OR REPLACE INTO usage_budgets (id, user_id, configuration_id, client_id, name, period, limit_usd, limit_tokens, hard_stop, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, userId, input.configurationId ?? null, input.clientId ?? null, input.name, input.period, input.limitUsd ?? null, input.limitTokens ?? null,
        input.hardStop === true ? 1 : 0, existing?.createdAt ?? at, at],
    );
    const saved = this.get(userId, id);
    if (!saved) throw new Error(`The budget ${id} was not saved.`);
    return saved;
  }

  delete(userId: string, id: string): boolean {
    const removed = this.sql.run('DELETE FROM usage_budgets WHERE user_id = ? AND id = ?', [userId, id]) > 0;
    if (removed) this.sql.run('DELETE FROM usage_budget_alerts WHERE budget_id = ?', [id]);
    return removed;
  }

  /** Removes the budgets of one configuration (and their fired warnings); returns how many went. */
  deleteForConfiguration(userId: string, configurationId: string): number {
    const ids = this.sql.all('SELECT id FROM usage_budgets WHERE user_id = ? AND configuration_id = ?', [userId, configurationId]).map((row) => text(row.id));
    for (const id of ids) this.delete(userId, id);
    return ids.length;
  }

  /** The thresholds (percent) already fired for a budget in the period starting at `periodStart`. */
  firedThresholds(budgetId: string, periodStart: string): number[] {
    return this.sql.all('SELECT threshold FROM usage_budget_alerts WHERE budget_id = ? AND period_start = ? ORDER BY threshold', [budgetId, periodStart])
      .map((row) => num(row.threshold));
  }

  /** Marks a threshold fired; false when it already was (by this window or another). */
  recordAlert(budgetId: string, periodStart: string, threshold: number): boolean {
    return this.sql.run('INSERT OR IGNORE INTO usage_budget_alerts (budget_id, period_start, threshold, fired_at) VALUES (?, ?, ?, ?)',
      [budgetId, periodStart, threshold, this.now()]) > 0;
  }
}

function toBudget(row: Row): Budget {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    configurationId: optionalText(row.configuration_id),
    clientId: optionalText(row.client_id),
    name: text(row.name),
    period: text(row.period) === 'day' ? 'day' : 'month',
    limitUsd: row.limit_usd === null || row.limit_usd === undefined ? null : num(row.limit_usd),
    limitTokens: row.limit_tokens === null || row.limit_tokens === undefined ? null : num(row.limit_tokens),
    hardStop: num(row.hard_stop) === 1,
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
  };
}

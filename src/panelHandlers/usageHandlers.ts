// The usage dashboard's requests: reports, chart series, CSV export, health and budgets. No vscode import.
import { ConfigurationError } from '../core/services';
import { providerDisplayName } from '../core/providers/displayNames';
import type { Budget, ClientFilter } from '../core/store';
import { describePrice, resolveChartPeriod, usageSeriesCsv, type BudgetStatus, type HealthStatus, type UsageSeries } from '../core/usage';
import type { BudgetInputView, BudgetStatusView, ClientFilterView, GatewayBudgetView, HealthStatusView } from '../protocol/usage';
import type { MethodName, Params, Result } from '../protocol/rpc';
import { clipText } from '../protocol/views';
import type { StoreSession } from '../core/session';

type UsageMethod = 'usage.report' | 'usage.series' | 'usage.clients' | 'usage.exportCsv' | 'health.list' | 'health.check' | 'budgets.list' | 'budgets.save' | 'budgets.delete' | 'gatewayBudgets.list' | 'gatewayBudgets.refresh';
type UsageHandlers = { [M in UsageMethod & MethodName]: (params: Params<M>) => Promise<Result<M>> };

export interface UsageHandlerDeps {
  readonly session: StoreSession;
  /** Asks where to save a file and writes it; resolves the chosen name, or undefined when the user cancelled. */
  readonly saveFile?: (suggestedName: string, content: string) => Promise<string | undefined>;
}

export function usageHandlers({ session, saveFile }: UsageHandlerDeps): UsageHandlers {
  const { usage, budgets, health } = session;
  return {
    'usage.report': async ({ period, client }) => {
      const range = resolveChartPeriod(period, session.now());
      const report = await usage.generateUsageReport(session.userId, { from: range.from, to: range.to }, clientFilter(client));
      const presets = new Map(session.configurations.listConfigurations().map((c) => [c.id, c.config.preset]));
      return {
        from: report.from,
        to: report.to,
        widenedToWholeDays: report.widenedToWholeDays,
        generatedAt: report.generatedAt,
        totals: report.totals,
        byConfiguration: report.byConfiguration.map((c) => {
          const rateLimit = usage.rateLimitFor(c.configurationId);
          return {
            configurationId: c.configurationId,
            name: c.name === null ? null : clipText(c.name, 200),
            provider: c.provider,
            providerName: providerDisplayName(c.provider, presets.get(c.configurationId)),
            model: c.model === null ? null : clipText(c.model, 300),
            metrics: c.metrics,
            price: clipText(describePrice(c.price), 300),
            priceKind: c.price.kind,
            ...(rateLimit ? { rateLimit } : {}),
          };
        }),
        byProvider: report.byProvider.map((p) => ({ provider: p.provider, providerName: providerDisplayName(p.provider), metrics: p.metrics })),
        ...(client === undefined ? { estimatedRequests: usage.estimatedRequests(report.from, report.to) } : {}),
      };
    },
    'usage.series': ({ period, client }) => Promise.resolve(labelled(usage.series(period, clientFilter(client)), configurationNames(session))),
    'usage.clients': () => Promise.resolve(usage.clients().map((c) => ({ id: c.id, name: clipText(c.name, 200), revoked: c.revokedAt !== null }))),
    'usage.exportCsv': async ({ period, groupBy, client }) => {
      if (!saveFile) throw new ConfigurationError('validation', 'Saving a file is not available here.');
      const series = usage.series(period, clientFilter(client));
      const names = configurationNames(session);
      const csv = usageSeriesCsv(series, groupBy, (g) => (groupBy === 'provider' ? providerDisplayName(g.key) : (names.get(g.key) ?? `deleted configuration ${g.key.slice(0, 8)}`)));
      const suggested = `model-manager-usage-${series.from.slice(0, 10)}-to-${series.to.slice(0, 10)}.csv`;
      const fileName = await saveFile(suggested, csv);
      return fileName === undefined ? { saved: false } : { saved: true, fileName: fileName.slice(0, 1000) };
    },
    'health.list': () => Promise.resolve(health.summary().map(healthView)),
    'health.check': async () => (await health.checkNow()).map(healthView),
    'budgets.list': () => Promise.resolve(budgets.status().map((s) => budgetView(s, clientNames(session)))),
    'budgets.save': async ({ budget }) => {
      const problems = budgetProblems(budget, (id) => session.configurations.listConfigurations().some((c) => c.id === id));
      if (problems.length > 0) {
        throw new ConfigurationError('validation', `The budget was not saved: ${problems.map((p) => p.message).join(' ')}`, { fieldErrors: problems });
      }
      let saved: Budget;
      try {
        // A budget of one client stays that client's when the form, which does not show the client, saves it.
        const clientId = budget.clientId !== undefined ? budget.clientId : (budget.id === undefined ? null : (budgets.listBudgets().find((b) => b.id === budget.id)?.clientId ?? null));
        saved = await budgets.saveBudget({ ...(budget.id ? { id: budget.id } : {}), name: budget.name, configurationId: budget.configurationId, clientId, period: budget.period, limitUsd: budget.limitUsd, limitTokens: budget.limitTokens, hardStop: budget.hardStop });
      } catch (error) {
        if (error instanceof RangeError) throw new ConfigurationError('validation', error.message);
        throw error;
      }
      const status = budgets.status().find((s) => s.budget.id === saved.id);
      if (!status) throw new ConfigurationError('not-found', 'The budget was saved but could not be read back. Reopen the dashboard.');
      return budgetView(status, clientNames(session));
    },
    'gatewayBudgets.list': () => Promise.resolve(gatewayBudgetViews(session)),
    'gatewayBudgets.refresh': async ({ force }) => {
      await session.gatewayBudgets.refreshForView({ force: force === true });
      return gatewayBudgetViews(session);
    },
    'budgets.delete': async ({ id }) => {
      if (!budgets.listBudgets().some((b) => b.id === id)) throw new ConfigurationError('not-found', 'That budget no longer exists.');
      await budgets.deleteBudget(id);
      return { deleted: true };
    },
  };
}

/** The dashboard's choice as the store reads it: VS Code's own requests are those without a client. */
function clientFilter(client: ClientFilterView | undefined): ClientFilter | undefined {
  return client === undefined ? undefined : { clientId: client === 'vscode' ? null : client };
}

function clientNames(session: StoreSession): ReadonlyMap<string, string> {
  return new Map(session.usage.clients().map((c) => [c.id, c.name]));
}

function configurationNames(session: StoreSession): ReadonlyMap<string, string> {
  return new Map(session.configurations.listConfigurations().map((c) => [c.id, c.name]));
}

/** The series with the label each legend shows: the configuration's name, or the provider's display name. */
function labelled(series: UsageSeries, names: ReadonlyMap<string, string>): Result<'usage.series'> {
  return {
    ...series,
    byConfiguration: series.byConfiguration.map((g) => ({ ...g, label: clipText(names.get(g.key) ?? `deleted configuration ${g.key.slice(0, 8)}`, 200) })),
    byProvider: series.byProvider.map((g) => ({ ...g, label: providerDisplayName(g.key) })),
  };
}

/** Each wrong field of the budget form, with what to enter instead. */
export function budgetProblems(budget: BudgetInputView, configurationExists: (id: string) => boolean): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (budget.name.trim() === '') problems.push({ field: 'name', message: 'Give the budget a name.' });
  if (budget.limitUsd === null && budget.limitTokens === null) {
    problems.push({ field: 'limitUsd', message: 'Set a limit in USD, in tokens, or both.' });
  }
  if (budget.limitUsd !== null && !(Number.isFinite(budget.limitUsd) && budget.limitUsd > 0)) {
    problems.push({ field: 'limitUsd', message: 'Enter an amount in USD above 0, or leave it empty.' });
  }
  if (budget.limitTokens !== null && !(Number.isSafeInteger(budget.limitTokens) && budget.limitTokens > 0)) {
    problems.push({ field: 'limitTokens', message: 'Enter a whole number of tokens above 0, or leave it empty.' });
  }
  if (budget.configurationId !== null && !configurationExists(budget.configurationId)) {
    problems.push({ field: 'configurationId', message: 'That configuration no longer exists; choose another or "All configurations".' });
  }
  return problems;
}

/** Each watched LiteLLM configuration's budget, in the list's order; "not checked" until a read answers. */
function gatewayBudgetViews(session: StoreSession): GatewayBudgetView[] {
  return session.gatewayBudgets.list().flatMap(({ configuration: c, state }) => {
    const budget = state.kind === 'reported' ? state.budget : undefined;
    return [{
      configurationId: c.id,
      name: clipText(c.name, 200),
      state: state.kind,
      spendUsd: budget?.spendUsd ?? null,
      maxBudgetUsd: budget?.maxBudgetUsd ?? null,
      remainingUsd: budget?.remainingUsd ?? null,
      softBudgetUsd: budget?.softBudgetUsd ?? null,
      budgetDuration: budget?.budgetDuration?.slice(0, 32) ?? null,
      resetsAt: budget?.resetsAt ?? null,
      keyAlias: budget?.keyAlias ?? null,
      teamId: budget?.teamId ?? null,
      blocked: budget?.blocked ?? false,
      message: state.kind === 'failed' ? state.message.slice(0, 1000) : null,
      checkedAt: state.kind === 'not-checked' ? null : state.checkedAt,
    }];
  });
}

function healthView(s: HealthStatus): HealthStatusView {
  return {
    configurationId: s.configurationId,
    name: clipText(s.name, 200),
    provider: s.provider,
    state: s.state,
    lastCheckedAt: s.lastCheckedAt,
    latencyMs: s.latencyMs,
    error: s.error === null ? null : s.error.slice(0, 4000),
    errorRate: s.errorRate,
  };
}

/** The budget's client as the page shows it; null for everyone's budget or a client gone from the store. */
function clientNameOf(clientId: string | null, clients: ReadonlyMap<string, string>): string | null {
  const name = clientId === null ? undefined : clients.get(clientId);
  return name === undefined ? null : clipText(name, 200);
}

function budgetView(s: BudgetStatus, clients: ReadonlyMap<string, string>): BudgetStatusView {
  const b = s.budget;
  return {
    id: b.id,
    name: clipText(b.name, 200),
    configurationId: b.configurationId,
    clientId: b.clientId,
    clientName: clientNameOf(b.clientId, clients),
    period: b.period,
    limitUsd: b.limitUsd,
    limitTokens: b.limitTokens,
    hardStop: b.hardStop,
    spentUsd: s.spentUsd,
    spentTokens: s.spentTokens,
    fraction: s.fraction,
    projectedUsd: s.projectedUsd,
    projectedTokens: s.projectedTokens,
    projectedFraction: s.projectedFraction,
    resetsAt: s.resetsAt,
    firedThresholds: [...s.firedThresholds],
  };
}


import type { ModelCatalog } from '../catalog';
import { silentLogger, type Logger } from '../logger';
import { addDetail, emptyDetail, latencyBucketOf, type AIConfiguration, type ClientFilter, type EndpointClientRow, type RequestLogEntry, type RequestOutcome, type Store, type UsageDetail, type UsageTotals } from '../store';
import { Emitter } from '../events';
import { toMetrics, type UsageMetrics } from './metrics';
import { clampToRetention, DAY_MS, resolvePeriod, startOfUtcDay, type ResolvedPeriod, type UsagePeriod } from './periods';
import { buildUsageSeries, type ChartPeriod, type UsageSeries } from './series';
import { choosePrice, costWith, priceForResponse, priceSourceText, type PriceUsed } from './pricing';
import { parseRateLimitHeaders, parseRecordedRateLimit, remainingAt, type HeaderMap, type RateLimitState } from './rateLimits';
import { errorMessage } from '../errors';

/** One request that reached a provider (a chat, a connection test, a model list, a health check). */
export interface UsageRecord {
  readonly configurationId: string;
  /** Default: the configuration's. A route may send a member's request to another model. */
  readonly provider?: string;
  readonly model?: string;
  /** When the request was sent; default now. */
  readonly startedAt?: Date | string;
  readonly outcome: RequestOutcome;
  /** The provider's code (invalid_api_key, RESOURCE_EXHAUSTED) or our kind (timeout). */
  readonly errorCode?: string | null;
  readonly usage?: { readonly input: number; readonly output: number; readonly cached?: number; readonly cacheWrite?: number; readonly reasoning?: number } | undefined;
  readonly latencyMs?: number | null;
  readonly ttftMs?: number | null;
  /** 1 for the first try; retries within a member count up. */
  readonly attempt?: number;
  readonly routeGroupId?: string | null;
  /** "chat", "connection test", "model list", "health check", "fallback from …". */
  readonly reason?: string | null;
  /** The response headers, for the provider's rate-limit figures. */
  readonly headers?: HeaderMap;
  /** The local endpoint client that sent it (absent: VS Code itself). */
  readonly clientId?: string | null;
  /** Settings not saved as a configuration yet (a test in the editor's wizard): priced by these instead. */
  readonly unsaved?: { readonly baseUrl: string | null; readonly config: Readonly<Record<string, unknown>> };
  /** `usage` was counted locally, not reported by the provider (a request cancelled mid-answer). */
  readonly tokensEstimated?: boolean;
}

/** Tokens counted locally for a request whose provider reported none (it was cancelled mid-answer). */
export interface CountedTokens {
  readonly input: number;
  readonly output: number;
}

export interface RecordedUsage {
  readonly entry: RequestLogEntry;
  readonly costUsd: number;
  readonly price: PriceUsed;
  readonly rateLimit: RateLimitState | undefined;
}

export interface UsageTrackerDeps {
  readonly store: Store;
  readonly userId: string;
  /** The price catalog, loaded on first use (lazyCatalog). */
  readonly catalog: () => Promise<ModelCatalog>;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** Days raw request_log rows are kept; the daily rollups are kept for ever. Default 90. */
  readonly retentionDays?: number;
}

export interface ConfigurationUsage {
  readonly configurationId: string;
  /** Null for a configuration deleted since. */
  readonly name: string | null;
  readonly provider: string;
  readonly model: string | null;
  readonly metrics: UsageMetrics;
  /** The price requests of this configuration are billed at now. */
  readonly price: PriceUsed;
}

export interface ProviderUsage {
  readonly provider: string;
  readonly metrics: UsageMetrics;
  readonly configurationIds: readonly string[];
}

export interface UsageReport {
  readonly userId: string;
  readonly from: string;
  readonly to: string;
  /** True when a range edge lay in days whose raw rows were pruned, so whole days were counted there. */
  readonly widenedToWholeDays: boolean;
  readonly generatedAt: string;
  readonly totals: UsageMetrics;
  readonly byConfiguration: readonly ConfigurationUsage[];
  readonly byProvider: readonly ProviderUsage[];
}

/** Spend over a window, for budgets: USD and input + output tokens. */
export interface Spend {
  readonly costUsd: number;
  readonly tokens: number;
}

export const DEFAULT_RETENTION_DAYS = 90;

/**
 * The seed's UsageTracker: prices and records every request that reached a provider, keeps each configuration's
 * latest rate-limit figures, and answers usage questions from the daily rollups plus the raw rows of the edge days
 * (and the rows still buffered in memory, so a figure read right after a request includes it).
 */
export class UsageTracker {
  private readonly recorded = new Emitter<RecordedUsage>();
  /** Fires after every recorded request (budgets evaluate on it). */
  readonly onDidRecord = this.recorded.event;
  private readonly rateLimits = new Map<string, RateLimitState>();
  private readonly now: () => Date;
  private readonly logger: Logger;
  private catalogFailureLogged = false;
  /** Recordings still being priced: callers such as the router record without waiting. */
  private readonly inFlight = new Set<Promise<RecordedUsage>>();

  constructor(private readonly deps: UsageTrackerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.logger = deps.logger ?? silentLogger;
  }

  get userId(): string {
    return this.deps.userId;
  }

  get retentionDays(): number {
    return Math.max(1, Math.floor(this.deps.retentionDays ?? DEFAULT_RETENTION_DAYS));
  }

  /** `recordUsage`: prices the request, remembers its rate-limit headers and buffers its request_log row. */
  recordUsage(record: UsageRecord): Promise<RecordedUsage> {
    return this.track(this.record(record));
  }

  /** Keeps `recording` among those `settled()` waits for. */
  private track(recording: Promise<RecordedUsage>): Promise<RecordedUsage> {
    this.inFlight.add(recording);
    const done = (): void => {
      this.inFlight.delete(recording);
    };
    recording.then(done, done);
    return recording;
  }

  /**
   * Resolves once every request recorded so far (including those whose callers did not wait) is priced, announced
   * to `onDidRecord` listeners and saved to the store.
   */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.deps.store.flush();
  }

  private async record(record: UsageRecord): Promise<RecordedUsage> {
    const now = this.now();
    const configuration = this.configuration(record.configurationId);
    const provider = record.provider ?? configuration?.provider ?? 'unknown';
    const model = record.model ?? configuration?.model ?? 'unknown';
    const chosen = await this.price({ provider, model, baseUrl: configuration?.baseUrl ?? record.unsaved?.baseUrl ?? null, config: configuration?.config ?? record.unsaved?.config ?? {} });
    const price = priceForResponse(chosen, record.headers);
    const costUsd = costWith(price, record.usage);
    const rateLimit = record.headers ? parseRateLimitHeaders(record.headers, now) : undefined;
    if (rateLimit) this.rateLimits.set(record.configurationId, rateLimit);
    const entry: RequestLogEntry = {
      userId: this.deps.userId,
      configurationId: record.configurationId,
      routeGroupId: record.routeGroupId ?? null,
      startedAt: new Date(record.startedAt ?? now).toISOString(),
      provider,
      model,
      outcome: record.outcome,
      errorCode: record.errorCode ?? null,
      inputTokens: record.usage?.input ?? 0,
      outputTokens: record.usage?.output ?? 0,
      cachedTokens: record.usage?.cached ?? 0,
      cacheWriteTokens: record.usage?.cacheWrite ?? 0,
      reasoningTokens: record.usage?.reasoning ?? 0,
      costUsd,
      latencyMs: record.latencyMs ?? null,
      ttftMs: record.ttftMs ?? null,
      attempt: record.attempt ?? 1,
      reason: record.reason ?? null,
      // A request without token counts is not "unpriced": there was nothing to bill.
      priceSource: record.usage ? priceSourceText(price) : null,
      rateLimit: rateLimit ? JSON.stringify(rateLimit) : null,
      clientId: record.clientId ?? null,
      ...(record.tokensEstimated === true && record.usage ? { tokensEstimated: true } : {}),
    };
    this.deps.store.recordRequest(entry);
    const result: RecordedUsage = { entry, costUsd, price, rateLimit };
    this.recorded.fire(result);
    return result;
  }

  /**
   * A router attempt (Router's `recordAttempt`): priced again here so that per-configuration price overrides and
   * cached-input prices apply the same way as for every other request.
   */
  recordAttempt(entry: RequestLogEntry, headers?: HeaderMap, estimate?: () => Promise<CountedTokens>): Promise<RecordedUsage> {
    const record = this.attemptRecord(entry, headers);
    if (!estimate) return this.recordUsage(record);
    // A cancelled answer: its tokens are counted locally first (a count that fails leaves the row without tokens).
    return this.track(
      estimate().then(
        (counted) => this.record(counted.input + counted.output > 0 ? { ...record, usage: { input: counted.input, output: counted.output }, tokensEstimated: true } : record),
        () => this.record(record),
      ),
    );
  }

  private attemptRecord(entry: RequestLogEntry, headers: HeaderMap | undefined): UsageRecord {
    const reached = entry.outcome === 'success' || (entry.inputTokens ?? 0) + (entry.outputTokens ?? 0) > 0;
    return {
      configurationId: entry.configurationId,
      provider: entry.provider,
      model: entry.model,
      startedAt: entry.startedAt,
      outcome: entry.outcome,
      errorCode: entry.errorCode ?? null,
      usage: reached ? { input: entry.inputTokens ?? 0, output: entry.outputTokens ?? 0, cached: entry.cachedTokens ?? 0, cacheWrite: entry.cacheWriteTokens ?? 0, reasoning: entry.reasoningTokens ?? 0 } : undefined,
      latencyMs: entry.latencyMs ?? null,
      ttftMs: entry.ttftMs ?? null,
      attempt: entry.attempt ?? 1,
      routeGroupId: entry.routeGroupId ?? null,
      reason: entry.reason ?? null,
      clientId: entry.clientId ?? null,
      ...(headers ? { headers } : {}),
    };
  }

  /** `configurations.usage`: one configuration over a period (default this month). */
  getUsageStats(configurationId: string, period: UsagePeriod = 'month'): UsageMetrics {
    const range = this.range(period);
    return toMetrics(this.details(this.deps.userId, range, configurationId).get(configurationId) ?? emptyDetail());
  }

  /** A configuration's totals over a period, the request just recorded included: what its list entries show. */
  usageTotals(configurationId: string, period: UsagePeriod = 'month'): UsageTotals {
    return totalsOf(this.details(this.deps.userId, this.range(period), configurationId).get(configurationId) ?? emptyDetail());
  }

  /** Every configuration's totals over a period at once (one read for a whole list). */
  usageTotalsByConfiguration(period: UsagePeriod = 'month'): ReadonlyMap<string, UsageTotals> {
    const details = this.details(this.deps.userId, this.range(period));
    return new Map([...details].map(([id, detail]) => [id, totalsOf(detail)]));
  }

  /** Every configuration of a user over a period, per configuration and per provider, with totals. */
  async generateUsageReport(userId: string, period: UsagePeriod = 'month', client?: ClientFilter): Promise<UsageReport> {
    const range = this.range(period);
    const details = this.details(userId, range, undefined, client);
    const configurations = this.deps.store.read((r) => r.configurations.list(userId));
    const catalog = await this.loadCatalog();
    const byConfiguration: ConfigurationUsage[] = [];
    const deleted = new Map(details);
    for (const configuration of configurations) {
      const detail = details.get(configuration.id) ?? emptyDetail();
      deleted.delete(configuration.id);
      byConfiguration.push({
        configurationId: configuration.id,
        name: configuration.name,
        provider: configuration.provider,
        model: configuration.model,
        metrics: toMetrics(detail),
        price: choosePrice(catalog, configuration),
      });
    }
    for (const [configurationId, detail] of deleted) {
      byConfiguration.push({ configurationId, name: null, provider: detail.provider ?? 'unknown', model: null, metrics: toMetrics(detail), price: { kind: 'unknown' } });
    }
    const providers = new Map<string, { detail: UsageDetail; ids: string[] }>();
    let total = emptyDetail();
    for (const row of byConfiguration) {
      const detail = details.get(row.configurationId) ?? emptyDetail();
      total = addDetail(total, detail);
      const group = providers.get(row.provider) ?? { detail: emptyDetail(), ids: [] };
      providers.set(row.provider, { detail: addDetail(group.detail, detail), ids: [...group.ids, row.configurationId] });
    }
    return {
      userId,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      widenedToWholeDays: range.widened,
      generatedAt: this.now().toISOString(),
      totals: toMetrics(total),
      byConfiguration,
      byProvider: [...providers.entries()]
        .map(([provider, group]) => ({ provider, metrics: toMetrics(group.detail), configurationIds: group.ids }))
        .sort((a, b) => b.metrics.costUSD - a.metrics.costUSD || a.provider.localeCompare(b.provider)),
    };
  }

  /** The local endpoint's clients, revoked ones too: whose requests usage and budgets can be counted for. */
  /** Requests between `from` and `to` (ISO), of one configuration or all, cancelled mid-answer and so with locally counted tokens. */
  estimatedRequests(from: string, to: string, configurationId?: string): number {
    return this.deps.store.read((r) => r.requestLog.estimatedCount(this.deps.userId, from, to, configurationId));
  }

  clients(): EndpointClientRow[] {
    return this.deps.store.read((r) => r.clients.list(this.deps.userId));
  }

  /** Hourly or daily figures for the dashboard's charts (see series.ts). */
  series(period: ChartPeriod, client?: ClientFilter): UsageSeries {
    return buildUsageSeries({ store: this.deps.store, userId: this.deps.userId, now: this.now(), retentionHorizon: this.retentionHorizon(), ...(client ? { client } : {}) }, period);
  }

  /**
   * Spend of one configuration, or of every configuration of the user (null), over [from, to); with `clientId`, only
   * what that endpoint client sent (counted from the request records, which the usage retention keeps).
   */
  spend(configurationId: string | null, from: Date, to: Date, clientId?: string): Spend {
    const { userId, store } = this.deps;
    if (clientId !== undefined) {
      const logged = store.read((r) => r.requestLog.clientSpend(userId, clientId, configurationId, from.toISOString(), to.toISOString()));
      let { costUsd, tokens } = logged;
      for (const entry of this.pendingIn(userId, from, to, configurationId ?? undefined)) {
        if (entry.clientId !== clientId) continue;
        costUsd += entry.costUsd ?? 0;
        tokens += (entry.inputTokens ?? 0) + (entry.outputTokens ?? 0);
      }
      return { costUsd, tokens };
    }
    const totals = store.read((r) =>
      configurationId === null ? [...r.usage.byConfiguration(userId, from, to).values()] : [r.usage.forConfiguration(userId, configurationId, from, to)],
    );
    let costUsd = 0;
    let tokens = 0;
    for (const t of totals) {
      costUsd += t.costUsd;
      tokens += t.inputTokens + t.outputTokens;
    }
    for (const entry of this.pendingIn(userId, from, to, configurationId ?? undefined)) {
      costUsd += entry.costUsd ?? 0;
      tokens += (entry.inputTokens ?? 0) + (entry.outputTokens ?? 0);
    }
    return { costUsd, tokens };
  }

  /** The price a configuration's requests are billed at now, for the UI to show. */
  async priceFor(configurationId: string): Promise<PriceUsed> {
    const configuration = this.configuration(configurationId);
    if (!configuration) return { kind: 'unknown' };
    return this.price(configuration);
  }

  /** The remaining quota where the provider said: the latest rate-limit headers, with passed resets refilled. */
  rateLimitFor(configurationId: string): RateLimitState | undefined {
    let state = this.rateLimits.get(configurationId);
    if (!state) {
      const recorded = this.deps.store.read((r) => r.requestLog.latestRateLimit(this.deps.userId, configurationId));
      state = recorded ? parseRecordedRateLimit(recorded.json) : undefined;
      if (state) this.rateLimits.set(configurationId, state);
    }
    return state ? remainingAt(state, this.now()) : undefined;
  }

  /** Where raw rows end: the start of the UTC day `retentionDays` ago. */
  retentionHorizon(): Date {
    return new Date(startOfUtcDay(this.now()).getTime() - this.retentionDays * DAY_MS);
  }

  /** Deletes raw rows older than the retention horizon (the rollups keep their totals). Returns how many went. */
  async pruneOldRequests(): Promise<number> {
    const horizon = this.retentionHorizon();
    await this.deps.store.flush();
    const removed = await this.deps.store.write((r) => r.requestLog.pruneBefore(horizon));
    if (removed > 0) this.logger.info(`Removed ${String(removed)} request records older than ${String(this.retentionDays)} days (daily totals are kept).`);
    return removed;
  }

  dispose(): void {
    this.recorded.dispose();
  }

  private range(period: UsagePeriod): ResolvedPeriod & { readonly widened: boolean } {
    return clampToRetention(resolvePeriod(period, this.now()), this.retentionHorizon());
  }

  private details(userId: string, range: ResolvedPeriod, configurationId?: string, client?: ClientFilter): Map<string, UsageDetail> {
    const details = this.deps.store.read((r) => r.usage.details(userId, range.from, range.to, configurationId, client));
    for (const entry of this.pendingIn(userId, range.from, range.to, configurationId)) {
      if (client !== undefined && (entry.clientId ?? null) !== client.clientId) continue;
      details.set(entry.configurationId, addDetail(details.get(entry.configurationId) ?? emptyDetail(), detailOf(entry)));
    }
    return details;
  }

  private pendingIn(userId: string, from: Date, to: Date, configurationId: string | undefined): RequestLogEntry[] {
    const a = from.toISOString();
    const b = to.toISOString();
    return this.deps.store.pendingRequests.filter((e) => {
      if (e.userId !== userId || (configurationId !== undefined && e.configurationId !== configurationId)) return false;
      const at = new Date(e.startedAt).toISOString();
      return at >= a && at < b;
    });
  }

  private configuration(id: string): AIConfiguration | undefined {
    return this.deps.store.read((r) => r.configurations.get(this.deps.userId, id));
  }

  private async price(configuration: Parameters<typeof choosePrice>[1]): Promise<PriceUsed> {
    return choosePrice(await this.loadCatalog(), configuration);
  }

  private async loadCatalog(): Promise<ModelCatalog | undefined> {
    try {
      return await this.deps.catalog();
    } catch (error) {
      if (!this.catalogFailureLogged) {
        this.catalogFailureLogged = true;
        this.logger.warn(`The price catalog could not be loaded, so costs are not counted: ${errorMessage(error)}`);
      }
      return undefined;
    }
  }
}

function detailOf(entry: RequestLogEntry): UsageDetail {
  const input = entry.inputTokens ?? 0;
  const output = entry.outputTokens ?? 0;
  const latency = entry.latencyMs ?? null;
  const ttft = entry.ttftMs ?? null;
  return {
    requestCount: 1,
    inputTokens: input,
    outputTokens: output,
    cachedTokens: entry.cachedTokens ?? 0,
    totalTokens: input + output,
    costUsd: entry.costUsd ?? 0,
    errorCount: entry.outcome === 'error' ? 1 : 0,
    latencyMsSum: latency ?? 0,
    latencyCount: latency === null ? 0 : 1,
    provider: entry.provider,
    ttftMsSum: ttft ?? 0,
    ttftCount: ttft === null ? 0 : 1,
    unpricedCount: entry.priceSource === 'unknown' ? 1 : 0,
    lastUsedAt: new Date(entry.startedAt).toISOString(),
    latencyBuckets: latency === null ? new Map() : new Map([[latencyBucketOf(latency), 1]]),
  };
}

/** The totals of a detail, without its histogram and timings (the shape lists and the editor show). */
function totalsOf(detail: UsageDetail): UsageTotals {
  const { requestCount, inputTokens, outputTokens, cachedTokens, totalTokens, costUsd, errorCount, latencyMsSum, latencyCount } = detail;
  return { requestCount, inputTokens, outputTokens, cachedTokens, totalTokens, costUsd, errorCount, latencyMsSum, latencyCount };
}

import { randomUUID } from 'node:crypto';
import type { BindParams } from 'sql.js';
import { latencyBucketSql } from './latencyBuckets';
import { num, optionalText, text, type Sql } from './sql';
import type { RequestLogEntry } from './types';

interface DailyRollup {
  userId: string;
  configurationId: string;
  date: string;
  provider: string;
  requests: number;
  input: number;
  output: number;
  cached: number;
  cost: number;
  errors: number;
  latencySum: number;
  latencyCount: number;
  ttftSum: number;
  ttftCount: number;
  unpriced: number;
  lastUsedAt: string;
}

/** One client's share of the requests in a period. */
export interface ClientUsage {
  readonly clientId: string | null;
  readonly requests: number;
  readonly tokens: number;
  readonly costUsd: number;
}

/** The latest rate-limit headers recorded for a configuration. */
export interface RecordedRateLimit {
  readonly at: string;
  readonly json: string;
}

/** request_log rows and, in the same transaction, the provider_usage daily rollups that make aggregates fast. */
export class RequestLogRepository {
  constructor(private readonly sql: Sql) {}

  insertMany(entries: readonly RequestLogEntry[]): void {
    if (entries.length === 0) return;
    const rollups = new Map<string, DailyRollup>();
    const rows: BindParams[] = [];
    for (const entry of entries) {
      const startedAt = new Date(entry.startedAt).toISOString();
      rows.push([entry.userId, entry.configurationId, entry.routeGroupId ?? null, startedAt, entry.provider, entry.model,
        entry.outcome, entry.errorCode ?? null, entry.inputTokens ?? 0, entry.outputTokens ?? 0, entry.cachedTokens ?? 0,
        entry.costUsd ?? 0, entry.latencyMs ?? null, entry.ttftMs ?? null, entry.attempt ?? 1, entry.reason ?? null,
        entry.priceSource ?? null, entry.rateLimit ?? null, entry.cacheWriteTokens ?? 0, entry.reasoningTokens ?? 0, entry.clientId ?? null,
        entry.tokensEstimated === true ? 1 : 0]);
      addToRollup(rollups, entry, startedAt);
    }
    const lastId = num(this.sql.get('SELECT MAX(id) AS id FROM request_log')?.id);
    this.sql.runMany(
      `INSERT INTO request_log (user_id, configuration_id, route_group_id, started_at, provider, model, outcome, error_code,
         input_tokens, output_tokens, cached_tokens, cost_usd, latency_ms, ttft_ms, attempt, reason, price_source, rate_limit,
         cache_write_tokens, reasoning_tokens, client_id, tokens_estimated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      rows,
    );
    this.sql.runMany(
      `INSERT INTO provider_usage (id, user_id, configuration_id, date, request_count, input_tokens, output_tokens, cached_tokens,
         total_tokens, cost_usd, error_count, latency_ms_sum, latency_count, provider, ttft_ms_sum, ttft_count, unpriced_count, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, configuration_id, date) DO UPDATE SET
         request_count = request_count + excluded.request_count,
         input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens,
         cached_tokens = cached_tokens + excluded.cached_tokens,
         total_tokens = total_tokens + excluded.total_tokens,
         cost_usd = cost_usd + excluded.cost_usd,
         error_count = error_count + excluded.error_count,
         latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum,
         latency_count = latency_count + excluded.latency_count,
         provider = excluded.provider,
         ttft_ms_sum = ttft_ms_sum + excluded.ttft_ms_sum,
         ttft_count = ttft_count + excluded.ttft_count,
         unpriced_count = unpriced_count + excluded.unpriced_count,
         last_used_at = MAX(COALESCE(last_used_at, ''), excluded.last_used_at)`,
      [...rollups.values()].map((r) => [randomUUID(), r.userId, r.configurationId, r.date, r.requests, r.input, r.output,
        r.cached, r.input + r.output, r.cost, r.errors, r.latencySum, r.latencyCount, r.provider, r.ttftSum, r.ttftCount, r.unpriced, r.lastUsedAt]),
    );
    // The latency histogram of the rows just inserted, bucketed by SQLite itself (the same expression as the edge days).
    this.sql.run(
      `INSERT INTO usage_latency_buckets (user_id, configuration_id, date, bucket, count)
       SELECT user_id, configuration_id, substr(started_at, 1, 10), ${latencyBucketSql('latency_ms')}, COUNT(*)
       FROM request_log WHERE id > ? AND latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4
       ON CONFLICT (user_id, configuration_id, date, bucket) DO UPDATE SET count = count + excluded.count`,
      [lastId],
    );
  }

  /** Rows of a user, of one configuration, or of one configuration for one reason ("model list", "connection test"). */
  count(userId: string, configurationId?: string, reason?: string): number {
    const row = configurationId === undefined
      ? this.sql.get('SELECT COUNT(*) AS n FROM request_log WHERE user_id = ?', [userId])
      : reason === undefined
        ? this.sql.get('SELECT COUNT(*) AS n FROM request_log WHERE user_id = ? AND configuration_id = ?', [userId, configurationId])
        : this.sql.get('SELECT COUNT(*) AS n FROM request_log WHERE user_id = ? AND configuration_id = ? AND reason = ?', [userId, configurationId, reason]);
    return Number(row?.n ?? 0);
  }

  /** Deletes raw rows that started before `cutoff` (every user); the daily rollups keep their totals. */
  pruneBefore(cutoff: Date): number {
    return this.sql.run('DELETE FROM request_log WHERE started_at < ?', [cutoff.toISOString()]);
  }

  /** The start of the oldest raw row still kept, if any. */
  oldestStartedAt(): string | undefined {
    const row = this.sql.get('SELECT MIN(started_at) AS at FROM request_log');
    return row?.at === null || row?.at === undefined ? undefined : text(row.at);
  }

  /** A route group's latest attempts, oldest first: what the router did and why (the tests and the group's screen). */
  forRouteGroup(userId: string, routeGroupId: string, limit = 50): RequestLogEntry[] {
    const rows = this.sql.all(
      `SELECT * FROM (SELECT id, configuration_id, started_at, provider, model, outcome, error_code, input_tokens, output_tokens,
         cached_tokens, cost_usd, latency_ms, ttft_ms, attempt, reason FROM request_log WHERE user_id = ? AND route_group_id = ?
         ORDER BY id DESC LIMIT ?) ORDER BY id`,
      [userId, routeGroupId, limit],
    );
    return rows.map((row) => ({
      userId,
      routeGroupId,
      configurationId: text(row.configuration_id),
      startedAt: text(row.started_at),
      provider: text(row.provider),
      model: text(row.model),
      outcome: text(row.outcome) as RequestLogEntry['outcome'],
      errorCode: optionalText(row.error_code),
      inputTokens: num(row.input_tokens),
      outputTokens: num(row.output_tokens),
      cachedTokens: num(row.cached_tokens),
      costUsd: num(row.cost_usd),
      latencyMs: row.latency_ms === null ? null : num(row.latency_ms),
      ttftMs: row.ttft_ms === null ? null : num(row.ttft_ms),
      attempt: num(row.attempt),
      reason: optionalText(row.reason),
    }));
  }

  /** A configuration's latest requests, newest first, with whether their tokens were counted locally (tests, the editor). */
  latest(userId: string, configurationId: string, limit = 50): RequestLogEntry[] {
    const rows = this.sql.all(
      `SELECT started_at, provider, model, outcome, error_code, input_tokens, output_tokens, cost_usd, reason, tokens_estimated FROM request_log
       WHERE user_id = ? AND configuration_id = ? ORDER BY id DESC LIMIT ?`,
      [userId, configurationId, limit],
    );
    return rows.map((row) => ({
      userId,
      configurationId,
      startedAt: text(row.started_at),
      provider: text(row.provider),
      model: text(row.model),
      outcome: text(row.outcome) as RequestLogEntry['outcome'],
      errorCode: optionalText(row.error_code),
      inputTokens: num(row.input_tokens),
      outputTokens: num(row.output_tokens),
      costUsd: num(row.cost_usd),
      reason: optionalText(row.reason),
      tokensEstimated: num(row.tokens_estimated) === 1,
    }));
  }

  /** How many of a user's requests since `since` (ISO), of one configuration or all, have locally counted tokens. */
  estimatedCount(userId: string, since: string, until: string, configurationId?: string): number {
    const row = this.sql.get(
      `SELECT COUNT(*) AS n FROM request_log WHERE user_id = ? AND tokens_estimated = 1 AND started_at >= ? AND started_at < ?${configurationId === undefined ? '' : ' AND configuration_id = ?'}`,
      configurationId === undefined ? [userId, since, until] : [userId, since, until, configurationId],
    );
    return num(row?.n);
  }

  /** Requests, tokens and cost per endpoint client since `since` (ISO time), for one configuration or all; VS Code's own requests under null. */
  byClient(userId: string, since: string, configurationId?: string): ClientUsage[] {
    const rows = this.sql.all(
      `SELECT client_id, COUNT(*) AS requests, SUM(input_tokens + output_tokens) AS tokens, SUM(cost_usd) AS cost FROM request_log
       WHERE user_id = ? AND started_at >= ? ${configurationId === undefined ? '' : 'AND configuration_id = ?'} GROUP BY client_id ORDER BY requests DESC`,
      configurationId === undefined ? [userId, since] : [userId, since, configurationId],
    );
    return rows.map((row) => ({ clientId: optionalText(row.client_id), requests: num(row.requests), tokens: num(row.tokens), costUsd: num(row.cost) }));
  }

  /** Tokens and cost of one endpoint client's requests in [from, to) (ISO times), to one configuration or to any. */
  clientSpend(userId: string, clientId: string, configurationId: string | null, from: string, to: string): { tokens: number; costUsd: number } {
    const row = this.sql.get(
      `SELECT SUM(input_tokens + output_tokens) AS tokens, SUM(cost_usd) AS cost FROM request_log
       WHERE user_id = ? AND client_id = ? AND started_at >= ? AND started_at < ? ${configurationId === null ? '' : 'AND configuration_id = ?'}`,
      configurationId === null ? [userId, clientId, from, to] : [userId, clientId, from, to, configurationId],
    );
    return { tokens: num(row?.tokens ?? 0), costUsd: num(row?.cost ?? 0) };
  }

  /** The most recent rate-limit headers recorded for a configuration. */
  latestRateLimit(userId: string, configurationId: string): RecordedRateLimit | undefined {
    const row = this.sql.get(
      `SELECT started_at, rate_limit FROM request_log WHERE user_id = ? AND configuration_id = ? AND rate_limit IS NOT NULL
       ORDER BY started_at DESC LIMIT 1`,
      [userId, configurationId],
    );
    return row ? { at: text(row.started_at), json: text(row.rate_limit) } : undefined;
  }
}

function addToRollup(rollups: Map<string, DailyRollup>, entry: RequestLogEntry, startedAt: string): void {
  const date = startedAt.slice(0, 10);
  const key = `${entry.userId}\u0000${entry.configurationId}\u0000${date}`;
  let rollup = rollups.get(key);
  if (!rollup) {
    rollup = {
      userId: entry.userId, configurationId: entry.configurationId, date, provider: entry.provider, requests: 0, input: 0, output: 0, cached: 0,
      cost: 0, errors: 0, latencySum: 0, latencyCount: 0, ttftSum: 0, ttftCount: 0, unpriced: 0, lastUsedAt: startedAt,
    };
    rollups.set(key, rollup);
  }
  rollup.requests += 1;
  rollup.input += entry.inputTokens ?? 0;
  rollup.output += entry.outputTokens ?? 0;
  rollup.cached += entry.cachedTokens ?? 0;
  rollup.cost += entry.costUsd ?? 0;
  if (entry.outcome === 'error') rollup.errors += 1;
  if (entry.latencyMs !== undefined && entry.latencyMs !== null) {
    rollup.latencySum += entry.latencyMs;
    rollup.latencyCount += 1;
  }
  if (entry.ttftMs !== undefined && entry.ttftMs !== null) {
    rollup.ttftSum += entry.ttftMs;
    rollup.ttftCount += 1;
  }
  if (entry.priceSource === 'unknown') rollup.unpriced += 1;
  if (startedAt > rollup.lastUsedAt) {
    rollup.lastUsedAt = startedAt;
    rollup.provider = entry.provider;
  }
}

import type { BindParams, SqlValue } from 'sql.js';
import { latencyBucketSql } from './latencyBuckets';
import type { Row, Sql } from './sql';
import { num, optionalText, text } from './sql';
import type { UsageTotals } from './types';

/** Totals plus what percentiles, time to first token, "last used" and unpriced-request warnings need. */
export interface UsageDetail extends UsageTotals {
  /** The provider of the configuration's most recent request in the window. */
  readonly provider: string | null;
  readonly ttftMsSum: number;
  readonly ttftCount: number;
  /** Requests whose model had no known price (their cost counts as 0). */
  readonly unpricedCount: number;
  readonly lastUsedAt: string | null;
  /** Latency histogram: bucket (see latencyBuckets.ts) → requests. */
  readonly latencyBuckets: ReadonlyMap<number, number>;
}

const DAY_MS = 86_400_000;

/**
 * The requests of one local endpoint client, or VS Code's own (null). The daily totals do not keep the client, so a
 * filtered read counts the request records (kept for the usage retention) over the whole window.
 */
export interface ClientFilter {
  readonly clientId: string | null;
}

export const emptyTotals: UsageTotals = {
  requestCount: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, totalTokens: 0, costUsd: 0, errorCount: 0, latencyMsSum: 0, latencyCount: 0,
};

const ROLLUP_COLUMNS = `SUM(request_count) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
  SUM(cached_tokens) AS cached, SUM(cost_usd) AS cost, SUM(error_count) AS errors, SUM(latency_ms_sum) AS latency_sum,
  SUM(latency_count) AS latency_count`;

const ROLLUP_DETAIL = `SUM(ttft_ms_sum) AS ttft_sum, SUM(ttft_count) AS ttft_count, SUM(unpriced_count) AS unpriced,
  MAX(last_used_at) AS last_used, provider`;

const LOG_DETAIL = `SUM(ttft_ms) AS ttft_sum, COUNT(ttft_ms) AS ttft_count, SUM(price_source = 'unknown') AS unpriced,
  MAX(started_at) AS last_used, provider`;

const LOG_COLUMNS = `COUNT(*) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cached_tokens) AS cached,
  SUM(cost_usd) AS cost, SUM(outcome = 'error') AS errors, SUM(latency_ms) AS latency_sum, COUNT(latency_ms) AS latency_count`;

/**
 * Usage over a time window: whole UTC days come from the provider_usage rollups, the partial days at
 * either edge from request_log through its (user, configuration, time) index.
 */
export class UsageRepository {
  constructor(private readonly sql: Sql) {}

  /** Totals per configuration of one user over [from, to). */
  byConfiguration(userId: string, from: Date, to: Date): Map<string, UsageTotals> {
    const totals = new Map<string, UsageTotals>();
    const add = (rows: Row[]): void => {
      for (const row of rows) {
        const id = text(row.configuration_id);
        totals.set(id, sum(totals.get(id) ?? emptyTotals, toTotals(row)));
      }
    };
    for (const part of split(from, to)) {
      if (part.kind === 'days') {
        add(this.sql.all(`SELECT configuration_id, ${ROLLUP_COLUMNS} FROM provider_usage WHERE user_id = ? AND date >= ? AND date < ? GROUP BY configuration_id`, [userId, part.from, part.to]));
      } else {
        add(this.sql.all(`SELECT configuration_id, ${LOG_COLUMNS} FROM request_log WHERE user_id = ? AND started_at >= ? AND started_at < ? GROUP BY configuration_id`, [userId, part.from, part.to]));
      }
    }
    return totals;
  }

  /** Totals of one configuration of one user over [from, to). */
  forConfiguration(userId: string, configurationId: string, from: Date, to: Date): UsageTotals {
    let total = emptyTotals;
    for (const part of split(from, to)) {
      const params: BindParams = [userId, configurationId, part.from, part.to];
      const row = part.kind === 'days'
        ? this.sql.get(`SELECT ${ROLLUP_COLUMNS} FROM provider_usage WHERE user_id = ? AND configuration_id = ? AND date >= ? AND date < ?`, params)
        : this.sql.get(`SELECT ${LOG_COLUMNS} FROM request_log WHERE user_id = ? AND configuration_id = ? AND started_at >= ? AND started_at < ?`, params);
      if (row) total = sum(total, toTotals(row));
    }
    return total;
  }

  /** Per-bucket totals and latency histograms for charts (see seriesRows). */
  series(userId: string, from: Date, to: Date, unit: 'hour' | 'day', client?: ClientFilter): { totals: SeriesTotalsRow[]; latency: SeriesLatencyRow[] } {
    return seriesRows(this.sql, userId, from, to, unit, client);
  }

  /**
   * Detailed usage per configuration over [from, to), optionally of one configuration only. Rollups and the latency
   * histogram serve whole days; request_log serves the partial edge days (SQLite keeps the bare `provider` column
   * of the row holding MAX(last_used), i.e. the latest one).
   */
  details(userId: string, from: Date, to: Date, configurationId?: string, client?: ClientFilter): Map<string, UsageDetail> {
    const details = new Map<string, UsageDetail>();
    const only = configurationId === undefined ? '' : ' AND configuration_id = ?';
    const byClient = client === undefined ? '' : ' AND client_id IS ?';
    const base = (a: string, b: string): SqlValue[] => (configurationId === undefined ? [userId, a, b] : [userId, configurationId, a, b]);
    const scope = (a: string, b: string): BindParams => base(a, b);
    const logScope = (a: string, b: string): BindParams => (client === undefined ? base(a, b) : [...base(a, b), client.clientId]);
    const addTotals = (rows: Row[]): void => {
      for (const row of rows) {
        const id = text(row.configuration_id);
        details.set(id, addDetail(details.get(id) ?? emptyDetail(), toDetail(row)));
      }
    };
    const addBuckets = (rows: Row[]): void => {
      for (const row of rows) {
        const id = text(row.configuration_id);
        const detail = details.get(id) ?? emptyDetail();
        const buckets = detail.latencyBuckets as Map<number, number>;
        const bucket = num(row.bucket);
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + num(row.n));
        details.set(id, detail);
      }
    };
    const parts: Part[] = client === undefined ? split(from, to) : to <= from ? [] : [{ kind: 'log', from: from.toISOString(), to: to.toISOString() }];
    for (const part of parts) {
      if (part.kind === 'days') {
        addTotals(this.sql.all(`SELECT configuration_id, ${ROLLUP_COLUMNS}, ${ROLLUP_DETAIL} FROM provider_usage
          WHERE user_id = ?${only} AND date >= ? AND date < ? GROUP BY configuration_id`, scope(part.from, part.to)));
        addBuckets(this.sql.all(`SELECT configuration_id, bucket, SUM(count) AS n FROM usage_latency_buckets
          WHERE user_id = ?${only} AND date >= ? AND date < ? GROUP BY configuration_id, bucket`, scope(part.from, part.to)));
      } else {
        addTotals(this.sql.all(`SELECT configuration_id, ${LOG_COLUMNS}, ${LOG_DETAIL} FROM request_log
          WHERE user_id = ?${only} AND started_at >= ? AND started_at < ?${byClient} GROUP BY configuration_id`, logScope(part.from, part.to)));
        addBuckets(this.sql.all(`SELECT configuration_id, ${latencyBucketSql('latency_ms')} AS bucket, COUNT(*) AS n FROM request_log
          WHERE user_id = ?${only} AND started_at >= ? AND started_at < ? AND latency_ms IS NOT NULL${byClient} GROUP BY 1, 2`, logScope(part.from, part.to)));
      }
    }
    return details;
  }
}

/** One configuration's totals in one time bucket ("2026-11-27" for a day, "2026-11-27T13" for an hour). */
export interface SeriesTotalsRow {
  readonly configurationId: string;
  readonly provider: string;
  readonly bucket: string;
  readonly totals: UsageTotals;
}

/** How many of one configuration's requests in one time bucket fell in one latency bucket. */
export interface SeriesLatencyRow {
  readonly configurationId: string;
  readonly bucket: string;
  readonly latencyBucket: number;
  readonly count: number;
}

/**
 * Per-bucket totals and latency histograms over [from, to) for charts. Hours always come from request_log (the
 * rollups are daily); days come from the rollups where whole and from request_log at the partial edges.
 */
export function seriesRows(sql: Sql, userId: string, from: Date, to: Date, unit: 'hour' | 'day', client?: ClientFilter): { totals: SeriesTotalsRow[]; latency: SeriesLatencyRow[] } {
  const totals: SeriesTotalsRow[] = [];
  const latency: SeriesLatencyRow[] = [];
  const addTotals = (rows: Row[]): void => {
    for (const row of rows) totals.push({ configurationId: text(row.configuration_id), provider: text(row.provider), bucket: text(row.b), totals: toTotals(row) });
  };
  // Thousands of histogram rows: read as arrays (configuration_id, b, bucket, n), not objects.
  const addLatency = (rows: SqlValue[][]): void => {
    for (const [configurationId, b, bucket, n] of rows) latency.push({ configurationId: text(configurationId), bucket: text(b), latencyBucket: num(bucket), count: num(n) });
  };
  const byClient = client === undefined ? '' : ' AND client_id IS ?';
  const params = (a: string, b: string): BindParams => (client === undefined ? [userId, a, b] : [userId, a, b, client.clientId]);
  const fromRaw = (a: string, b: string, width: number): void => {
    addTotals(sql.all(`SELECT configuration_id, provider, substr(started_at, 1, ${String(width)}) AS b, ${LOG_COLUMNS} FROM request_log
      WHERE user_id = ? AND started_at >= ? AND started_at < ?${byClient} GROUP BY configuration_id, provider, b`, params(a, b)));
    addLatency(sql.values(`SELECT configuration_id, substr(started_at, 1, ${String(width)}) AS b, ${latencyBucketSql('latency_ms')} AS bucket, COUNT(*) AS n
      FROM request_log WHERE user_id = ? AND started_at >= ? AND started_at < ? AND latency_ms IS NOT NULL${byClient} GROUP BY 1, 2, 3`, params(a, b)));
  };
  if (to <= from) return { totals, latency };
  if (unit === 'hour' || client !== undefined) {
    fromRaw(from.toISOString(), to.toISOString(), unit === 'hour' ? 13 : 10);
    return { totals, latency };
  }
  for (const part of split(from, to)) {
    if (part.kind === 'log') {
      fromRaw(part.from, part.to, 10);
      continue;
    }
    addTotals(sql.all(`SELECT configuration_id, provider, date AS b, request_count AS requests, input_tokens AS input, output_tokens AS output,
      cached_tokens AS cached, cost_usd AS cost, error_count AS errors, latency_ms_sum AS latency_sum, latency_count
      FROM provider_usage WHERE user_id = ? AND date >= ? AND date < ?`, [userId, part.from, part.to]));
    addLatency(sql.values(`SELECT configuration_id, date AS b, bucket, count AS n FROM usage_latency_buckets
      WHERE user_id = ? AND date >= ? AND date < ?`, [userId, part.from, part.to]));
  }
  return { totals, latency };
}

export function emptyDetail(): UsageDetail {
  return { ...emptyTotals, provider: null, ttftMsSum: 0, ttftCount: 0, unpricedCount: 0, lastUsedAt: null, latencyBuckets: new Map() };
}

/** Adds b into a copy of a (histograms merged). */
export function addDetail(a: UsageDetail, b: UsageDetail): UsageDetail {
  const buckets = new Map(a.latencyBuckets);
  for (const [bucket, n] of b.latencyBuckets) buckets.set(bucket, (buckets.get(bucket) ?? 0) + n);
  const bIsLater = b.lastUsedAt !== null && (a.lastUsedAt === null || b.lastUsedAt > a.lastUsedAt);
  return {
    ...sum(a, b),
    provider: bIsLater ? (b.provider ?? a.provider) : (a.provider ?? b.provider),
    ttftMsSum: a.ttftMsSum + b.ttftMsSum,
    ttftCount: a.ttftCount + b.ttftCount,
    unpricedCount: a.unpricedCount + b.unpricedCount,
    lastUsedAt: bIsLater ? b.lastUsedAt : a.lastUsedAt,
    latencyBuckets: buckets,
  };
}

function toDetail(row: Row): UsageDetail {
  return {
    ...toTotals(row),
    provider: optionalText(row.provider),
    ttftMsSum: num(row.ttft_sum),
    ttftCount: num(row.ttft_count),
    unpricedCount: num(row.unpriced),
    lastUsedAt: optionalText(row.last_used),
    latencyBuckets: new Map(),
  };
}

interface Part {
  kind: 'days' | 'log';
  from: string;
  to: string;
}

/** Splits [from, to) into whole UTC days (rollups) and the partial edges (raw rows). */
function split(from: Date, to: Date): Part[] {
  if (to <= from) return [];
  const firstWholeDay = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const endOfWholeDays = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  if (firstWholeDay >= endOfWholeDays) return [{ kind: 'log', from: from.toISOString(), to: to.toISOString() }];
  const parts: Part[] = [];
  if (from.getTime() < firstWholeDay) parts.push({ kind: 'log', from: from.toISOString(), to: new Date(firstWholeDay).toISOString() });
  parts.push({ kind: 'days', from: new Date(firstWholeDay).toISOString().slice(0, 10), to: new Date(endOfWholeDays).toISOString().slice(0, 10) });
  if (endOfWholeDays < to.getTime()) parts.push({ kind: 'log', from: new Date(endOfWholeDays).toISOString(), to: to.toISOString() });
  return parts;
}

function toTotals(row: Row): UsageTotals {
  const inputTokens = num(row.input);
  const outputTokens = num(row.output);
  return {
    requestCount: num(row.requests),
    inputTokens,
    outputTokens,
    cachedTokens: num(row.cached),
    totalTokens: inputTokens + outputTokens,
    costUsd: num(row.cost),
    errorCount: num(row.errors),
    latencyMsSum: num(row.latency_sum),
    latencyCount: num(row.latency_count),
  };
}

function sum(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    requestCount: a.requestCount + b.requestCount,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    costUsd: a.costUsd + b.costUsd,
    errorCount: a.errorCount + b.errorCount,
    latencyMsSum: a.latencyMsSum + b.latencyMsSum,
    latencyCount: a.latencyCount + b.latencyCount,
  };
}

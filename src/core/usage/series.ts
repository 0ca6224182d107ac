import { latencyBucketOf, type ClientFilter, type RequestLogEntry, type SeriesLatencyRow, type SeriesTotalsRow, type Store } from '../store';
import { percentileOf } from './metrics';
import { clampToRetention, DAY_MS, resolvePeriod, startOfUtcDay } from './periods';

export const HOUR_MS = 3_600_000;
/** Ranges up to this long are charted by the hour (from raw rows); longer ones by the day (from the rollups). */
export const HOURLY_UP_TO_MS = 48 * HOUR_MS;
/** A custom range may span ten years of days; more would only draw a wall of bars. */
export const MAX_SERIES_DAYS = 3660;

/** The dashboard's period picker: the last 24 hours, 7 or 30 days (today included), or any range. */
export type ChartPeriod = '24h' | '7d' | '30d' | { readonly from: Date | string; readonly to: Date | string };
export type SeriesUnit = 'hour' | 'day';

export interface ChartRange {
  readonly from: Date;
  readonly to: Date;
  readonly unit: SeriesUnit;
}

/** Per-bucket figures; index i is the bucket starting at `times[i]`. */
export interface SeriesValues {
  readonly requests: number[];
  readonly inputTokens: number[];
  readonly outputTokens: number[];
  readonly cachedTokens: number[];
  readonly costUsd: number[];
  readonly errors: number[];
  /** From the latency histogram (within 1 % of the exact value); null in a bucket without latencies. */
  readonly p50LatencyMs: (number | null)[];
  readonly p95LatencyMs: (number | null)[];
}

export interface SeriesGroup {
  /** The configuration id (byConfiguration) or the provider id (byProvider). */
  readonly key: string;
  readonly provider: string;
  readonly values: SeriesValues;
}

export interface UsageSeries {
  readonly from: string;
  readonly to: string;
  readonly unit: SeriesUnit;
  /** Bucket starts, ms since the epoch, UTC hours or days. */
  readonly times: number[];
  readonly total: SeriesValues;
  /** Busiest (by cost, then requests) first. */
  readonly byConfiguration: SeriesGroup[];
  readonly byProvider: SeriesGroup[];
  /** A daily range edge lay in days whose raw rows are gone, so whole days were counted there. */
  readonly widenedToWholeDays: boolean;
  /** Hourly figures before this time are missing: their raw rows were removed (retention). Null when none are. */
  readonly hourlyDetailFrom: string | null;
}

export interface SeriesSource {
  readonly store: Store;
  readonly userId: string;
  readonly now: Date;
  /** Where raw rows end (UsageTracker.retentionHorizon). */
  readonly retentionHorizon: Date;
  /** Only one endpoint client's requests, or VS Code's own. */
  readonly client?: ClientFilter;
}

/** The window and bucket size a period stands for at `now` (UTC). */
export function resolveChartPeriod(period: ChartPeriod, now: Date): ChartRange {
  if (period === '24h') {
    const to = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
    return { from: new Date(to - 24 * HOUR_MS), to: new Date(to), unit: 'hour' };
  }
  if (period === '7d' || period === '30d') {
    const to = startOfUtcDay(now).getTime() + DAY_MS;
    return { from: new Date(to - (period === '7d' ? 7 : 30) * DAY_MS), to: new Date(to), unit: 'day' };
  }
  const { from, to } = resolvePeriod(period, now);
  const span = to.getTime() - from.getTime();
  if (span > MAX_SERIES_DAYS * DAY_MS) throw new RangeError(`Choose a range of at most ${String(MAX_SERIES_DAYS)} days.`);
  return { from, to, unit: span <= HOURLY_UP_TO_MS ? 'hour' : 'day' };
}

/**
 * Requests, tokens, cost, errors and p50/p95 latency per hour or day, per configuration, per provider and in all,
 * from the daily rollups for whole days and request_log for hours and partial days, plus rows not flushed yet.
 */
export function buildUsageSeries(source: SeriesSource, period: ChartPeriod): UsageSeries {
  const range = resolveChartPeriod(period, source.now);
  let { from, to } = range;
  let widened = false;
  let hourlyDetailFrom: string | null = null;
  if (range.unit === 'day') {
    const clamped = clampToRetention(range, source.retentionHorizon);
    ({ from, to, widened } = clamped);
  } else if (from < source.retentionHorizon) {
    hourlyDetailFrom = source.retentionHorizon.toISOString();
  }
  const step = range.unit === 'hour' ? HOUR_MS : DAY_MS;
  const first = Math.floor(from.getTime() / step) * step;
  const count = Math.max(1, Math.ceil((to.getTime() - first) / step));
  const times = Array.from({ length: count }, (_, i) => first + i * step);
  const rows = source.store.read((r) => r.usage.series(source.userId, from, to, range.unit, source.client));
  const { client } = source;
  const pending = client === undefined ? source.store.pendingRequests : source.store.pendingRequests.filter((e) => (e.clientId ?? null) === client.clientId);
  addPending(rows, pending, source.userId, from, to, range.unit);

  const total = new Accumulator(count);
  const configurations = new Map<string, Accumulator>();
  const providers = new Map<string, Accumulator>();
  const providerOf = new Map<string, string>();
  const indexOf = (bucket: string): number => {
    const at = Date.parse(bucket.length === 10 ? `${bucket}T00:00:00Z` : `${bucket}:00:00Z`);
    return Math.floor((at - first) / step);
  };
  const group = (map: Map<string, Accumulator>, key: string, provider: string): Accumulator => {
    let acc = map.get(key);
    if (!acc) {
      acc = new Accumulator(count, provider);
      map.set(key, acc);
    }
    return acc;
  };
  for (const row of rows.totals) {
    const i = indexOf(row.bucket);
    if (i < 0 || i >= count) continue;
    providerOf.set(`${row.configurationId}\u0000${row.bucket}`, row.provider);
    for (const acc of [total, group(configurations, row.configurationId, row.provider), group(providers, row.provider, row.provider)]) acc.add(i, row);
  }
  for (const row of rows.latency) {
    const i = indexOf(row.bucket);
    if (i < 0 || i >= count) continue;
    const provider = providerOf.get(`${row.configurationId}\u0000${row.bucket}`) ?? 'unknown';
    for (const acc of [total, group(configurations, row.configurationId, provider), group(providers, provider, provider)]) acc.addLatency(i, row.latencyBucket, row.count);
  }
  const groups = (map: Map<string, Accumulator>): SeriesGroup[] =>
    [...map.entries()]
      .map(([key, acc]) => ({ key, provider: acc.provider, values: acc.values() }))
      .sort((a, b) => sum(b.values.costUsd) - sum(a.values.costUsd) || sum(b.values.requests) - sum(a.values.requests) || a.key.localeCompare(b.key));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    unit: range.unit,
    times,
    total: total.values(),
    byConfiguration: groups(configurations),
    byProvider: groups(providers),
    widenedToWholeDays: widened,
    hourlyDetailFrom,
  };
}

/** Running sums of one group, and its latency histogram per bucket. */
class Accumulator {
  private readonly requests: number[];
  private readonly input: number[];
  private readonly output: number[];
  private readonly cached: number[];
  private readonly cost: number[];
  private readonly errors: number[];
  private readonly histograms: (Map<number, number> | undefined)[];

  constructor(
    count: number,
    readonly provider = '',
  ) {
    this.requests = new Array<number>(count).fill(0);
    this.input = new Array<number>(count).fill(0);
    this.output = new Array<number>(count).fill(0);
    this.cached = new Array<number>(count).fill(0);
    this.cost = new Array<number>(count).fill(0);
    this.errors = new Array<number>(count).fill(0);
    this.histograms = new Array<Map<number, number> | undefined>(count).fill(undefined);
  }

  add(i: number, row: SeriesTotalsRow): void {
    const t = row.totals;
    this.requests[i] = (this.requests[i] ?? 0) + t.requestCount;
    this.input[i] = (this.input[i] ?? 0) + t.inputTokens;
    this.output[i] = (this.output[i] ?? 0) + t.outputTokens;
    this.cached[i] = (this.cached[i] ?? 0) + t.cachedTokens;
    this.cost[i] = (this.cost[i] ?? 0) + t.costUsd;
    this.errors[i] = (this.errors[i] ?? 0) + t.errorCount;
  }

  addLatency(i: number, bucket: number, n: number): void {
    let histogram = this.histograms[i];
    if (!histogram) {
      histogram = new Map();
      this.histograms[i] = histogram;
    }
    histogram.set(bucket, (histogram.get(bucket) ?? 0) + n);
  }

  values(): SeriesValues {
    const percentile = (p: number): (number | null)[] => this.histograms.map((h) => (h ? percentileOf(h, p) : null));
    return {
      requests: this.requests,
      inputTokens: this.input,
      outputTokens: this.output,
      cachedTokens: this.cached,
      costUsd: this.cost,
      errors: this.errors,
      p50LatencyMs: percentile(50),
      p95LatencyMs: percentile(95),
    };
  }
}

/** Rows still buffered in memory, as if they had been read back, so a chart drawn right after a request shows it. */
function addPending(
  rows: { totals: SeriesTotalsRow[]; latency: SeriesLatencyRow[] },
  pending: readonly RequestLogEntry[],
  userId: string,
  from: Date,
  to: Date,
  unit: SeriesUnit,
): void {
  const a = from.toISOString();
  const b = to.toISOString();
  for (const entry of pending) {
    const at = new Date(entry.startedAt).toISOString();
    if (entry.userId !== userId || at < a || at >= b) continue;
    const bucket = at.slice(0, unit === 'hour' ? 13 : 10);
    const input = entry.inputTokens ?? 0;
    const output = entry.outputTokens ?? 0;
    rows.totals.push({
      configurationId: entry.configurationId,
      provider: entry.provider,
      bucket,
      totals: {
        requestCount: 1, inputTokens: input, outputTokens: output, cachedTokens: entry.cachedTokens ?? 0, totalTokens: input + output,
        costUsd: entry.costUsd ?? 0, errorCount: entry.outcome === 'error' ? 1 : 0, latencyMsSum: entry.latencyMs ?? 0, latencyCount: entry.latencyMs == null ? 0 : 1,
      },
    });
    if (entry.latencyMs != null) rows.latency.push({ configurationId: entry.configurationId, bucket, latencyBucket: latencyBucketOf(entry.latencyMs), count: 1 });
  }
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

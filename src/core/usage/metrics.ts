import { latencyBucketValue, type UsageDetail } from '../store';

/** The seed's UsageMetrics, plus the token split, time to first token and latency percentiles. */
export interface UsageMetrics {
  readonly requestCount: number;
  /** Input + output tokens (cached input is a part of input). */
  readonly tokenCount: number;
  readonly costUSD: number;
  /** Mean latency in ms over requests that measured one; 0 when none did. */
  readonly averageLatency: number;
  /** Failed requests / requests, 0..1. */
  readonly errorRate: number;
  /** ISO time of the latest request, null when there was none. */
  readonly lastUsed: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly errorCount: number;
  readonly averageTtftMs: number | null;
  /** From the latency histogram: within LATENCY_RELATIVE_ERROR (under 1 %) of the exact value. */
  readonly p50LatencyMs: number | null;
  readonly p95LatencyMs: number | null;
  /** Requests whose model had no known price: their cost is not in costUSD. */
  readonly unpricedRequests: number;
}

export function toMetrics(detail: UsageDetail): UsageMetrics {
  return {
    requestCount: detail.requestCount,
    tokenCount: detail.inputTokens + detail.outputTokens,
    costUSD: detail.costUsd,
    averageLatency: detail.latencyCount === 0 ? 0 : detail.latencyMsSum / detail.latencyCount,
    errorRate: detail.requestCount === 0 ? 0 : detail.errorCount / detail.requestCount,
    lastUsed: detail.lastUsedAt,
    inputTokens: detail.inputTokens,
    outputTokens: detail.outputTokens,
    cachedTokens: detail.cachedTokens,
    errorCount: detail.errorCount,
    averageTtftMs: detail.ttftCount === 0 ? null : detail.ttftMsSum / detail.ttftCount,
    p50LatencyMs: percentileOf(detail.latencyBuckets, 50),
    p95LatencyMs: percentileOf(detail.latencyBuckets, 95),
    unpricedRequests: detail.unpricedCount,
  };
}

/** Nearest-rank percentile of a latency histogram: the bucket holding the ⌈p·n⌉-th smallest value. */
export function percentileOf(buckets: ReadonlyMap<number, number>, p: number): number | null {
  let total = 0;
  for (const n of buckets.values()) total += n;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(bucket) ?? 0;
    if (seen >= rank) return latencyBucketValue(bucket);
  }
  return null;
}

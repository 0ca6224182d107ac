/**
 * Latency is kept per day as a log-scale histogram (provider_usage's companion table usage_latency_buckets), so p50/p95
 * over any number of days cost a few thousand rows instead of sorting every request. Bucket i > 0 holds
 * (γ^(i-1), γ^i] ms; bucket 0 holds everything up to 1 ms. Reporting 2γ^i/(γ+1) for a bucket is off by at most
 * (γ-1)/(γ+1), under 1 %.
 */
export const LATENCY_BUCKET_GAMMA = 1.02;

/** The bucket of a latency column, computed by SQLite everywhere (rollups, edge days, backfill) so they always agree. */
export function latencyBucketSql(column: string): string {
  // ceil() without sql.js's deprecated extension functions: the integer part, plus one if anything is left.
  const x = `(ln(${column}) / ln(${String(LATENCY_BUCKET_GAMMA)}))`;
  return `(CASE WHEN ${column} <= 1 THEN 0 ELSE CAST(${x} AS INTEGER) + (${x} > CAST(${x} AS INTEGER)) END)`;
}

/** The value a bucket stands for. */
export function latencyBucketValue(bucket: number): number {
  if (bucket <= 0) return 1;
  return (2 * LATENCY_BUCKET_GAMMA ** bucket) / (LATENCY_BUCKET_GAMMA + 1);
}

/** The largest relative error of a reported percentile. */
export const LATENCY_RELATIVE_ERROR = (LATENCY_BUCKET_GAMMA - 1) / (LATENCY_BUCKET_GAMMA + 1);

/** The same bucket computed in JavaScript, for rows still buffered in memory. */
export function latencyBucketOf(ms: number): number {
  return ms <= 1 ? 0 : Math.ceil(Math.log(ms) / Math.log(LATENCY_BUCKET_GAMMA));
}

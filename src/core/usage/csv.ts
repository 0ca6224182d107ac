import type { SeriesGroup, UsageSeries } from './series';

const HEADER = ['period start (UTC)', 'group', 'provider', 'requests', 'input tokens', 'output tokens', 'cached tokens', 'cost (USD)', 'errors', 'error rate', 'p50 latency (ms)', 'p95 latency (ms)'];

/**
 * The dashboard's series as CSV: one line per bucket and configuration (or provider), the figures the charts draw.
 * `labelOf` names a group (the configuration's name); cells are quoted, and a leading = + - @ is neutralised so a
 * spreadsheet never runs a configuration name as a formula.
 */
export function usageSeriesCsv(series: UsageSeries, groupBy: 'configuration' | 'provider', labelOf: (group: SeriesGroup) => string): string {
  const lines = [HEADER.map(cell).join(',')];
  const groups = groupBy === 'configuration' ? series.byConfiguration : series.byProvider;
  series.times.forEach((time, i) => {
    const start = new Date(time).toISOString();
    const bucket = series.unit === 'day' ? start.slice(0, 10) : start.slice(0, 16);
    for (const group of groups) {
      const v = group.values;
      const requests = v.requests[i] ?? 0;
      if (requests === 0) continue;
      const errors = v.errors[i] ?? 0;
      lines.push([
        bucket, labelOf(group), group.provider, requests, v.inputTokens[i] ?? 0, v.outputTokens[i] ?? 0, v.cachedTokens[i] ?? 0,
        round(v.costUsd[i] ?? 0, 6), errors, round(errors / requests, 4), optional(v.p50LatencyMs[i]), optional(v.p95LatencyMs[i]),
      ].map(cell).join(','));
    }
  });
  return `${lines.join('\r\n')}\r\n`;
}

function optional(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(Math.round(value));
}

function round(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

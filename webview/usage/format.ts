import { formatUsd } from '../../src/protocol/money';

export { formatUsd };

// How the dashboard writes numbers: fixed English formats, so screenshots and tests read the same everywhere.
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** Axis labels: 1.2K, 3.4M. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

export function formatMs(value: number | null): string {
  return value === null ? '—' : `${integer.format(Math.round(value))} ms`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;
}

/** "2026-11-27 13:05 UTC" */
export function formatUtc(iso: string | null): string {
  return iso === null ? '—' : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * What requests cost: "no price" when none of them had a known price (never "$0.00", which reads as free: a local
 * model is free, an unknown price is not), "$1.20 + no price" when only some had one.
 */
export function formatCost(metrics: { readonly costUSD: number; readonly requestCount: number; readonly unpricedRequests: number }, noPrice: string): string {
  if (metrics.unpricedRequests > 0 && metrics.unpricedRequests >= metrics.requestCount) return noPrice;
  if (metrics.unpricedRequests > 0) return `${formatUsd(metrics.costUSD)} + ${noPrice}`;
  return formatUsd(metrics.costUSD);
}

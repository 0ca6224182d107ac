export { formatUsd } from '../../src/protocol/money';

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

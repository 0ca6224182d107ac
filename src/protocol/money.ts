// The one way money is written, in every view, message and chat (host and webview both import it).

/** Below this a cost is shown as "< $0.0001": more digits would only be noise. */
const TINY = 0.0001;
// Built on first use: the first Intl formatter of a process loads locale data (tens of ms), which activation must not pay.
let cents: Intl.NumberFormat | undefined;

/**
 * A cost or a limit in US dollars: "$0.00" for exactly zero, two decimals from one cent up ("$1,234.50"), two
 * significant digits below a cent ("$0.003", "$0.0042"), and "< $0.0001" for less than that.
 */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value < 0) return `-${formatUsd(-value)}`;
  if (value === 0) return '$0.00';
  if (value < TINY) return '< $0.0001';
  // Rounded first, so that $0.00999 reads as "$0.01" rather than "$0.0100".
  const rounded = value < 0.01 ? Number(value.toPrecision(2)) : value;
  if (rounded >= 0.01) return `$${(cents ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(rounded)}`;
  return `$${String(rounded)}`;
}

/** A price per million tokens ("$0.0375", "$2.50", "$15.00"): like formatUsd, with up to four decimals below a dollar. */
export function formatUsdPrice(perMillionTokens: number): string {
  if (perMillionTokens > 0 && perMillionTokens < 1) {
    const shown = Number(perMillionTokens.toPrecision(3));
    if (shown < 0.01) return formatUsd(shown);
    return `$${shown.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
  }
  return formatUsd(perMillionTokens);
}

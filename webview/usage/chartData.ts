// What the charts draw, computed without the DOM (unit-tested in plain Node).

export interface ChartSeries {
  readonly label: string;
  /** One value per time; null where there is nothing to draw. */
  readonly values: readonly (number | null)[];
}

/**
 * The steps between a count axis' ticks (requests, tokens): whole numbers only, 1, 2, 5, 10, 20, 50… so that a chart
 * of three requests is labelled 0, 1, 2, 3 and never 0.5 or 1.5 requests.
 */
export const COUNT_INCREMENTS: readonly number[] = Array.from({ length: 16 }, (_, power) => [1, 2, 5].map((m) => m * 10 ** power)).flat();

/** A colour with an alpha channel, for area fills: works for #rgb, #rrggbb and anything else (left opaque). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return color;
  const full = hex.length === 3 ? hex.replace(/./g, (c) => c + c) : hex;
  return `#${full}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}

/** Running totals, so stacked areas can be drawn as ordinary filled series (top one first). */
export function stack(series: readonly ChartSeries[]): (number | null)[][] {
  const sums: (number | null)[][] = [];
  let below: (number | null)[] | undefined;
  for (const s of series) {
    const row = s.values.map((v, i) => (v ?? 0) + (below?.[i] ?? 0));
    sums.push(row);
    below = row;
  }
  return sums;
}

/** Red, green and blue (0-255) of #rgb, #rrggbb, #rrggbbaa or rgb()/rgba(); undefined for anything else. */
export function parseColor(color: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color.trim())?.[1];
  if (hex) {
    const full = hex.length === 3 ? hex.replace(/./g, (c) => c + c) : hex.slice(0, 6);
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)/i.exec(color.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

function luminance([r, g, b]: readonly [number, number, number]): number {
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of two colours (1 to 21); undefined when either cannot be read. */
export function contrastRatio(a: string, b: string): number | undefined {
  const x = parseColor(a);
  const y = parseColor(b);
  if (!x || !y) return undefined;
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The theme's chart colour, darkened on a light background or lightened on a dark one until it stands out from the
 * background by `minimum` (3:1, what WCAG asks of graphics): Light Modern's orange is pale on white, Dark Modern's
 * dark on black. A colour that cannot be read is returned as it is.
 */
export function withContrast(color: string, background: string, minimum = 3): string {
  const rgb = parseColor(color);
  const bg = parseColor(background);
  if (!rgb || !bg) return color;
  const toward = luminance(bg) > 0.5 ? 0 : 255;
  let current = rgb;
  for (let step = 0; step <= 20; step++) {
    const hex = `#${current.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
    if ((contrastRatio(hex, background) ?? 0) >= minimum || step === 20) return step === 0 ? color : hex;
    current = current.map((v) => v + (toward - v) * 0.1) as [number, number, number];
  }
  return color;
}

// What the charts draw, computed without the DOM (unit-tested in plain Node).

export interface ChartSeries {
  readonly label: string;
  /** One value per time; null where there is nothing to draw. */
  readonly values: readonly (number | null)[];
}

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

// Time-series charts with uPlot: canvas drawing, no eval, no style elements or attributes in markup (it sets element.style
// from script, which the panel's CSP allows), its stylesheet served as a file from the extension.
import uPlot from 'uplot';
import { COUNT_INCREMENTS, stack, withAlpha, withContrast, type ChartSeries } from './chartData';

export type { ChartSeries };

/** Colours read from the active VS Code theme. */
export interface ChartTheme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly palette: readonly string[];
  readonly font: string;
}


export interface ChartSpec {
  /** Bucket starts, ms since the epoch. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  /** Stacked areas (each series drawn on top of the ones before it) instead of lines. */
  readonly stacked?: boolean;
  readonly format: (value: number) => string;
  /** A count (requests, tokens): the y axis ticks whole numbers only. */
  readonly counts?: boolean;
  /** Shorter labels for the y axis; default `format`. */
  readonly axisFormat?: (value: number) => string;
  readonly width: number;
  readonly height: number;
}

const FALLBACK_PALETTE = ['#3794ff', '#f14c4c', '#cca700', '#d18616', '#89d185', '#b180d7'];

/** The theme's chart colours (--vscode-charts-*), foreground and grid, as computed now. */
export function readChartTheme(element: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(element);
  const get = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const background = get('--vscode-editor-background', '#ffffff');
  const names = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];
  return {
    foreground: get('--vscode-foreground', '#cccccc'),
    muted: get('--vscode-descriptionForeground', '#999999'),
    grid: get('--vscode-editorWidget-border', get('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    // Each series stands out from the editor's background in every theme (3:1), whatever the theme's chart colours.
    palette: names.map((n, i) => withContrast(get(`--vscode-charts-${n}`, FALLBACK_PALETTE[i] ?? '#888888'), background)),
    font: `${get('--vscode-font-size', '12px')} ${get('--vscode-font-family', 'sans-serif')}`,
  };
}

/** Draws a chart into `target` and returns it; the caller destroys it (theme change, new data, unmount). */
export function drawChart(target: HTMLElement, spec: ChartSpec, theme: ChartTheme): uPlot {
  const x = spec.times.map((t) => t / 1000);
  const lines = spec.stacked ? stack(spec.series) : spec.series.map((s) => [...s.values]);
  // Stacked: the highest running total is drawn first, each lower one over it.
  const order = spec.stacked ? spec.series.map((_, i) => spec.series.length - 1 - i) : spec.series.map((_, i) => i);
  const axis = (): uPlot.Axis => ({
    stroke: theme.muted,
    font: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  });
  const options: uPlot.Options = {
    width: spec.width,
    height: spec.height,
    // Buckets are UTC hours or days: label them in UTC, like every figure in the dashboard.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] } },
    axes: [
      axis(),
      { ...axis(), size: 64, ...(spec.counts ? { incrs: [...COUNT_INCREMENTS] } : {}), values: (_u, values) => values.map((v) => (spec.axisFormat ?? spec.format)(v)) },
    ],
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { live: true },
    series: [
      { label: 'Time', value: (_u, v) => (Number.isFinite(v) ? new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' ') : '—') },
      ...order.map((i): uPlot.Series => {
        const color = theme.palette[i % theme.palette.length] ?? theme.foreground;
        const source = spec.series[i];
        return {
          label: source?.label ?? '',
          stroke: color,
          width: 1.5,
          points: { show: spec.times.length <= 60 },
          // Nearly opaque: a see-through fill mixes with the background and loses the contrast the colour has.
          ...(spec.stacked ? { fill: withAlpha(color, 0.9) } : {}),
          // The legend shows each series' own value, not the running total it is drawn at.
          value: (_u, _v, _s, idx) => {
            const value = idx === null ? null : source?.values[idx];
            return value === null || value === undefined ? '—' : spec.format(value);
          },
          spanGaps: false,
        };
      }),
    ],
  };
  const data: uPlot.AlignedData = [x, ...order.map((i) => lines[i] ?? [])];
  return new uPlot(options, data, target);
}

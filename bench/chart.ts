import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../test/host/paths';
import { launchBrowser, newPage } from '../test/host/workbench';
import { emit, median, note } from './result';

const POINTS = 100_000;
const RUNS = 9;

/**
 * In the page: the dashboard's own drawChart (uPlot) over 100k points, against the same points drawn as one plain
 * canvas polyline at the same size. Each timing runs until the pixels are on the canvas (a pixel read waits for them).
 */
const MEASURE = `(async () => {
  const n = ${String(POINTS)}, runs = ${String(RUNS)}, width = 1200, height = 200;
  const start = Date.UTC(2026, 0, 1);
  const times = Array.from({ length: n }, (_, i) => start + i * 60000);
  const values = Array.from({ length: n }, (_, i) => 500 + 400 * Math.sin(i / 500) + ((i * 7919) % 97));
  const theme = MMCharts.readChartTheme();
  const spec = { times, series: [{ label: 'Requests', values }], stacked: false, format: (v) => String(Math.round(v)), width, height };
  const host = document.getElementById('chart');
  const ours = [], plain = [];
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    const chart = MMCharts.drawChart(host, spec, theme);
    await Promise.resolve();
    chart.ctx.getImageData(0, 0, 1, 1);
    ours.push(performance.now() - t);
    if (chart.data[1].length !== n) throw new Error('the chart holds ' + chart.data[1].length + ' points');
    // The timing must have included the drawing: the plot area already has the line's pixels.
    const b = chart.bbox, pixels = chart.ctx.getImageData(b.left, b.top, b.width, b.height).data;
    let inked = 0;
    // Pixels of the series' own colour (the fallback blue #3794ff: this page has no theme variables), not the grid's.
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 200 && Math.abs(pixels[i] - 0x37) < 24 && Math.abs(pixels[i + 1] - 0x94) < 24 && pixels[i + 2] > 0xe0) inked++;
    if (inked < 1000) throw new Error('uPlot had not drawn when the timing stopped (' + inked + ' pixels)');
    chart.destroy();

    t = performance.now();
    const canvas = document.createElement('canvas');
    canvas.width = width * devicePixelRatio;
    canvas.height = height * devicePixelRatio;
    document.body.append(canvas);
    const ctx = canvas.getContext('2d');
    let min = Infinity, max = -Infinity;
    for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
    const sx = canvas.width / (times[n - 1] - times[0]), sy = canvas.height / (max - min);
    ctx.strokeStyle = theme.palette[0];
    ctx.beginPath();
    ctx.moveTo(0, canvas.height - (values[0] - min) * sy);
    for (let i = 1; i < n; i++) ctx.lineTo((times[i] - times[0]) * sx, canvas.height - (values[i] - min) * sy);
    ctx.stroke();
    ctx.getImageData(0, 0, 1, 1);
    plain.push(performance.now() - t);
    canvas.remove();
  }
  return { ours, plain };
})()`;

/** chart_100k_ms: the usage chart drawing 100k points in headless Chromium, against a plain canvas polyline. */
export async function runChart(): Promise<void> {
  const bundle = await build({
    stdin: { contents: "export { drawChart, readChartTheme } from './webview/usage/charts';", resolveDir: projectRoot, loader: 'ts' },
    bundle: true,
    format: 'iife',
    globalName: 'MMCharts',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const css = readFileSync(join(projectRoot, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), 'utf8');
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><div id="chart"></div></body></html>`);
    await page.addScriptTag({ content: script });
    const { ours, plain } = await page.evaluate<{ ours: number[]; plain: number[] }>(MEASURE);
    note(`uPlot ${ours.map((t) => t.toFixed(1)).join(', ')} ms; plain canvas ${plain.map((t) => t.toFixed(1)).join(', ')} ms`);
    const value = median(ours);
    emit({ bench: 'usage', metric: 'chart_100k_ms', value, unit: 'ms', baseline: 'the same 100k points as one plain canvas polyline', ratio: value / median(plain), goal: '<=50' });
  } finally {
    await browser.close();
  }
}

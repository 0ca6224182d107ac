import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type * as ChartTypes from '../../../webview/usage/chartData';
import type * as FormatTypes from '../../../webview/usage/format';

const root = resolve(__dirname, '..', '..', '..', '..');

/** Browser code outside the test build: bundled on the fly (these functions need no DOM). */
function load(path: string[]): unknown {
  const [output] = buildSync({ entryPoints: [join(root, ...path)], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' }).outputFiles;
  const file = join(mkdtempSync(join(tmpdir(), 'charts-')), 'module.js');
  writeFileSync(file, output?.text ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a freshly bundled file, loaded once
  return require(file) as unknown;
}

describe('the dashboard\'s chart helpers', () => {
  const charts = load(['webview', 'usage', 'chartData.ts']) as typeof ChartTypes;
  const format = load(['webview', 'usage', 'format.ts']) as typeof FormatTypes;

  it('stacks series into running totals, empty buckets counting as zero', () => {
    assert.deepEqual(charts.stack([
      { label: 'openai', values: [1, 2, null] },
      { label: 'ollama', values: [10, null, 5] },
      { label: 'gemini', values: [0, 3, 1] },
    ]), [[1, 2, 0], [11, 2, 5], [11, 5, 6]]);
  });

  it('steps a count axis (requests, tokens) by whole numbers only: no tick at 0.5 requests', () => {
    assert.deepEqual(charts.COUNT_INCREMENTS.slice(0, 7), [1, 2, 5, 10, 20, 50, 100]);
    for (const step of charts.COUNT_INCREMENTS) assert.ok(Number.isInteger(step) && step >= 1, `${String(step)} is a whole number`);
    assert.ok(charts.COUNT_INCREMENTS.some((step) => step >= 1e12), 'a trillion tokens still gets a step');
  });

  it('adds an alpha channel to theme colours it can read, and leaves others alone', () => {
    assert.equal(charts.withAlpha('#3794ff', 0.5), '#3794ff80');
    assert.equal(charts.withAlpha('#abc', 1), '#aabbccff');
    assert.equal(charts.withAlpha('rgb(1, 2, 3)', 0.5), 'rgb(1, 2, 3)');
  });

  it('gives every chart colour a 3:1 contrast with the background, in light and dark themes', () => {
    // Light Modern's and Dark Modern's charts.orange and charts.yellow on their editor backgrounds.
    for (const [color, background] of [['#d18616', '#ffffff'], ['#bf8803', '#ffffff'], ['#d18616', '#1f1f1f'], ['#8a5a00', '#1f1f1f'], ['#ffd8b0', '#ffffff']] as const) {
      const shown = charts.withContrast(color, background);
      assert.ok((charts.contrastRatio(shown, background) ?? 0) >= 3, `${color} on ${background} became ${shown}`);
    }
    assert.equal(charts.withContrast('#3794ff', '#1f1f1f'), '#3794ff', 'a colour that already stands out is kept');
    assert.ok((charts.contrastRatio('#ffd8b0', '#ffffff') ?? 0) < 1.5, 'the pale peach of the issue is indeed pale');
    assert.equal(charts.withContrast('var(--x)', '#ffffff'), 'var(--x)');
    assert.deepEqual(charts.parseColor('rgb(31, 31, 31)'), [31, 31, 31]);
  });

  it('writes an unknown cost as "no price", never "$0.00" (which reads as free)', () => {
    assert.equal(format.formatCost({ costUSD: 0, requestCount: 3, unpricedRequests: 3 }, 'no price'), 'no price');
    assert.equal(format.formatCost({ costUSD: 1.2, requestCount: 3, unpricedRequests: 1 }, 'no price'), '$1.20 + no price');
    // A local model's requests are priced at zero: free, and shown so.
    assert.equal(format.formatCost({ costUSD: 0, requestCount: 3, unpricedRequests: 0 }, 'no price'), '$0.00');
    assert.equal(format.formatCost({ costUSD: 0, requestCount: 0, unpricedRequests: 0 }, 'no price'), '$0.00');
  });

  it('writes figures the way the dashboard shows them', () => {
    assert.equal(format.formatUsd(0), '$0.00');
    assert.equal(format.formatUsd(0.00012), '$0.00012');
    assert.equal(format.formatUsd(1234.5), '$1,234.50');
    assert.equal(format.formatUsd(0.30000000000000004), '$0.30');
    assert.equal(format.formatCount(5148514), '5,148,514');
    assert.equal(format.formatPercent(0.0381), '3.8 %');
    assert.equal(format.formatMs(null), '—');
    assert.equal(format.formatMs(798.6), '799 ms');
    assert.equal(format.formatUtc('2026-11-27T16:05:00.000Z'), '2026-11-27 16:05 UTC');
  });
});

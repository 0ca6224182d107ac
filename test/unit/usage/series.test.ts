import * as assert from 'node:assert/strict';
import { LATENCY_RELATIVE_ERROR } from '../../../src/core/store';
import { resolveChartPeriod } from '../../../src/core/usage';
import { usageFixture, type UsageFixture } from './setup';

const D = 86_400_000;

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= expected * LATENCY_RELATIVE_ERROR + 1e-9, `${what}: ${String(actual)} is not within 1 % of ${String(expected)}`);
}

describe('usage series for the charts', () => {
  let fixture: UsageFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('resolves the period picker to UTC hours or days', () => {
    const now = new Date('2026-11-27T12:30:00Z');
    assert.deepEqual(resolveChartPeriod('24h', now), { from: new Date('2026-11-26T13:00:00Z'), to: new Date('2026-11-27T13:00:00Z'), unit: 'hour' });
    assert.deepEqual(resolveChartPeriod('7d', now), { from: new Date('2026-11-21T00:00:00Z'), to: new Date('2026-11-28T00:00:00Z'), unit: 'day' });
    assert.deepEqual(resolveChartPeriod('30d', now), { from: new Date('2026-10-29T00:00:00Z'), to: new Date('2026-11-28T00:00:00Z'), unit: 'day' });
    assert.equal(resolveChartPeriod({ from: '2026-11-25T00:00:00Z', to: '2026-11-27T00:00:00Z' }, now).unit, 'hour');
    assert.equal(resolveChartPeriod({ from: '2026-11-25T00:00:00Z', to: '2026-11-27T00:00:01Z' }, now).unit, 'day');
    assert.throws(() => resolveChartPeriod({ from: '2026-11-27', to: '2026-11-26' }, now), /ends before it starts/);
    assert.throws(() => resolveChartPeriod({ from: 'yesterday', to: '2026-11-26' }, now), /valid start and end/);
    assert.throws(() => resolveChartPeriod({ from: '2000-01-01', to: '2026-11-26' }, now), /at most 3660 days/);
  });

  it('buckets 7 days per configuration and per provider, from flushed rollups, edge rows and rows not flushed yet', async () => {
    const f = (fixture = await usageFixture({ start: '2026-11-27T12:30:00Z' }));
    // $1 per million input and $2 per million output tokens: costs are exact.
    const price = { inputPricePerMTok: 1, outputPricePerMTok: 2 };
    const a = await f.addConfiguration({ name: 'A', provider: 'openai-compatible', model: 'm', baseUrl: 'https://a.example.com/v1', config: price });
    const b = await f.addConfiguration({ name: 'B', provider: 'openai-compatible', model: 'm', baseUrl: 'https://b.example.com/v1', config: price });
    const o = await f.addConfiguration({ name: 'Local', provider: 'ollama', model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434' });
    const at = (iso: string) => iso;
    // Outside the window: the day before it starts.
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: at('2026-11-20T23:59:59Z'), outcome: 'success', usage: { input: 999, output: 999 }, latencyMs: 5 });
    // 2026-11-21 (first bucket): A twice, one failed.
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: at('2026-11-21T00:00:00Z'), outcome: 'success', usage: { input: 1000, output: 500, cached: 100 }, latencyMs: 100 });
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: at('2026-11-21T08:00:00Z'), outcome: 'error', errorCode: 'timeout', latencyMs: 300 });
    // 2026-11-23: B and the local model.
    await f.tracker.recordUsage({ configurationId: b.id, startedAt: at('2026-11-23T10:00:00Z'), outcome: 'success', usage: { input: 2000, output: 1000 }, latencyMs: 200 });
    await f.tracker.recordUsage({ configurationId: o.id, startedAt: at('2026-11-23T11:00:00Z'), outcome: 'success', usage: { input: 4000, output: 4000 }, latencyMs: 50 });
    await f.store.flush();
    // Today, not flushed yet: A once more.
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: at('2026-11-27T12:00:00Z'), outcome: 'success', usage: { input: 10, output: 20 }, latencyMs: 1000 });
    assert.equal(f.store.pendingRequests.length, 1);

    const s = f.tracker.series('7d');
    assert.equal(s.unit, 'day');
    assert.equal(s.from, '2026-11-21T00:00:00.000Z');
    assert.equal(s.to, '2026-11-28T00:00:00.000Z');
    assert.deepEqual(s.times, Array.from({ length: 7 }, (_, i) => Date.parse('2026-11-21T00:00:00Z') + i * D));
    assert.deepEqual(s.total.requests, [2, 0, 2, 0, 0, 0, 1]);
    assert.deepEqual(s.total.inputTokens, [1000, 0, 6000, 0, 0, 0, 10]);
    assert.deepEqual(s.total.outputTokens, [500, 0, 5000, 0, 0, 0, 20]);
    assert.deepEqual(s.total.cachedTokens, [100, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(s.total.errors, [1, 0, 0, 0, 0, 0, 0]);
    // A: 1000 in (100 cached, billed as input without a cached price) + 500 out = $0.002; B: $0.004; local: free.
    assert.deepEqual(s.total.costUsd.map((c) => Math.round(c * 1e9) / 1e9), [0.002, 0, 0.004, 0, 0, 0, 0.00005]);
    assert.deepEqual(s.byConfiguration.map((g) => g.key), [b.id, a.id, o.id]);
    const byA = s.byConfiguration.find((g) => g.key === a.id);
    assert.ok(byA);
    assert.deepEqual(byA.values.requests, [2, 0, 0, 0, 0, 0, 1]);
    close(byA.values.p50LatencyMs[0], 100, 'A p50 on the 21st');
    close(byA.values.p95LatencyMs[0], 300, 'A p95 on the 21st');
    close(byA.values.p95LatencyMs[6], 1000, 'A p95 today (not flushed)');
    assert.equal(byA.values.p50LatencyMs[1], null);
    assert.deepEqual(s.byProvider.map((g) => [g.key, g.values.requests]), [
      ['openai-compatible', [2, 0, 1, 0, 0, 0, 1]],
      ['ollama', [0, 0, 1, 0, 0, 0, 0]],
    ]);
    close(s.total.p50LatencyMs[2], 50, 'p50 of 50 ms and 200 ms');
    close(s.total.p95LatencyMs[2], 200, 'p95 of 50 ms and 200 ms');
    assert.equal(s.widenedToWholeDays, false);
    assert.equal(s.hourlyDetailFrom, null);

    // The chart's sums equal the report's totals over the same window.
    const report = await f.tracker.generateUsageReport(f.userId, { from: s.from, to: s.to });
    assert.equal(report.totals.requestCount, 5);
    assert.equal(report.totals.inputTokens, s.total.inputTokens.reduce((x, y) => x + y, 0));
  });

  it('buckets the last 24 hours by the hour from raw rows', async () => {
    const f = (fixture = await usageFixture({ start: '2026-11-27T12:30:00Z' }));
    const a = await f.addConfiguration({ name: 'A', provider: 'ollama', model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434' });
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: '2026-11-26T12:59:59Z', outcome: 'success', usage: { input: 1, output: 1 } });
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: '2026-11-26T13:00:00Z', outcome: 'success', usage: { input: 3, output: 4 }, latencyMs: 40 });
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: '2026-11-27T00:15:00Z', outcome: 'error', latencyMs: 80 });
    await f.store.flush();
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: '2026-11-27T12:29:00Z', outcome: 'success', usage: { input: 5, output: 6 } });
    const s = f.tracker.series('24h');
    assert.equal(s.unit, 'hour');
    assert.equal(s.times.length, 24);
    assert.equal(s.times[0], Date.parse('2026-11-26T13:00:00Z'));
    const expected = new Array<number>(24).fill(0);
    expected[0] = 1;
    expected[11] = 1;
    expected[23] = 1;
    assert.deepEqual(s.total.requests, expected);
    assert.equal(s.total.inputTokens[0], 3);
    assert.equal(s.total.errors[11], 1);
    close(s.total.p50LatencyMs[11], 80, 'p50 at midnight');
    assert.equal(s.total.p50LatencyMs[23], null);
  });

  it('says when hourly detail is gone and keeps daily totals after the raw rows are pruned', async () => {
    const f = (fixture = await usageFixture({ start: '2026-11-27T12:30:00Z', retentionDays: 2 }));
    const a = await f.addConfiguration({ name: 'A', provider: 'ollama', model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434' });
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: '2026-11-20T06:00:00Z', outcome: 'success', usage: { input: 7, output: 3 }, latencyMs: 20 });
    await f.tracker.recordUsage({ configurationId: a.id, startedAt: '2026-11-20T18:00:00Z', outcome: 'success', usage: { input: 1, output: 1 }, latencyMs: 20 });
    assert.equal(await f.tracker.pruneOldRequests(), 2);
    const daily = f.tracker.series('30d');
    const i = daily.times.indexOf(Date.parse('2026-11-20T00:00:00Z'));
    assert.equal(daily.total.requests[i], 2);
    assert.equal(daily.total.inputTokens[i], 8);
    close(daily.total.p95LatencyMs[i], 20, 'p95 from the daily histogram');
    const hourly = f.tracker.series({ from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' });
    assert.equal(hourly.unit, 'hour');
    assert.equal(hourly.hourlyDetailFrom, '2026-11-25T00:00:00.000Z');
    assert.equal(hourly.total.requests.reduce((x, y) => x + y, 0), 0);
    // A custom daily range starting inside a pruned day is widened to that whole day.
    const widened = f.tracker.series({ from: '2026-11-20T12:00:00Z', to: '2026-11-27T00:00:00Z' });
    assert.equal(widened.widenedToWholeDays, true);
    assert.equal(widened.from, '2026-11-20T00:00:00.000Z');
    assert.equal(widened.total.requests[0], 2);
  });

  it('adds 3,000 requests over 30 days up to exactly their totals', async () => {
    const f = (fixture = await usageFixture({ start: '2026-11-27T12:30:00Z' }));
    const a = await f.addConfiguration({ name: 'A', provider: 'ollama', model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434' });
    for (let i = 0; i < 3000; i++) {
      await f.tracker.recordUsage({ configurationId: a.id, startedAt: new Date(Date.parse('2026-10-29T00:00:00Z') + i * 14 * 60_000).toISOString(), outcome: i % 10 === 0 ? 'error' : 'success', usage: { input: 2, output: 1 }, latencyMs: 100 + (i % 100) });
    }
    await f.store.flush();
    const s = f.tracker.series('30d');
    assert.equal(s.total.requests.reduce((x, y) => x + y, 0), 3000);
    assert.equal(s.total.errors.reduce((x, y) => x + y, 0), 300);
    assert.equal(s.times.length, 30);
  });
});

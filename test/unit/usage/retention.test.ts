import * as assert from 'node:assert/strict';
import { usageFixture, type UsageFixture } from './setup';

describe('UsageTracker retention', () => {
  let f: UsageFixture;
  beforeEach(async () => {
    f = await usageFixture({ retentionDays: 30 });
  });
  afterEach(async () => {
    await f.close();
  });

  it('prunes raw rows older than the retention while totals, percentiles and the report stay equal', async () => {
    const configuration = await f.addConfiguration({ name: 'Nano', provider: 'openai', model: 'gpt-4.1-nano' });
    const other = await f.addConfiguration({ name: 'Flash', provider: 'gemini', model: 'gemini-2.5-flash' });
    const now = f.clock.now;
    for (let i = 0; i < 1200; i++) {
      await f.tracker.recordUsage({
        configurationId: i % 2 ? configuration.id : other.id, startedAt: new Date(now - i * 7_200_000 - 1000), outcome: i % 13 ? 'success' : 'error',
        usage: { input: 100 + i, output: 20 + (i % 7), cached: i % 3 ? 0 : 50 }, latencyMs: 100 + ((i * 53) % 3000), ttftMs: 30 + (i % 40),
      });
    }
    await f.store.flush();
    const period = { from: '2026-08-01T00:00:00Z', to: '2026-11-27T13:00:00Z' };
    const statsBefore = f.tracker.getUsageStats(configuration.id, period);
    const reportBefore = await f.tracker.generateUsageReport(f.userId, period);
    const rowsBefore = f.store.read((r) => r.requestLog.count(f.userId));
    assert.equal(rowsBefore, 1200);

    const removed = await f.tracker.pruneOldRequests();
    assert.ok(removed > 800, `removed ${String(removed)}`);
    assert.equal(f.store.read((r) => r.requestLog.count(f.userId)), 1200 - removed);
    assert.ok((f.store.read((r) => r.requestLog.oldestStartedAt()) ?? '') >= '2026-10-28T00:00:00.000Z');

    assert.deepEqual(f.tracker.getUsageStats(configuration.id, period), statsBefore);
    const reportAfter = await f.tracker.generateUsageReport(f.userId, period);
    assert.deepEqual({ ...reportAfter, generatedAt: '' }, { ...reportBefore, generatedAt: '' });
    assert.equal(statsBefore.requestCount, 600);
  });

  it('widens a custom range whose edges fall in pruned days to whole days, and says so', async () => {
    const configuration = await f.addConfiguration({ name: 'Nano', provider: 'openai', model: 'gpt-4.1-nano' });
    await f.tracker.recordUsage({ configurationId: configuration.id, startedAt: '2026-09-10T03:00:00Z', outcome: 'success', usage: { input: 1, output: 1 } });
    await f.store.flush();
    await f.tracker.pruneOldRequests();
    const report = await f.tracker.generateUsageReport(f.userId, { from: '2026-09-10T01:00:00Z', to: '2026-09-10T05:00:00Z' });
    assert.deepEqual([report.from, report.to, report.widenedToWholeDays, report.totals.requestCount], ['2026-09-10T00:00:00.000Z', '2026-09-11T00:00:00.000Z', true, 1]);
  });
});

import * as assert from 'node:assert/strict';
import type { Store } from '../../../src/core/store/Store';
import type { RequestLogEntry } from '../../../src/core/store/types';
import { useTempStore } from '../helpers/tempStore';

const DAY = 86_400_000;

describe('the repositories', () => {
  const temp = useTempStore();
  let store: Store;
  let a: string;
  let b: string;
  beforeEach(async () => {
    store = temp.store;
    [a, b] = await store.write((r) => [r.users.ensureLocalUser().id, r.users.create('B').id]);
  });

  it('sums usage over a window from daily rollups and the partial edge days, matching the raw rows exactly', async () => {
    const start = Date.UTC(2026, 0, 1, 5, 30);
    const entries: RequestLogEntry[] = [];
    for (let i = 0; i < 2000; i++) {
      entries.push({
        userId: i % 7 === 0 ? b : a, configurationId: `c${String(i % 3)}`, startedAt: new Date(start + i * 37 * 60_000).toISOString(),
        provider: 'openai', model: 'm', outcome: i % 11 === 0 ? 'error' : 'success', inputTokens: i, outputTokens: 2 * i, cachedTokens: i % 5, costUsd: i / 1000, latencyMs: i % 13 === 0 ? null : 100 + i,
      });
    }
    await store.write((r) => {
      r.requestLog.insertMany(entries);
    });
    for (const [from, to] of [[start + 3.3 * DAY, start + 33.7 * DAY], [start + 2 * DAY, start + 2.5 * DAY], [Date.UTC(2026, 0, 3), Date.UTC(2026, 0, 20)]] as const) {
      const fromDate = new Date(from);
      const toDate = new Date(to);
      const expected = entries.filter((e) => e.userId === a && e.configurationId === 'c1' && Date.parse(e.startedAt) >= from && Date.parse(e.startedAt) < to);
      const totals = store.read((r) => r.usage.forConfiguration(a, 'c1', fromDate, toDate));
      assert.equal(totals.requestCount, expected.length);
      assert.equal(totals.inputTokens, expected.reduce((s, e) => s + (e.inputTokens ?? 0), 0));
      assert.equal(totals.outputTokens, expected.reduce((s, e) => s + (e.outputTokens ?? 0), 0));
      assert.equal(totals.errorCount, expected.filter((e) => e.outcome === 'error').length);
      assert.equal(totals.latencyCount, expected.filter((e) => e.latencyMs !== null).length);
      assert.ok(Math.abs(totals.costUsd - expected.reduce((s, e) => s + (e.costUsd ?? 0), 0)) < 1e-9);
      const byConfiguration = store.read((r) => r.usage.byConfiguration(a, fromDate, toDate));
      assert.equal(byConfiguration.get('c1')?.requestCount, expected.length);
      assert.equal(store.read((r) => r.usage.byConfiguration(b, fromDate, toDate)).get('c1')?.requestCount ?? 0,
        entries.filter((e) => e.userId === b && e.configurationId === 'c1' && Date.parse(e.startedAt) >= from && Date.parse(e.startedAt) < to).length);
    }
  });

  it('scopes route groups and usage by user', async () => {
    const group = await store.write((r) => r.routeGroups.create(a, { name: 'fast', strategy: 'fallback', members: [{ configurationId: 'x' }, { configurationId: 'y', weight: 2 }] }));
    assert.deepEqual(store.read((r) => r.routeGroups.get(a, group.id))?.members, [{ configurationId: 'x' }, { configurationId: 'y', weight: 2 }]);
    assert.deepEqual(store.read((r) => r.routeGroups.list(b)), []);
    assert.equal(store.read((r) => r.routeGroups.get(b, group.id)), undefined);
    assert.equal(await store.write((r) => r.routeGroups.update(b, group.id, { name: 'mine now' })), undefined);
    assert.equal(await store.write((r) => r.routeGroups.delete(b, group.id)), false);
    assert.equal(await store.write((r) => r.routeGroups.delete(a, group.id)), true);
  });

  it('keeps a route group\'s member models and settings, and gives older rows empty settings', async () => {
    const group = await store.write((r) => r.routeGroups.create(a, { name: 'safe', strategy: 'lowest-cost', members: [{ configurationId: 'x', model: 'gpt-4o-mini' }], settings: { fallbackOnAuthError: true, cooldownSeconds: 5 } }));
    assert.deepEqual(group.members, [{ configurationId: 'x', model: 'gpt-4o-mini' }]);
    assert.deepEqual(group.settings, { fallbackOnAuthError: true, cooldownSeconds: 5 });
    const updated = await store.write((r) => r.routeGroups.update(a, group.id, { settings: { restartStreamsWithNotice: true } }));
    assert.deepEqual(updated?.settings, { restartStreamsWithNotice: true });
    const plain = await store.write((r) => r.routeGroups.create(a, { name: 'plain', strategy: 'fallback', members: [] }));
    assert.deepEqual(plain.settings, {});
  });

  it('never stores a secret-looking field in the audit log, whatever the caller passes', async () => {
    await store.write((r) => {
      r.audit.record(a, 'configuration.update', 'configuration', 'c1', { name: 'Work', apiKey: 'sk-live-1', headers: { Authorization: 'Bearer x' }, inputTokens: 3 });
    });
    const [entry] = store.read((r) => r.audit.list(a));
    assert.deepEqual(entry?.details, { name: 'Work', apiKey: '[redacted]', headers: { Authorization: '[redacted]' }, inputTokens: 3 });
    assert.deepEqual(store.read((r) => r.audit.list(b)), []);
  });

  it('keeps built-in templates from being deleted', async () => {
    const builtin = await store.write((r) => r.templates.upsert({ provider: 'openai', name: 'GPT-4o', model: 'gpt-4o', description: '', config: { temperature: 0.7 }, isBuiltin: true }));
    const own = await store.write((r) => r.templates.upsert({ provider: 'ollama', name: 'Local', model: 'llama3', description: 'mine', config: {} }));
    assert.equal(await store.write((r) => r.templates.delete(builtin.id)), false);
    assert.equal(await store.write((r) => r.templates.delete(own.id)), true);
    assert.deepEqual(store.read((r) => r.templates.list()).map((t) => t.name), ['GPT-4o']);
  });
});

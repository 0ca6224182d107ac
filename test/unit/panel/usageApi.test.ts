import * as assert from 'node:assert/strict';
import { ModelCatalog } from '../../../src/core/catalog';
import { BudgetMonitor, HealthMonitor, UsageTracker } from '../../../src/core/usage';
import { handlePanelMessage, type PanelApiDeps } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import { parseResult, type MethodName } from '../../../src/protocol';
import { serviceFixture, type ServiceFixture } from '../services/setup';

describe('the usage dashboard\'s panel API', () => {
  let f: ServiceFixture;
  let deps: PanelApiDeps;
  let saved: { name: string; content: string }[];
  let answer: string | undefined;
  let id = 0;

  const call = async (method: MethodName, params: unknown) => {
    const response = await handlePanelMessage(deps, { kind: 'request', id: ++id, method, params }, () => undefined);
    assert.ok(response);
    return response;
  };

  beforeEach(async () => {
    f = await serviceFixture();
    const now = (): Date => new Date(f.clock.now);
    const usage = new UsageTracker({ store: f.store, userId: f.userId, catalog: () => Promise.resolve(new ModelCatalog({ source: 'test', providers: [] })), now });
    const budgets = new BudgetMonitor({ store: f.store, userId: f.userId, tracker: usage, now });
    const health = new HealthMonitor({ configurations: () => [], resolve: (c) => f.providerAccess.targetOf(c), now });
    saved = [];
    answer = 'usage.csv';
    const session = { now, configurations: f.service, providerAccess: f.providerAccess, keys: f.keys, store: f.store, userId: f.userId, usage, budgets, health } as unknown as StoreSession;
    deps = {
      session,
      templates: () => Promise.resolve([]),
      saveFile: (name, content) => {
        saved.push({ name, content });
        return Promise.resolve(answer);
      },
    };
  });

  afterEach(async () => {
    await f.close();
  });

  it('names every wrong field of a budget and saves, lists and deletes a right one', async () => {
    const refused = await call('budgets.save', { budget: { name: ' ', configurationId: 'gone', period: 'month', limitUsd: -1, limitTokens: 1.5, hardStop: false } });
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'validation');
    assert.deepEqual(refused.error.fieldErrors, [
      { field: 'name', message: 'Give the budget a name.' },
      { field: 'limitUsd', message: 'Enter an amount in USD above 0, or leave it empty.' },
      { field: 'limitTokens', message: 'Enter a whole number of tokens above 0, or leave it empty.' },
      { field: 'configurationId', message: 'That configuration no longer exists; choose another or "All configurations".' },
    ]);
    const neither = await call('budgets.save', { budget: { name: 'x', configurationId: null, period: 'day', limitUsd: null, limitTokens: null, hardStop: false } });
    assert.ok(!neither.ok);
    assert.deepEqual(neither.error.fieldErrors, [{ field: 'limitUsd', message: 'Set a limit in USD, in tokens, or both.' }]);

    const ok = await call('budgets.save', { budget: { name: 'All models', configurationId: null, period: 'month', limitUsd: 25, limitTokens: null, hardStop: true } });
    assert.ok(ok.ok);
    const budget = parseResult('budgets.save', ok.result);
    assert.ok(budget, 'the result matches its schema');
    assert.equal(budget.fraction, 0);
    assert.equal(budget.hardStop, true);
    const list = await call('budgets.list', {});
    assert.ok(list.ok);
    assert.deepEqual(parseResult('budgets.list', list.result)?.map((b) => b.name), ['All models']);
    const removed = await call('budgets.delete', { id: budget.id });
    assert.ok(removed.ok);
    const again = await call('budgets.delete', { id: budget.id });
    assert.ok(!again.ok);
    assert.equal(again.error.code, 'not-found');
  });

  it('answers report and series in their schemas, and exports the series as CSV through the save callback', async () => {
    const configuration = await f.service.createConfiguration({ name: '=HYPERLINK("x")', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:9' } });
    const session = deps.session;
    const at = new Date(f.clock.now - 3_600_000).toISOString();
    await session.usage.recordUsage({ configurationId: configuration.id, startedAt: at, outcome: 'success', usage: { input: 120, output: 30 }, latencyMs: 250 });
    await session.usage.recordUsage({ configurationId: configuration.id, startedAt: at, outcome: 'error', latencyMs: 90 });
    for (const period of ['24h', '7d', '30d', { from: '2026-01-01', to: '2026-01-03' }] as const) {
      const report = await call('usage.report', { period });
      assert.ok(report.ok && parseResult('usage.report', report.result), `usage.report ${JSON.stringify(period)}`);
      const series = await call('usage.series', { period });
      assert.ok(series.ok && parseResult('usage.series', series.result), `usage.series ${JSON.stringify(period)}`);
    }
    const report = await call('usage.report', { period: '24h' });
    assert.ok(report.ok);
    const row = parseResult('usage.report', report.result)?.byConfiguration[0];
    assert.ok(row);
    assert.equal(row.metrics.requestCount, 2);
    assert.equal(row.price, 'local model (no charge)');

    const exported = await call('usage.exportCsv', { period: '24h', groupBy: 'configuration' });
    assert.ok(exported.ok);
    assert.deepEqual(exported.result, { saved: true, fileName: 'usage.csv' });
    const lines = saved[0]?.content.trim().split('\r\n') ?? [];
    assert.equal(lines.length, 2);
    // A name that a spreadsheet would run as a formula is quoted and neutralised.
    assert.ok(lines[1]?.startsWith(`${at.slice(0, 13)}:00,"'=HYPERLINK(""x"")",ollama,2,120,30,0,0,1,0.5,`), lines[1]);
    const [p50, p95] = (lines[1] ?? '').split(',').slice(-2).map(Number);
    assert.ok(Math.abs((p50 ?? 0) - 90) <= 1 && Math.abs((p95 ?? 0) - 250) <= 3, `latencies ${String(p50)} / ${String(p95)}`);
    assert.match(saved[0]?.name ?? '', /^model-manager-usage-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
    answer = undefined;
    const cancelled = await call('usage.exportCsv', { period: '7d', groupBy: 'provider' });
    assert.ok(cancelled.ok);
    assert.deepEqual(cancelled.result, { saved: false });
  });

  it('still opens with a client, budget and configuration whose names were damaged in the store beyond the schema: cut with an ellipsis', async () => {
    const long = (c: string, n: number): string => `${c}${'x'.repeat(n - 1)}`;
    const { client, configuration } = await f.store.write((r) => {
      const client = r.clients.insert({ id: 'client-damaged', userId: f.userId, name: long('T', 10_000), scope: 'chat', tokenHash: 'a'.repeat(64) });
      const configuration = r.configurations.create(f.userId, { name: long('C', 10_000), provider: 'ollama', model: 'llama3.2', baseUrl: 'http://127.0.0.1:9', config: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:9' } });
      r.budgets.save(f.userId, { name: long('B', 5_000), clientId: client.id, period: 'month', limitUsd: 5 });
      return { client, configuration };
    });
    await deps.session.usage.recordUsage({ configurationId: configuration.id, clientId: client.id, outcome: 'success', usage: { input: 10, output: 5 }, latencyMs: 40 });
    const cut = (name: string | null | undefined, first: string): void => {
      assert.ok(name !== null && name !== undefined);
      assert.equal(name.length, 200, `${first}… is cut to the schema's 200 characters`);
      assert.ok(name.startsWith(`${first}xxx`) && name.endsWith('…'), name.slice(-5));
    };
    const clients = await call('usage.clients', {});
    assert.ok(clients.ok, JSON.stringify(clients).slice(0, 300));
    cut(parseResult('usage.clients', clients.result)?.[0]?.name, 'T');
    const budgets = await call('budgets.list', {});
    assert.ok(budgets.ok, JSON.stringify(budgets).slice(0, 300));
    const [budget] = parseResult('budgets.list', budgets.result) ?? [];
    cut(budget?.name, 'B');
    cut(budget?.clientName, 'T');
    for (const client of [undefined, 'client-damaged']) {
      const report = await call('usage.report', { period: '24h', ...(client ? { client } : {}) });
      assert.ok(report.ok, JSON.stringify(report).slice(0, 300));
      cut(parseResult('usage.report', report.result)?.byConfiguration[0]?.name, 'C');
      const series = await call('usage.series', { period: '24h', ...(client ? { client } : {}) });
      assert.ok(series.ok, JSON.stringify(series).slice(0, 300));
      cut(parseResult('usage.series', series.result)?.byConfiguration[0]?.label, 'C');
    }
  });

  it('counts a request in a configuration\'s figures the moment it is recorded, before the store saves it', async () => {
    const created = await f.service.createConfiguration({ name: 'Counted', provider: 'openai', settings: { model: 'gpt-4o-mini' }, apiKey: 'sk-usage-unflushed-0000' });
    await deps.session.usage.recordUsage({ configurationId: created.id, outcome: 'success', usage: { input: 10, output: 5 }, latencyMs: 40 });
    assert.equal(f.store.pendingRequests.length, 1, 'the row is still buffered: this test reads before a flush');
    const response = await call('configurations.usage', { id: created.id, period: 'day' });
    assert.ok(response.ok, JSON.stringify(response));
    const totals = parseResult('configurations.usage', response.result);
    assert.ok(totals);
    assert.equal(totals.requestCount, 1);
    assert.equal(totals.totalTokens, 15);
    assert.equal(deps.session.usage.usageTotalsByConfiguration('day').get(created.id)?.requestCount, 1, 'the list\'s figures too');
  });

  it('refuses a bad period with a message, not a crash', async () => {
    const backwards = await call('usage.series', { period: { from: '2026-02-01', to: '2026-01-01' } });
    assert.ok(!backwards.ok);
    assert.match(backwards.error.message, /ends before it starts/);
    const unknown = await call('usage.report', { period: 'forever' });
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.code, 'invalid-request');
  });
});

import * as assert from 'node:assert/strict';
import { usageMethods } from '../../../src/protocol/usage';
import { usageFixture, type UsageFixture } from './setup';

describe('usage of one local endpoint client, or of VS Code\'s own requests', () => {
  let f: UsageFixture;
  beforeEach(async () => {
    f = await usageFixture({ start: '2026-11-10T12:00:00Z' });
  });
  afterEach(async () => {
    await f.close();
  });

  it('the report and the chart series count only the chosen client\'s requests, saved or still pending, over whole days too', async () => {
    const configuration = await f.addConfiguration({ name: 'Local', provider: 'ollama', model: 'gemma3:1b' });
    const agent = await f.store.write((r) => r.clients.insert({ id: 'client-agent', userId: f.userId, name: 'agent', scope: 'chat', tokenHash: 'e'.repeat(64) }));
    const request = (clientId: string | null) => f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 10, output: 5 }, clientId });
    // Three days ago (a whole day the daily totals serve) and today, some saved and some still pending.
    f.clock.now = Date.parse('2026-11-07T09:00:00Z');
    for (let i = 0; i < 2; i++) await request(null);
    for (let i = 0; i < 3; i++) await request(agent.id);
    await f.store.flush();
    f.clock.now = Date.parse('2026-11-10T12:00:00Z');
    await request(null);
    await request(agent.id);

    const requests = async (client?: { clientId: string | null }): Promise<number> => (await f.tracker.generateUsageReport(f.userId, 'month', client)).totals.requestCount;
    assert.deepEqual([await requests(), await requests({ clientId: agent.id }), await requests({ clientId: null })], [7, 4, 3]);
    const charted = (client?: { clientId: string | null }): number => f.tracker.series('30d', client).total.requests.reduce((a, b) => a + b, 0);
    assert.deepEqual([charted(), charted({ clientId: agent.id }), charted({ clientId: null })], [7, 4, 3]);
  });

  it('the dashboard\'s client choice is checked by the protocol: everyone (absent), VS Code\'s own, or a client id', () => {
    for (const method of ['usage.report', 'usage.series'] as const) {
      const params = usageMethods[method].params;
      assert.equal(params.safeParse({ period: '30d' }).success, true);
      assert.equal(params.safeParse({ period: '30d', client: 'vscode' }).success, true);
      assert.equal(params.safeParse({ period: '30d', client: 'client-agent' }).success, true);
      assert.equal(params.safeParse({ period: '30d', client: 42 }).success, false);
      assert.equal(params.safeParse({ period: '30d', client: 'x'.repeat(201) }).success, false);
      assert.equal(params.safeParse({ period: '30d', client: null }).success, false);
    }
  });
});

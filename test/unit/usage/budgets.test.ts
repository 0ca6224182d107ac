import * as assert from 'node:assert/strict';
import type { BudgetAlert } from '../../../src/core/usage';
import { usageFixture, type UsageFixture } from './setup';

describe('BudgetMonitor', () => {
  let f: UsageFixture;
  beforeEach(async () => {
    f = await usageFixture({ start: '2026-11-10T12:00:00Z' });
  });
  afterEach(async () => {
    await f.close();
  });

  it('fires 50, 80 and 100 % once each across many requests, and again in the next period', async () => {
    const configuration = await f.addConfiguration({ name: 'Self-hosted', provider: 'openai-compatible', model: 'm', baseUrl: 'https://llm.example.com/v1', config: { inputPricePerMTok: 1000, outputPricePerMTok: 0 } });
    const budget = await f.budgets.saveBudget({ name: 'Self-hosted monthly', configurationId: configuration.id, period: 'month', limitUsd: 1 });
    const alerts: BudgetAlert[] = [];
    f.budgets.onDidAlert((a) => alerts.push(a));
    // Each request costs $0.01 (10 tokens at $1000 per million): 150 requests reach 150 %.
    for (let i = 0; i < 150; i++) {
      f.clock.now += 60_000;
      await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 10, output: 0 } });
      if (i === 70) await f.store.flush();
    }
    await f.budgets.settled();
    assert.deepEqual(alerts.map((a) => a.threshold), [50, 80, 100]);
    // The spend is read when the evaluation runs, which may be a request or two after the one that crossed 50 %.
    assert.match(alerts[0]?.message ?? '', /monthly budget "Self-hosted monthly" has reached 50 %: \$0\.5\d of \$1\.00\. On this pace the month ends at \$\d+\.\d+\. It resets on 2026-12-01 at 00:00 UTC\./);
    assert.match(alerts[2]?.message ?? '', /is used up/);
    const status = f.budgets.status().find((s) => s.budget.id === budget.id);
    assert.ok(status);
    assert.ok(Math.abs(status.spentUsd - 1.5) < 1e-9);
    assert.deepEqual(status.firedThresholds, [50, 80, 100]);
    // Linear projection: $1.50 in 9.5 days + 150 minutes of a 30-day month.
    const elapsed = Date.parse(new Date(f.clock.now).toISOString()) - Date.parse('2026-11-01T00:00:00Z');
    assert.ok(Math.abs(status.projectedUsd - (1.5 * 30 * 86_400_000) / elapsed) < 1e-9);

    // A restart does not fire them again: the fired thresholds are in the database.
    const again = f.restart();
    const later: BudgetAlert[] = [];
    again.budgets.onDidAlert((a) => later.push(a));
    await again.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 10, output: 0 } });
    await again.budgets.settled();
    assert.deepEqual(later, []);

    // December: a new period, the warnings fire again.
    f.clock.now = Date.parse('2026-12-01T08:00:00Z');
    for (let i = 0; i < 60; i++) await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 10, output: 0 } });
    await f.budgets.settled();
    assert.deepEqual(alerts.map((a) => a.threshold), [50, 80, 100, 50]);
    assert.equal(alerts[3]?.status.periodStart, '2026-12-01T00:00:00.000Z');
  });

  it('a budget created already past 80 % warns at once, with the highest threshold only, and not again at the next request', async () => {
    const configuration = await f.addConfiguration({ name: 'Spent', provider: 'openai-compatible', model: 'm', baseUrl: 'https://llm.example.com/v1', config: { inputPricePerMTok: 1000, outputPricePerMTok: 0 } });
    // $0.85 spent this month before the budget exists.
    for (let i = 0; i < 85; i++) await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 10, output: 0 } });
    await f.budgets.settled();
    const alerts: BudgetAlert[] = [];
    f.budgets.onDidAlert((a) => alerts.push(a));
    const budget = await f.budgets.saveBudget({ name: 'Late budget', configurationId: configuration.id, period: 'month', limitUsd: 1 });
    assert.deepEqual(alerts.map((a) => a.threshold), [80], 'warned when it was saved');
    assert.match(alerts[0]?.message ?? '', /"Late budget" has reached 80 %: \$0\.85 of \$1\.00\./);
    assert.deepEqual(f.budgets.status().find((s) => s.budget.id === budget.id)?.firedThresholds, [50, 80], '50 % is passed, not pending');
    await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 10, output: 0 } });
    await f.budgets.settled();
    assert.deepEqual(alerts.map((a) => a.threshold), [80], 'the next request crosses nothing new');
  });

  it('one request crossing 80 % and 100 % says "used up" once, not both', async () => {
    const configuration = await f.addConfiguration({ name: 'Jump', provider: 'openai-compatible', model: 'm', baseUrl: 'https://llm.example.com/v1', config: { inputPricePerMTok: 1000, outputPricePerMTok: 0 } });
    await f.budgets.saveBudget({ name: 'Jumpy', configurationId: configuration.id, period: 'month', limitUsd: 1 });
    const alerts: BudgetAlert[] = [];
    f.budgets.onDidAlert((a) => alerts.push(a));
    await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 700, output: 0 } });
    await f.budgets.settled();
    assert.deepEqual(alerts.map((a) => a.threshold), [50]);
    await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 400, output: 0 } });
    await f.budgets.settled();
    assert.deepEqual(alerts.map((a) => a.threshold), [50, 100]);
    assert.match(alerts[1]?.message ?? '', /"Jumpy" is used up: \$1\.10 of \$1\.00\./);
  });

  it('counts every configuration against an overall daily token budget', async () => {
    const a = await f.addConfiguration({ name: 'A', provider: 'openai', model: 'gpt-4.1-nano' });
    const b = await f.addConfiguration({ name: 'B', provider: 'ollama', model: 'llama3.2' });
    await f.budgets.saveBudget({ name: 'All models', period: 'day', limitTokens: 1000 });
    const alerts: number[] = [];
    f.budgets.onDidAlert((alert) => alerts.push(alert.threshold));
    await f.tracker.recordUsage({ configurationId: a.id, outcome: 'success', usage: { input: 300, output: 0 } });
    await f.tracker.recordUsage({ configurationId: b.id, outcome: 'success', usage: { input: 300, output: 0 } });
    await f.budgets.settled();
    assert.deepEqual(alerts, [50]);
    f.clock.now += 86_400_000;
    await f.tracker.recordUsage({ configurationId: b.id, outcome: 'success', usage: { input: 100, output: 0 } });
    await f.budgets.settled();
    assert.deepEqual(alerts, [50]);
    assert.equal(f.budgets.status()[0]?.spentTokens, 100);
  });

  it('refuses a request over a hard-stop budget with a message naming the budget and when it resets', async () => {
    const configuration = await f.addConfiguration({ name: 'GPT Nano', provider: 'openai-compatible', model: 'm', baseUrl: 'https://llm.example.com/v1', config: { inputPricePerMTok: 1_000_000, outputPricePerMTok: 0 } });
    await f.budgets.saveBudget({ name: 'Overall', period: 'month', limitUsd: 5, hardStop: true });
    assert.deepEqual(f.budgets.checkBudget(configuration.id), { allowed: true });
    for (let i = 0; i < 4; i++) await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 1, output: 0 } });
    assert.equal(f.budgets.checkBudget(configuration.id).allowed, true);
    await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 1, output: 0 } });
    const check = f.budgets.checkBudget(configuration.id);
    if (check.allowed) assert.fail('expected the hard stop to refuse');
    assert.equal(check.message,
      '"GPT Nano" is paused: the monthly budget "Overall" is used up ($5.00 of $5.00). It resets on 2026-12-01 at 00:00 UTC. Raise the limit or turn off its hard stop to continue now.');
    f.clock.now = Date.parse('2026-12-01T00:00:01Z');
    assert.deepEqual(f.budgets.checkBudget(configuration.id), { allowed: true });
  });

  it('a budget of one endpoint client counts only that client\'s requests, and its hard stop refuses only that client', async () => {
    const configuration = await f.addConfiguration({ name: 'GPT Nano', provider: 'openai-compatible', model: 'm', baseUrl: 'https://llm.example.com/v1', config: { inputPricePerMTok: 1_000_000, outputPricePerMTok: 0 } });
    const [agent, scripts] = await f.store.write((r) => [
      r.clients.insert({ id: 'client-agent', userId: f.userId, name: 'agent', scope: 'chat', tokenHash: 'a'.repeat(64) }),
      r.clients.insert({ id: 'client-scripts', userId: f.userId, name: 'scripts', scope: 'chat', tokenHash: 'b'.repeat(64) }),
    ]);
    const budget = await f.budgets.saveBudget({ name: 'Agent monthly', clientId: agent.id, period: 'month', limitUsd: 3, hardStop: true });
    assert.equal(budget.clientId, agent.id);
    const alerts: BudgetAlert[] = [];
    f.budgets.onDidAlert((a) => alerts.push(a));
    // $1 a request: VS Code's own requests and the other client's do not count against the agent's budget.
    const request = (clientId: string | null) => f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 1, output: 0 }, clientId });
    for (let i = 0; i < 4; i++) await request(null);
    for (let i = 0; i < 4; i++) await request(scripts.id);
    await f.budgets.settled();
    assert.equal(alerts.length, 0);
    assert.equal(f.budgets.status().find((s) => s.budget.id === budget.id)?.spentUsd, 0);
    assert.deepEqual(f.budgets.checkBudget(configuration.id, agent.id), { allowed: true });

    await request(agent.id);
    await request(agent.id);
    await f.store.flush();
    await request(agent.id);
    await f.budgets.settled();
    assert.deepEqual(alerts.map((a) => a.threshold), [50, 100], 'the records already saved and those still pending both count');
    const check = f.budgets.checkBudget(configuration.id, agent.id);
    if (check.allowed) assert.fail('expected the agent\'s hard stop to refuse');
    assert.equal(check.message,
      '"GPT Nano" for the client "agent" is paused: the monthly budget "Agent monthly" is used up ($3.00 of $3.00). It resets on 2026-12-01 at 00:00 UTC. Raise the limit or turn off its hard stop to continue now.');
    assert.deepEqual(f.budgets.checkBudget(configuration.id, scripts.id), { allowed: true }, 'another client goes on');
    assert.deepEqual(f.budgets.checkBudget(configuration.id), { allowed: true }, 'VS Code\'s own requests go on');

    await f.store.write((r) => r.clients.revoke(f.userId, scripts.id));
    await assert.rejects(f.budgets.saveBudget({ name: 'Scripts', clientId: scripts.id, period: 'day', limitUsd: 1 }), /endpoint client no longer exists or its token was revoked/);
  });

  it('refuses a budget without a positive limit', async () => {
    await assert.rejects(f.budgets.saveBudget({ name: 'Nothing', period: 'day' }), /Set a limit in USD, in tokens, or both/);
    await assert.rejects(f.budgets.saveBudget({ name: 'Negative', period: 'day', limitUsd: -1 }), /positive amount/);
  });
});

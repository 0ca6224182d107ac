import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatRequest } from '../../src/core/providers';
import { configurationGroupId } from '../../src/core/routing/groupSource';
import type { AIConfiguration } from '../../src/core/store';
import type { UsageMetrics } from '../../src/core/usage';
import type { StoreSession } from '../../src/core/session';
import {
  startAnthropicEmulator,
  startGeminiEmulator,
  startOllamaEmulator,
  startOpenAIEmulator,
  type AnthropicEmulator,
  type GeminiEmulator,
  type OpenAIEmulator,
} from '../emulators';
import { testApi } from './api';

const hello: ChatRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }] };

// The published prices per million tokens (input / cached input / output) that the bill uses, as in the catalog
// package @pydantic/genai-prices: gpt-4o-mini 0.15 / 0.075 / 0.60, gemini-2.5-flash 0.30 / 0.03 / 2.50,
// claude-sonnet-4-5(-20250929) 3 / 0.30 / 15. The token counts are the recordings' own (test/fixtures).
const expected = {
  // vercel-ai openai-text stream: 16 in, 300 out.
  openaiText: { input: 16, cached: 0, output: 300, cost: (16 * 0.15 + 300 * 0.6) / 1e6 },
  // vercel-ai cached-input-tokens-11178: 10122 in of which 9984 cached, 1 out.
  openaiCached: { input: 10122, cached: 9984, output: 1, cost: ((10122 - 9984) * 0.15 + 9984 * 0.075 + 1 * 0.6) / 1e6 },
  // firebase implicit caching: 12013 in of which 11243 cached, 15 + 73 (thinking) out.
  geminiCached: { input: 12013, cached: 11243, output: 88, cost: ((12013 - 11243) * 0.3 + 11243 * 0.03 + 88 * 2.5) / 1e6 },
  // Anthropic's documented tool_use stream: 472 in, 89 out.
  anthropicToolUse: { input: 472, cached: 0, output: 89, cost: (472 * 3 + 89 * 15) / 1e6 },
};

async function chat(session: StoreSession, configuration: AIConfiguration, request: ChatRequest): Promise<string> {
  let text = '';
  for await (const event of session.router.chat(configurationGroupId(configuration.id), request)) {
    if (event.type === 'text') text += event.text;
  }
  return text;
}

/** Waits for the recording of the last attempt (fire and forget in the router) and for the budget evaluations it queued. */
async function settle(session: StoreSession): Promise<void> {
  await session.usage.settled();
  await session.budgets.settled();
}

function assertClose(actual: number, wanted: number, what: string): void {
  assert.ok(Math.abs(actual - wanted) < 1e-12, `${what}: ${String(actual)} ≠ ${String(wanted)}`);
}

describe('usage tracking in the extension: chats through the emulators, priced to the recordings', () => {
  let openai: OpenAIEmulator;
  let gemini: GeminiEmulator;
  let anthropic: AnthropicEmulator;
  let session: StoreSession;
  const created: AIConfiguration[] = [];

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: 'sk-usage-openai-1f2e' });
    gemini = await startGeminiEmulator({ apiKey: 'AIza-usage-gemini-3c4d' });
    anthropic = await startAnthropicEmulator({ apiKey: 'sk-ant-usage-5e6f' });
    const { services } = await testApi();
    session = await services.open();
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
  });

  after(async () => {
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
    for (const c of created) await session.configurations.deleteConfiguration(c.id).catch(() => undefined);
    await openai.close();
    await gemini.close();
    await anthropic.close();
  });

  let gpt: AIConfiguration;
  let flash: AIConfiguration;
  let claude: AIConfiguration;
  // Other suites in this host recorded requests this month too (deleted configurations still count): compare deltas.
  let baseline: Awaited<ReturnType<StoreSession['usage']['generateUsageReport']>>;

  it('records each chat with the exact token counts and cost of its recording', async () => {
    gpt = await session.configurations.createConfiguration({ name: 'Usage GPT', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, apiKey: openai.apiKey });
    flash = await session.configurations.createConfiguration({ name: 'Usage Flash', provider: 'gemini', settings: { model: 'gemini-2.5-flash', baseUrl: `${gemini.url}/v1beta` }, apiKey: gemini.apiKey });
    claude = await session.configurations.createConfiguration({ name: 'Usage Claude', provider: 'anthropic', settings: { model: 'claude-sonnet-4-5-20250929', baseUrl: anthropic.url }, apiKey: anthropic.apiKey });
    created.push(gpt, flash, claude);
    baseline = await session.usage.generateUsageReport(session.userId, 'month');

    openai.use('text');
    assert.ok((await chat(session, gpt, hello)).length > 0);
    openai.use('cached');
    assert.equal(await chat(session, gpt, { ...hello, stream: false }), 'ok');
    gemini.use('cached');
    await chat(session, flash, { ...hello, stream: false });
    anthropic.use('tool-use');
    await chat(session, claude, hello);
    await settle(session);

    const g = session.usage.getUsageStats(gpt.id, 'month');
    assert.equal(g.requestCount, 2);
    assert.equal(g.inputTokens, expected.openaiText.input + expected.openaiCached.input);
    assert.equal(g.cachedTokens, expected.openaiCached.cached);
    assert.equal(g.outputTokens, expected.openaiText.output + expected.openaiCached.output);
    assert.equal(g.tokenCount, g.inputTokens + g.outputTokens);
    assertClose(g.costUSD, expected.openaiText.cost + expected.openaiCached.cost, 'OpenAI cost');
    assert.equal(g.errorRate, 0);
    assert.ok(g.lastUsed !== null && g.p50LatencyMs !== null && g.p95LatencyMs !== null && g.averageTtftMs !== null);

    // VS Code's model picker may have listed Gemini's and Anthropic's models for their facts: rows of their own.
    await session.store.flush();
    const lists = (id: string): number => session.store.read((r) => r.requestLog.count(session.userId, id, 'model list'));
    const f = session.usage.getUsageStats(flash.id, 'month');
    assert.deepEqual([f.requestCount - lists(flash.id), f.inputTokens, f.cachedTokens, f.outputTokens], [1, 12013, 11243, 88]);
    assertClose(f.costUSD, expected.geminiCached.cost, 'Gemini cost');

    const c = session.usage.getUsageStats(claude.id, 'month');
    assert.deepEqual([c.requestCount - lists(claude.id), c.inputTokens, c.cachedTokens, c.outputTokens], [1, 472, 0, 89]);
    assertClose(c.costUSD, expected.anthropicToolUse.cost, 'Anthropic cost');
  });

  it("stamps the chats' rows with the session's clock, which this tier starts on 15 June 2026 whatever today is", async () => {
    const now = session.now().getTime();
    assert.ok(Math.abs(now - Date.parse('2026-06-15T12:00:00Z')) < 3_600_000, `the session clock reads ${session.now().toISOString()}`);
    await session.store.flush();
    const rows = session.store.read((r) => r.usage.forConfiguration(session.userId, gpt.id, new Date('2026-06-15T00:00:00Z'), new Date('2026-06-16T00:00:00Z')));
    assert.equal(rows.requestCount, 2, 'both chats through the router were stamped on that day');
  });

  it('finds the same figures in the usage report, per configuration, per provider and in total', async () => {
    const report = await session.usage.generateUsageReport(session.userId, 'month');
    const row = (id: string): UsageMetrics => {
      const found = report.byConfiguration.find((r) => r.configurationId === id);
      assert.ok(found, `no report row for ${id}`);
      return found.metrics;
    };
    assert.equal(row(gpt.id).inputTokens, 16 + 10122);
    assert.equal(row(flash.id).cachedTokens, 11243);
    assert.equal(row(claude.id).outputTokens, 89);
    const gptRow = report.byConfiguration.find((r) => r.configurationId === gpt.id);
    assert.equal(gptRow?.price.kind, 'catalog', 'the report says which price was used');
    const total = expected.openaiText.cost + expected.openaiCached.cost + expected.geminiCached.cost + expected.anthropicToolUse.cost;
    assertClose(report.totals.costUSD - baseline.totals.costUSD, total, 'report total');
    // Every row is in the total; the model picker's model lists for the image and window facts are rows too.
    await session.store.flush();
    const lists = [gpt, flash, claude].reduce((n, c) => n + session.store.read((r) => r.requestLog.count(session.userId, c.id, 'model list')), 0);
    assert.equal([gpt, flash, claude].reduce((n, c) => n + row(c.id).requestCount, 0) - lists, 4);
    assert.ok(report.totals.requestCount - baseline.totals.requestCount >= 4);
    const providerCost = (r: typeof report, provider: string): number => r.byProvider.find((p) => p.provider === provider)?.metrics.costUSD ?? 0;
    for (const provider of ['anthropic', 'gemini', 'openai']) assert.ok(report.byProvider.some((p) => p.provider === provider), `no ${provider} row`);
    assertClose(providerCost(report, 'gemini') - providerCost(baseline, 'gemini'), expected.geminiCached.cost, 'Gemini provider total');
  });

  it('shows the month in "Show Usage" with the price used', async () => {
    const shown = await vscode.commands.executeCommand<UsageMetrics>('modelManager.showUsage', gpt.id);
    assert.equal(shown.inputTokens, 16 + 10122);
    assertClose(shown.costUSD, expected.openaiText.cost + expected.openaiCached.cost, 'Show Usage cost');
  });

  it('bills a price override instead of the catalog, and a local model at 0', async () => {
    const own = await session.configurations.createConfiguration({
      name: 'Usage Own Price',
      provider: 'openai',
      settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1`, inputPricePerMTok: 1, outputPricePerMTok: 2, cachedInputPricePerMTok: 0.5 },
      apiKey: openai.apiKey,
    });
    created.push(own);
    openai.use('cached');
    await chat(session, own, { ...hello, stream: false });
    await settle(session);
    const metrics = session.usage.getUsageStats(own.id, 'month');
    assertClose(metrics.costUSD, (138 * 1 + 9984 * 0.5 + 1 * 2) / 1e6, 'override cost');
    assert.equal((await session.usage.priceFor(own.id)).kind, 'override');

    const ollama = await startOllamaEmulator();
    try {
      const local = await session.configurations.createConfiguration({ name: 'Usage Local', provider: 'ollama', settings: { model: 'gemma3:1b', baseUrl: ollama.url } });
      created.push(local);
      await chat(session, local, hello);
      await settle(session);
      const free = session.usage.getUsageStats(local.id, 'month');
      // langchaingo's recorded stream: 16 in, 22 out, on the user's own machine.
      assert.deepEqual([free.requestCount, free.inputTokens, free.outputTokens, free.costUSD, free.unpricedRequests], [1, 16, 22, 0, 0]);
      assert.equal((await session.usage.priceFor(local.id)).kind, 'local');
    } finally {
      await ollama.close();
    }
  });

  it('fires each budget threshold once, at 50, 80 and 100 %, and the hard stop refuses after 100 %', async () => {
    const { alerts } = await testApi();
    const before = alerts.budgetAlerts.length;
    const spent = session.usage.getUsageStats(gpt.id, 'month').costUSD;
    // A limit the next chats cross in steps: +0.0001824 (text) each.
    const limit = spent + 0.0004;
    const budget = await session.budgets.saveBudget({ configurationId: gpt.id, name: 'Usage test budget', period: 'month', limitUsd: limit, hardStop: true });
    await session.budgets.evaluate(gpt.id);
    const mine = () => alerts.budgetAlerts.slice(before).filter((a) => a.status.budget.id === budget.id).map((a) => a.threshold);
    // spent / limit is already above 50 % (0.00095 / 0.00135 ≈ 70 %).
    assert.deepEqual(mine(), [50]);
    openai.use('text');
    await chat(session, gpt, hello); // ≈ 84 %
    await settle(session);
    assert.deepEqual(mine(), [50, 80]);
    await chat(session, gpt, hello); // ≈ 98 %
    await settle(session);
    assert.deepEqual(mine(), [50, 80], 'no threshold fires twice');
    await chat(session, gpt, hello); // ≈ 111 %
    await settle(session);
    assert.deepEqual(mine(), [50, 80, 100]);
    await session.budgets.evaluate();
    assert.deepEqual(mine(), [50, 80, 100], 'evaluating again fires nothing');
    const check = session.budgets.checkBudget(gpt.id);
    if (check.allowed) assert.fail('the hard stop should refuse once the budget is used up');
    assert.match(check.message, /"Usage GPT" is paused: the monthly budget "Usage test budget" is used up/);
    assert.equal(session.budgets.checkBudget(flash.id).allowed, true, 'another configuration is not covered');
  });
});

import * as assert from 'node:assert/strict';
import type { ModelPrices } from '../../../src/core/catalog';
import type { AIProvider, ChatRequest, ProviderTarget } from '../../../src/core/providers';
import type { AIConfiguration } from '../../../src/core/store';
import { startAnthropicEmulator, startGeminiEmulator, startOpenAIEmulator, type AnthropicEmulator, type GeminiEmulator, type OpenAIEmulator } from '../../emulators';
import { collectChat, hello, testClient } from '../providers/harness';
import { usageFixture, type UsageFixture } from './setup';
import { anthropicSubject, geminiSubject, openaiSubject } from '../helpers/subjects';

/** The expected bill, computed here from the catalog's per-million prices and nothing else. */
function bill(prices: ModelPrices | undefined, input: number, cached: number, output: number): number {
  assert.ok(prices, 'the catalog should price this model');
  const cachedRate = prices.cachedInputPerMTok ?? prices.inputPerMTok;
  return ((input - cached) * prices.inputPerMTok + cached * cachedRate + output * prices.outputPerMTok) / 1_000_000;
}

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 + expected * 1e-9, `expected ${String(expected)}, got ${String(actual)}`);
}

describe('UsageTracker, on chats through the emulators and the real adapters', () => {
  let f: UsageFixture;
  let openai: OpenAIEmulator;
  let gemini: GeminiEmulator;
  let anthropic: AnthropicEmulator;
  const http = testClient();

  before(async () => {
    [openai, gemini, anthropic] = await Promise.all([startOpenAIEmulator(), startGeminiEmulator(), startAnthropicEmulator()]);
  });
  after(async () => {
    await http.close();
    await Promise.all([openai.close(), gemini.close(), anthropic.close()]);
  });
  beforeEach(async () => {
    f = await usageFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  /** Runs one chat and records it the way the host does: usage from the usage event, latency measured around it. */
  async function chatAndRecord<C>(configuration: AIConfiguration, provider: AIProvider<C>, target: ProviderTarget<C>, request: ChatRequest): Promise<void> {
    const started = performance.now();
    const outcome = await collectChat(provider, target, request);
    await f.tracker.recordUsage({
      configurationId: configuration.id,
      outcome: 'success',
      usage: outcome.usage,
      latencyMs: performance.now() - started,
      ttftMs: 5,
      reason: 'chat',
    });
  }

  it('counts the exact tokens and catalog cost of the recorded OpenAI stream (16 in, 300 out)', async () => {
    const configuration = await f.addConfiguration({ name: 'Nano', provider: 'openai', model: 'gpt-4.1-nano', baseUrl: `${openai.url}/v1` });
    openai.use('text');
    const target = openaiSubject.target(openai, 'gpt-4.1-nano');
    await chatAndRecord(configuration, openaiSubject.createProvider({ http }), target, hello);
    const stats = f.tracker.getUsageStats(configuration.id, 'day');
    assert.deepEqual([stats.requestCount, stats.inputTokens, stats.outputTokens, stats.cachedTokens, stats.tokenCount], [1, 16, 300, 0, 316]);
    close(stats.costUSD, bill(f.catalog.lookup('openai', 'gpt-4.1-nano')?.prices, 16, 0, 300));
    assert.ok(stats.costUSD > 0);
    const price = await f.tracker.priceFor(configuration.id);
    assert.deepEqual(price.kind === 'catalog' ? price.source : price.kind, f.catalog.source);
  });

  it('bills the cached part of the recorded OpenAI cache hit at the cached price (10122 in, 9984 cached, 1 out)', async () => {
    const configuration = await f.addConfiguration({ name: 'Mini', provider: 'openai', model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` });
    openai.use('cached');
    const target = openaiSubject.target(openai, 'gpt-4o-mini');
    await chatAndRecord(configuration, openaiSubject.createProvider({ http }), target, { ...hello, stream: false });
    const stats = f.tracker.getUsageStats(configuration.id, 'month');
    assert.deepEqual([stats.inputTokens, stats.cachedTokens, stats.outputTokens], [10122, 9984, 1]);
    const prices = f.catalog.lookup('openai', 'gpt-4o-mini')?.prices;
    close(stats.costUSD, bill(prices, 10122, 9984, 1));
    assert.ok(prices?.cachedInputPerMTok !== undefined && prices.cachedInputPerMTok < prices.inputPerMTok, 'the catalog has a cache discount for gpt-4o-mini');
    assert.ok(stats.costUSD < bill(prices, 10122, 0, 1), 'cached tokens cost less than uncached ones');
  });

  it('bills the recorded Gemini implicit-cache answer exactly (12013 in, 11243 cached, 88 out)', async () => {
    const configuration = await f.addConfiguration({ name: 'Flash', provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: `${gemini.url}/v1beta` });
    gemini.use('cached');
    const target = geminiSubject.target(gemini, 'gemini-2.5-flash');
    await chatAndRecord(configuration, geminiSubject.createProvider({ http }), target, { ...hello, stream: false });
    const stats = f.tracker.getUsageStats(configuration.id, 'week');
    assert.deepEqual([stats.inputTokens, stats.cachedTokens, stats.outputTokens], [12013, 11243, 88]);
    close(stats.costUSD, bill(f.catalog.lookup('gemini', 'gemini-2.5-flash')?.prices, 12013, 11243, 88));
  });

  it('bills the recorded Anthropic tool-use stream exactly (472 in, 89 out) and reports every provider with totals', async () => {
    const claude = await f.addConfiguration({ name: 'Opus', provider: 'anthropic', model: 'claude-opus-4-6', baseUrl: anthropic.url });
    anthropic.use('tool-use');
    const target = anthropicSubject.target(anthropic, 'claude-opus-4-6');
    await chatAndRecord(claude, anthropicSubject.createProvider({ http }), target, hello);
    anthropic.use('text');
    const nano = await f.addConfiguration({ name: 'Nano', provider: 'openai', model: 'gpt-4.1-nano', baseUrl: `${openai.url}/v1` });
    openai.use('text');
    await chatAndRecord(nano, openaiSubject.createProvider({ http }), openaiSubject.target(openai, 'gpt-4.1-nano'), hello);

    const claudeCost = bill(f.catalog.lookup('anthropic', 'claude-opus-4-6')?.prices, 472, 0, 89);
    const nanoCost = bill(f.catalog.lookup('openai', 'gpt-4.1-nano')?.prices, 16, 0, 300);
    await f.store.flush();
    const report = await f.tracker.generateUsageReport(f.userId, 'month');
    const byName = new Map(report.byConfiguration.map((c) => [c.name, c]));
    assert.deepEqual([byName.get('Opus')?.metrics.inputTokens, byName.get('Opus')?.metrics.outputTokens], [472, 89]);
    close(byName.get('Opus')?.metrics.costUSD ?? NaN, claudeCost);
    close(byName.get('Nano')?.metrics.costUSD ?? NaN, nanoCost);
    assert.deepEqual(report.byProvider.map((p) => p.provider).sort(), ['anthropic', 'openai']);
    close(report.byProvider.find((p) => p.provider === 'anthropic')?.metrics.costUSD ?? NaN, claudeCost);
    close(report.totals.costUSD, claudeCost + nanoCost);
    assert.deepEqual([report.totals.requestCount, report.totals.inputTokens, report.totals.outputTokens], [2, 488, 389]);
  });
});

describe('UsageTracker prices and figures', () => {
  let f: UsageFixture;
  beforeEach(async () => {
    f = await usageFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('bills a configuration at its own price override and says so', async () => {
    const configuration = await f.addConfiguration({
      name: 'Self-hosted', provider: 'openai-compatible', model: 'my-model', baseUrl: 'https://llm.example.com/v1',
      config: { inputPricePerMTok: 2, outputPricePerMTok: 8, cachedInputPricePerMTok: 0.5 },
    });
    const recorded = await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 1_000_000, output: 500_000, cached: 200_000 } });
    assert.equal(recorded.price.kind, 'override');
    assert.equal(recorded.entry.priceSource, 'override');
    close(recorded.costUsd, (800_000 * 2 + 200_000 * 0.5 + 500_000 * 8) / 1_000_000);
    close(f.tracker.getUsageStats(configuration.id).costUSD, 5.7);
  });

  it('bills a request through a LiteLLM proxy at the cost the proxy reports (x-litellm-response-cost), and says so; the user\'s own price still wins', async () => {
    const proxy = await f.addConfiguration({ name: 'Team proxy', provider: 'openai-compatible', model: 'gpt-4o', baseUrl: 'http://localhost:4000/v1' });
    const own = await f.addConfiguration({ name: 'Team proxy, own price', provider: 'openai-compatible', model: 'gpt-4o', baseUrl: 'http://localhost:4000/v1', config: { inputPricePerMTok: 1, outputPricePerMTok: 1 } });
    const headers = { 'x-litellm-response-cost': '0.0123' };
    const reported = await f.tracker.recordUsage({ configurationId: proxy.id, outcome: 'success', usage: { input: 1000, output: 1000 }, headers });
    assert.deepEqual([reported.price.kind, reported.costUsd, reported.entry.priceSource], ['gateway', 0.0123, 'gateway']);
    const guessed = await f.tracker.recordUsage({ configurationId: proxy.id, outcome: 'success', usage: { input: 1000, output: 1000 } });
    assert.equal(guessed.price.kind, 'catalog');
    assert.ok(guessed.costUsd > 0, 'without the header, the catalog price of gpt-4o: not free because the proxy is on localhost');
    const overridden = await f.tracker.recordUsage({ configurationId: own.id, outcome: 'success', usage: { input: 1000, output: 1000 }, headers });
    assert.deepEqual([overridden.price.kind, overridden.costUsd], ['override', 0.002]);
  });

  it('takes no reported cost a proxy could not have meant (astronomical, negative, not a number): the catalog price stands', async () => {
    const proxy = await f.addConfiguration({ name: 'Team proxy', provider: 'openai-compatible', model: 'gpt-4o', baseUrl: 'http://localhost:4000/v1' });
    const guessed = await f.tracker.recordUsage({ configurationId: proxy.id, outcome: 'success', usage: { input: 1000, output: 1000 } });
    for (const cost of ['1e300', '123456789', '-0.5', 'NaN', 'Infinity', '0x10', '']) {
      const recorded = await f.tracker.recordUsage({ configurationId: proxy.id, outcome: 'success', usage: { input: 1000, output: 1000 }, headers: { 'x-litellm-response-cost': cost } });
      assert.deepEqual([recorded.price.kind, recorded.costUsd], ['catalog', guessed.costUsd], `x-litellm-response-cost: ${cost}`);
    }
  });

  it('charges nothing for local Ollama and counts requests of an unknown model as unpriced', async () => {
    const local = await f.addConfiguration({ name: 'Llama', provider: 'ollama', model: 'llama3.2', baseUrl: 'http://localhost:11434' });
    const unknown = await f.addConfiguration({ name: 'Mystery', provider: 'openai-compatible', model: 'mystery-1', baseUrl: 'https://llm.example.com/v1' });
    const a = await f.tracker.recordUsage({ configurationId: local.id, outcome: 'success', usage: { input: 1000, output: 1000 } });
    const b = await f.tracker.recordUsage({ configurationId: unknown.id, outcome: 'success', usage: { input: 1000, output: 1000 } });
    assert.deepEqual([a.price.kind, a.costUsd, a.entry.priceSource], ['local', 0, 'local']);
    assert.deepEqual([b.price.kind, b.costUsd, b.entry.priceSource], ['unknown', 0, 'unknown']);
    await f.store.flush();
    assert.equal(f.tracker.getUsageStats(unknown.id).unpricedRequests, 1);
    assert.equal(f.tracker.getUsageStats(local.id).unpricedRequests, 0);
  });

  it('reports latency p50/p95 within 1 %, time to first token, error rate and last use, before and after the flush', async () => {
    const configuration = await f.addConfiguration({ name: 'Nano', provider: 'openai', model: 'gpt-4.1-nano' });
    for (let i = 1; i <= 100; i++) {
      f.clock.now += 1000;
      await f.tracker.recordUsage({ configurationId: configuration.id, outcome: i % 10 === 0 ? 'error' : 'success', latencyMs: i * 10, ttftMs: i, usage: { input: 10, output: 5 } });
    }
    const check = (): void => {
      const stats = f.tracker.getUsageStats(configuration.id, 'day');
      assert.equal(stats.requestCount, 100);
      assert.equal(stats.errorRate, 0.1);
      assert.equal(stats.averageLatency, 505);
      assert.equal(stats.averageTtftMs, 50.5);
      assert.ok(Math.abs((stats.p50LatencyMs ?? 0) - 500) <= 5, `p50 ${String(stats.p50LatencyMs)}`);
      assert.ok(Math.abs((stats.p95LatencyMs ?? 0) - 950) <= 9.5, `p95 ${String(stats.p95LatencyMs)}`);
      assert.equal(stats.lastUsed, new Date(f.clock.now).toISOString());
    };
    assert.equal(f.store.pendingRequestCount, 100);
    check();
    await f.store.flush();
    assert.equal(f.store.pendingRequestCount, 0);
    check();
  });

  it('answers day, week, month and custom periods from rollups and edge days alike', async () => {
    const configuration = await f.addConfiguration({ name: 'Nano', provider: 'openai', model: 'gpt-4.1-nano' });
    // 2026-11-27T12:00Z: one request a day at 06:00 and 18:00 for 40 days back.
    for (let day = 0; day < 40; day++) {
      for (const hour of [6, 18]) {
        const at = Date.parse('2026-11-27T00:00:00Z') - day * 86_400_000 + hour * 3_600_000;
        if (at > f.clock.now) continue;
        await f.tracker.recordUsage({ configurationId: configuration.id, startedAt: new Date(at), outcome: 'success', usage: { input: 100, output: 10 }, latencyMs: 200 });
      }
    }
    await f.store.flush();
    const count = (period: Parameters<typeof f.tracker.getUsageStats>[1]): number => f.tracker.getUsageStats(configuration.id, period).requestCount;
    assert.equal(count('day'), 1);
    assert.equal(count('week'), 13);
    assert.equal(count('month'), 53);
    assert.equal(count({ from: '2026-11-20T12:00:00Z', to: '2026-11-25T12:00:00Z' }), 10);
    assert.equal(count({ from: '2026-11-20T07:00:00Z', to: '2026-11-20T19:00:00Z' }), 1);
    assert.throws(() => f.tracker.getUsageStats(configuration.id, { from: '2026-11-20', to: '2026-11-19' }), /ends before it starts/);
  });
});

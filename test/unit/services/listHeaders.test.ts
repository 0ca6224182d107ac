import * as assert from 'node:assert/strict';
import { EncryptionService, InMemoryKeySource } from '../../../src/core/crypto';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry } from '../../../src/core/providers';
import { createConfigurationServices, type ConfigurationServices } from '../../../src/core/services';
import { startAnthropicEmulator, startGeminiEmulator, startOllamaEmulator, startOpenAIEmulator, type Emulator } from '../../emulators';
import { capturingLogger } from '../store/helpers';
import { usageFixture, type UsageFixture } from '../usage/setup';

interface Case {
  readonly provider: string;
  readonly start: () => Promise<Emulator & { readonly apiKey?: string }>;
  readonly settings: (url: string) => Record<string, unknown>;
  /** The adapter's model-list path (Ollama also asks /api/show per model, which takes no fault). */
  readonly path: RegExp;
}

const cases: readonly Case[] = [
  { provider: 'openai', start: startOpenAIEmulator, settings: (url) => ({ model: 'gpt-4o-mini', baseUrl: `${url}/v1` }), path: /\/v1\/models/ },
  { provider: 'anthropic', start: startAnthropicEmulator, settings: (url) => ({ model: 'claude-haiku-4-5-20251001', baseUrl: url }), path: /\/v1\/models/ },
  { provider: 'gemini', start: startGeminiEmulator, settings: (url) => ({ model: 'gemini-2.5-flash', baseUrl: `${url}/v1beta` }), path: /\/v1beta\/models/ },
  { provider: 'ollama', start: startOllamaEmulator, settings: (url) => ({ model: 'llama3.2:latest', baseUrl: url }), path: /\/api\/tags/ },
];

const limits = { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '7' };

describe('a model-list request passes its response headers to the usage tracker', function () {
  this.timeout(15_000);
  let f: UsageFixture;
  let http: HttpClient;
  let services: ConfigurationServices;

  beforeEach(async () => {
    f = await usageFixture();
    http = new HttpClient({ retry: { maxAttempts: 1 } });
    const logger = capturingLogger();
    const encryption = new EncryptionService(f.store, new InMemoryKeySource(), { logger });
    await encryption.initialize();
    // The service's clock is the tracker's: "this month" must be the same month for both, whatever today is.
    services = createConfigurationServices({ store: f.store, encryption, userId: f.userId, providers: new ProviderRegistry({ http, logger }), logger, usage: f.tracker, callsPerMinute: 100, now: () => new Date(f.clock.now) });
  });

  afterEach(async () => {
    services.dispose();
    await http.close();
    await f.close();
  });

  for (const c of cases) {
    it(`${c.provider}: the quota the list's response reported is kept, with one "model list" row; a cached list records nothing`, async () => {
      const emulator = await c.start();
      try {
        const created = await services.configurations.createConfiguration({ name: `${c.provider} listed`, provider: c.provider, settings: c.settings(emulator.url), ...(emulator.apiKey ? { apiKey: emulator.apiKey } : {}) });
        assert.equal(f.tracker.rateLimitFor(created.id), undefined, 'nothing known before the list');
        // Anthropic and Gemini list in pages: like a real provider, every page's response carries the limits (the
        // last page's are kept).
        emulator.inject({ path: c.path, headers: limits }, 50);
        const models = await services.providerAccess.listModels(created.id, { refresh: true });
        assert.ok(models.length > 0);
        const state = f.tracker.rateLimitFor(created.id);
        assert.equal(state?.requests?.remaining, 7);
        assert.equal(state.requests.limit, 10);
        const stats = f.tracker.getUsageStats(created.id);
        assert.equal(stats.requestCount, 1);
        assert.equal(stats.inputTokens + stats.outputTokens, 0, 'a model list bills no tokens');
        const sent = emulator.requests.length;
        await services.providerAccess.listModels(created.id);
        assert.equal(emulator.requests.length, sent, 'served from the cache');
        assert.equal(f.tracker.getUsageStats(created.id).requestCount, 1, 'no request, no row');
      } finally {
        await emulator.close();
      }
    });
  }

  it("a refused list (429) is an error row with the provider's retry-after and quota", async () => {
    const emulator = await startOpenAIEmulator();
    try {
      const created = await services.configurations.createConfiguration({ name: 'Throttled', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey });
      emulator.inject({ path: /\/v1\/models/, status: 429, retryAfter: '30', headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-limit-requests': '10' } });
      await assert.rejects(services.providerAccess.listModels(created.id, { refresh: true }), { name: 'ProviderError' });
      const state = f.tracker.rateLimitFor(created.id);
      assert.equal(state?.requests?.remaining, 0);
      assert.equal(state.retryAt, new Date(f.clock.now + 30_000).toISOString());
      const stats = f.tracker.getUsageStats(created.id);
      assert.equal(stats.requestCount, 1);
      assert.equal(stats.errorCount, 1);
    } finally {
      await emulator.close();
    }
  });
});

import * as assert from 'node:assert/strict';
import { describeModels, type ChatModelInfo } from '../../../src/core/chat';
import type { ModelCatalog } from '../../../src/core/catalog';
import { startOllamaEmulator, startOpenAIEmulator, type Emulator, type OpenAIModelList } from '../../emulators';
import { startEmulator } from '../../emulators/server';
import { packageCatalog } from '../catalog/packageCatalog';
import { serviceFixture, type ServiceFixture } from '../services/setup';

/**
 * The context window VS Code's picker shows for a configuration, and where it came from: the configuration's own
 * setting, else the server's model list, else the catalog (for an OpenAI-compatible server, by whoever makes the
 * model), else the stated default. Real adapters and a real ConfigurationService against the loopback emulators.
 */
describe('the context window each chat model advertises, and its source', function () {
  this.timeout(20_000);
  let f: ServiceFixture;
  let catalog: ModelCatalog;
  const emulators: Emulator[] = [];

  before(() => {
    catalog = packageCatalog(() => new Date('2026-06-15T00:00:00Z'));
  });
  beforeEach(async () => {
    f = await serviceFixture();
  });
  afterEach(async () => {
    await Promise.all(emulators.splice(0).map((e) => e.close()));
    await f.close();
  });

  async function openaiServer(models: OpenAIModelList): Promise<Emulator & { apiKey: string }> {
    const emulator = await startOpenAIEmulator({ models });
    emulators.push(emulator);
    return emulator;
  }

  async function compatible(name: string, url: string, apiKey: string, settings: Record<string, unknown>): Promise<void> {
    await f.service.createConfiguration({ name, provider: 'openai-compatible', apiKey, settings: { baseUrl: `${url}/v1`, ...settings } });
  }

  async function listed(): Promise<{ get(name: string): ChatModelInfo }> {
    const models = await describeModels({
      configurations: f.service.listConfigurations(),
      routeGroups: [],
      catalog,
      targetOf: (row) => f.providerAccess.targetOf(row),
      listModels: (row, signal) => f.providerAccess.listModels(row.id, { signal }),
    });
    return {
      get: (name) => {
        const found = models.find((m) => m.name === name);
        if (!found) throw new Error(`the picker does not list ${name}: ${models.map((m) => m.name).join(', ')}`);
        return found;
      },
    };
  }

  /** What VS Code shows as the model's context size: input + output. */
  const shown = (m: ChatModelInfo): number => m.maxInputTokens + m.maxOutputTokens;

  it("an OpenAI-compatible gpt-4o-mini shows the catalog's 128K (OpenAI's entry), not 8K + 4K, and says so", async () => {
    const server = await openaiServer('openai');
    await compatible('Proxy mini', server.url, server.apiKey, { model: 'gpt-4o-mini' });
    const model = (await listed()).get('Proxy mini');
    assert.equal(shown(model), 128_000);
    assert.equal(model.contextSource, 'catalog');
    assert.equal(model.maxOutputTokens, 4096);
    assert.match(model.tooltip, /context 128K from the catalog/);
  });

  it("a vendor-prefixed id (openai/gpt-4o-mini) at a server that lists no window is found at its maker in the catalog", async () => {
    const server = await openaiServer('openai');
    await compatible('Prefixed', server.url, server.apiKey, { model: 'openai/gpt-4o-mini' });
    const model = (await listed()).get('Prefixed');
    assert.equal(model.contextWindow, 128_000);
    assert.equal(model.contextSource, 'catalog');
  });

  it("the server's own figure wins over the catalog's: OpenRouter's context_length and vLLM's max_model_len", async () => {
    const openrouter = await openaiServer('openrouter');
    const vllm = await openaiServer('vllm');
    await compatible('Router gpt-4', openrouter.url, openrouter.apiKey, { model: 'openai/gpt-4' });
    await compatible('Router mini', openrouter.url, openrouter.apiKey, { model: 'openai/gpt-4o-mini', maxTokens: 1000 });
    await compatible('Local OPT', vllm.url, vllm.apiKey, { model: 'facebook/opt-125m' });
    const models = await listed();
    assert.deepEqual([models.get('Router gpt-4').contextWindow, models.get('Router gpt-4').contextSource], [8192, 'server']);
    assert.equal(shown(models.get('Router mini')), 128_000);
    assert.equal(models.get('Router mini').maxOutputTokens, 1000);
    assert.match(models.get('Router mini').tooltip, /context 128K from the server/);
    // A 2K window keeps half of itself for the prompt, whatever the default answer length.
    assert.deepEqual([models.get('Local OPT').contextWindow, models.get('Local OPT').contextSource, models.get('Local OPT').maxOutputTokens], [2048, 'server', 1024]);
  });

  it('asks the server for its list once, then answers from the cache on the next refresh of the picker', async () => {
    const openrouter = await openaiServer('openrouter');
    await compatible('Router mini', openrouter.url, openrouter.apiKey, { model: 'openai/gpt-4o-mini' });
    await listed();
    await listed();
    assert.equal(openrouter.requests.filter((r) => r.path === '/v1/models').length, 1);
  });

  it("the configuration's Context window setting wins over the server and the catalog", async () => {
    const openrouter = await openaiServer('openrouter');
    await compatible('Capped', openrouter.url, openrouter.apiKey, { model: 'openai/gpt-4o-mini', contextWindow: 32_000 });
    const model = (await listed()).get('Capped');
    assert.equal(shown(model), 32_000);
    assert.equal(model.contextSource, 'setting');
    assert.match(model.tooltip, /context 32K: your setting/);
  });

  it('an unknown model at a server with no figure gets the stated default and the tooltip says how to override it', async () => {
    const vllm = await openaiServer('vllm');
    await compatible('Mystery', vllm.url, vllm.apiKey, { model: 'mystery-model' });
    const model = (await listed()).get('Mystery');
    assert.equal(shown(model), 8192);
    assert.equal(model.contextSource, 'default');
    assert.match(model.tooltip, /context 8K: a default; set Context window in the configuration to override/);
  });

  it("a server that does not answer within the picker's limit costs at most that limit and leaves the catalog's figure", async () => {
    const server = await openaiServer('openrouter');
    server.inject({ path: /\/v1\/models/, stall: 'headers' }, 5);
    await compatible('Slow', server.url, server.apiKey, { model: 'gpt-4o-mini' });
    const started = performance.now();
    const model = (await listed()).get('Slow');
    assert.ok(performance.now() - started < 8_000, 'the picker did not wait for the stalled list');
    assert.deepEqual([model.contextWindow, model.contextSource], [128_000, 'catalog']);
  });

  it("Ollama: num_ctx is your setting, else the model's own length from /api/show, and tool calling as it reports", async () => {
    const ollama = await startOllamaEmulator();
    emulators.push(ollama);
    await f.service.createConfiguration({ name: 'Gemma', provider: 'ollama', settings: { baseUrl: ollama.url, model: 'gemma3:1b' } });
    await f.service.createConfiguration({ name: 'Llama', provider: 'ollama', settings: { baseUrl: ollama.url, model: 'llama3.2:latest', numCtx: 4096 } });
    const models = await listed();
    assert.deepEqual([models.get('Gemma').contextWindow, models.get('Gemma').contextSource, models.get('Gemma').toolCalling], [32_768, 'server', false]);
    assert.match(models.get('Gemma').tooltip, /no tool calling \(Ask mode only\)/);
    assert.deepEqual([models.get('Llama').contextWindow, models.get('Llama').contextSource, models.get('Llama').toolCalling], [4096, 'setting', true]);
  });

  it('a window a server states as zero, negative, fractional or beyond any model is not believed: VS Code is never told of an empty or negative prompt budget', async () => {
    const windows: Record<string, unknown> = { zero: 0, negative: -8192, fraction: 0.5, absurd: 1e300, fine: 65_536 };
    const server = await startEmulator({
      name: 'odd windows',
      route: (request) => (request.path === '/v1/models' ? { kind: 'json', body: { data: Object.entries(windows).map(([id, w]) => ({ id, context_length: w })) } } : { kind: 'empty', status: 404 }),
      errorBody: () => ({}),
    });
    emulators.push(server);
    for (const id of Object.keys(windows)) await compatible(id, server.url, 'sk-odd-windows-0123', { model: id });
    const models = await listed();
    for (const id of ['zero', 'negative', 'fraction', 'absurd']) {
      const model = models.get(id);
      assert.equal(model.contextSource, 'default', `${id}: ${String(model.contextWindow)} from ${model.contextSource}`);
      assert.ok(model.maxInputTokens > 0 && model.maxOutputTokens > 0, id);
    }
    assert.deepEqual([models.get('fine').contextWindow, models.get('fine').contextSource], [65_536, 'server']);
  });

  it("Groq's context_window in its model list is the server's figure", async () => {
    // GET https://api.groq.com/openai/v1/models lists each model with context_window (console.groq.com/docs/models).
    const server = await startEmulator({
      name: 'groq-like',
      route: (request) => (request.path === '/v1/models' ? { kind: 'json', body: { object: 'list', data: [{ id: 'qwen/qwen3-32b', object: 'model', owned_by: 'Alibaba Cloud', active: true, context_window: 131_072, max_completion_tokens: 40_960 }] } } : { kind: 'empty', status: 404 }),
      errorBody: () => ({}),
    });
    emulators.push(server);
    await compatible('Groq Qwen', server.url, 'gsk_groq-like-0123', { model: 'qwen/qwen3-32b' });
    const model = (await listed()).get('Groq Qwen');
    assert.deepEqual([model.contextWindow, model.contextSource], [131_072, 'server']);
    assert.match(model.tooltip, /context 131K from the server/);
  });
});


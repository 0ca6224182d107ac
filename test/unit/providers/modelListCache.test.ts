import * as assert from 'node:assert/strict';
import { HttpClient } from '../../../src/core/http';
import { MODEL_LIST_CACHE_SECONDS, modelListTtlMs, ProviderRegistry } from '../../../src/core/providers';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../../emulators';

describe('the model-list cache time setting', () => {
  let http: HttpClient;
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;
  const clock = { now: Date.parse('2026-11-27T12:00:00Z') };

  before(async () => {
    http = new HttpClient();
    openai = await startOpenAIEmulator();
    ollama = await startOllamaEmulator();
  });
  after(async () => {
    await openai.close();
    await ollama.close();
    await http.close();
  });

  it('holds a value to its bounds and takes the default for anything that is not a number', () => {
    assert.equal(modelListTtlMs(undefined), MODEL_LIST_CACHE_SECONDS.default * 1000);
    assert.equal(modelListTtlMs('600'), MODEL_LIST_CACHE_SECONDS.default * 1000);
    assert.equal(modelListTtlMs(Number.NaN), MODEL_LIST_CACHE_SECONDS.default * 1000);
    assert.equal(modelListTtlMs(-5), 0);
    assert.equal(modelListTtlMs(10 ** 9), MODEL_LIST_CACHE_SECONDS.max * 1000);
    assert.equal(modelListTtlMs(42), 42_000);
  });

  const lists = (emulator: { requests: readonly { path: string }[] }, path: string): number => emulator.requests.filter((r) => r.path === path).length;

  it('reuses a cloud list for the set time, and not at all with 0', async () => {
    const target = { config: { baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' }, apiKey: openai.apiKey };
    for (const [seconds, expected] of [[0, 2], [60, 1]] as const) {
      const registry = new ProviderRegistry({ http, modelsTtlMs: modelListTtlMs(seconds), now: () => clock.now });
      const provider = await registry.get('openai');
      const before = lists(openai, '/v1/models');
      await provider.listModels(target);
      clock.now += 30_000;
      await provider.listModels(target);
      assert.equal(lists(openai, '/v1/models') - before, expected, `with ${String(seconds)} s`);
    }
  });

  it('reuses an Ollama list at most 30 s whatever the setting, so CLI pulls show up', async () => {
    const registry = new ProviderRegistry({ http, modelsTtlMs: modelListTtlMs(3600), now: () => clock.now });
    const provider = await registry.get('ollama');
    const target = { config: { baseUrl: ollama.url, model: 'gemma3:1b' } };
    const before = lists(ollama, '/api/tags');
    await provider.listModels(target);
    clock.now += 20_000;
    await provider.listModels(target);
    assert.equal(lists(ollama, '/api/tags') - before, 1, 'fresh within 30 s');
    clock.now += 15_000;
    await provider.listModels(target);
    assert.equal(lists(ollama, '/api/tags') - before, 2, 'fetched again after 30 s');
  });
});

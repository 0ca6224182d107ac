import * as assert from 'node:assert/strict';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry, providerIds } from '../../../src/core/providers';

describe('the provider registry', () => {
  const http = new HttpClient();
  const registry = new ProviderRegistry({ http });
  after(() => http.close());

  it('lists the five providers with whether they need a key', async () => {
    assert.deepEqual(await registry.list(), [
      { id: 'openai', displayName: 'OpenAI', apiKey: 'required' },
      { id: 'gemini', displayName: 'Google Gemini', apiKey: 'required' },
      { id: 'ollama', displayName: 'Ollama', apiKey: 'optional' },
      { id: 'anthropic', displayName: 'Anthropic', apiKey: 'required' },
      { id: 'openai-compatible', displayName: 'OpenAI-compatible API', apiKey: 'optional' },
    ]);
  });

  it('refuses an unknown provider by naming the known ones', async () => {
    await assert.rejects(registry.get('nope'), /Unknown provider "nope"\. Known providers: openai, gemini/);
  });

  it('gives each provider a JSON Schema from zod, with today’s ranges and no model enum', async () => {
    for (const id of providerIds) {
      const schema = await registry.schema(id);
      assert.equal(schema.type, 'object', id);
      const properties = schema.properties as Record<string, Record<string, unknown>>;
      assert.equal(properties.model?.type, 'string', id);
      assert.equal(properties.model.enum, undefined, `${id} must not hard-code model names`);
    }
    const openai = (await registry.schema('openai')).properties as Record<string, Record<string, unknown>>;
    assert.deepEqual([openai.temperature?.minimum, openai.temperature?.maximum], [0, 2]);
    assert.ok(Number(openai.maxTokens?.maximum ?? Infinity) > 1_000_000, 'no 4096 cap');
    assert.equal(openai.baseUrl?.default, 'https://api.openai.com/v1');
    const gemini = (await registry.schema('gemini')).properties as Record<string, Record<string, unknown>>;
    assert.deepEqual([gemini.temperature?.minimum, gemini.temperature?.maximum], [0, 2]);
    const anthropic = (await registry.schema('anthropic')).properties as Record<string, Record<string, unknown>>;
    assert.deepEqual([anthropic.temperature?.minimum, anthropic.temperature?.maximum], [0, 1]);
  });

  it('fills defaults into a valid configuration', async () => {
    assert.deepEqual(await registry.parseConfig('gemini', { model: 'models/gemini-2.5-flash' }), {
      ok: true,
      config: { baseUrl: 'https://generativelanguage.googleapis.com/v1beta', model: 'gemini-2.5-flash' },
    });
  });

  it('answers a malformed configuration with one error per field', async () => {
    const result = await registry.parseConfig('openai', { baseUrl: 'ftp://example.com', model: '', temperature: 3, maxTokens: 1.5, topP: 'high' });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    const byField = Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
    assert.deepEqual(byField, {
      baseUrl: 'must be an http:// or https:// URL',
      model: 'choose a model',
      temperature: 'must be at most 2',
      maxTokens: 'must be a whole number of tokens',
      topP: 'must be a number from 0 to 1',
    });
  });

  it('points at a bad header name inside the custom API’s headers', async () => {
    const result = await registry.parseConfig('openai-compatible', { baseUrl: 'http://localhost:1234/v1', model: 'm', headers: { 'bad header': 'x' } });
    assert.ok(!result.ok);
    assert.deepEqual(result.errors.map((e) => e.field), ['headers.bad header']);
  });

  it('offers an OpenAI-compatible configuration a Context window setting in its form, a positive whole number of tokens', async () => {
    const schema = (await registry.schema('openai-compatible')) as { properties: Record<string, { type?: string; minimum?: number }>; required?: string[] };
    assert.equal(schema.properties.contextWindow?.type, 'integer');
    assert.equal(schema.properties.contextWindow.minimum, 1);
    assert.ok(!(schema.required ?? []).includes('contextWindow'), 'optional: empty means the server\'s or the catalog\'s figure');
    const ok = await registry.parseConfig('openai-compatible', { baseUrl: 'http://localhost:1234/v1', model: 'm', contextWindow: 32_768 });
    assert.ok(ok.ok && (ok.config as { contextWindow?: number }).contextWindow === 32_768);
    const bad = await registry.parseConfig('openai-compatible', { baseUrl: 'http://localhost:1234/v1', model: 'm', contextWindow: 0.5 });
    assert.ok(!bad.ok);
    assert.deepEqual(bad.errors.map((e) => e.field), ['contextWindow']);
  });

  it('refuses a setting a provider does not have, naming the field, for every provider', async () => {
    for (const id of providerIds) {
      const result = await registry.parseConfig(id, { baseUrl: 'http://localhost:1234/v1', model: 'm', repeatPenalti: 1.1, seeds: 4 });
      assert.ok(!result.ok, `${id} accepted unknown settings`);
      assert.deepEqual(result.errors, [
        { field: 'repeatPenalti', message: 'is not a setting of this provider' },
        { field: 'seeds', message: 'is not a setting of this provider' },
      ], id);
    }
    const schema = await registry.schema('ollama');
    assert.equal(schema.additionalProperties, false, 'the form learns that only these fields exist');
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual([properties.repeatPenalty?.minimum, properties.repeatPenalty?.maximum], [0, 2]);
    assert.equal(properties.seed?.type, 'integer');
  });

  it('reports a missing configuration as errors, not a crash', async () => {
    const result = await registry.parseConfig('ollama', undefined);
    assert.equal(result.ok, false);
  });
});

import * as assert from 'node:assert/strict';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry, SEALED_HEADER_VALUE } from '../../../src/core/providers';
import { ConfigurationError } from '../../../src/core/services';
import { TemplateService } from '../../../src/core/templates';
import { serviceFixture, type ServiceFixture } from '../services/setup';

const CANARY = 'sk-canary-template-6a8c0e2f4b';

describe('templates of one\'s own (TemplateService)', () => {
  let f: ServiceFixture;
  let http: HttpClient;
  let templates: TemplateService;

  beforeEach(async () => {
    f = await serviceFixture();
    http = new HttpClient();
    templates = new TemplateService({ store: f.store, userId: f.userId, providers: new ProviderRegistry({ http }) });
  });
  afterEach(async () => {
    await http.close();
    await f.close();
  });

  const compatible = () => f.service.createConfiguration({
    name: 'Team vLLM',
    provider: 'openai-compatible',
    settings: { model: 'qwen', baseUrl: 'http://127.0.0.1:9/v1', temperature: 0.3, headers: { 'x-api-key': CANARY, 'x-team': 'blue' } },
    apiKey: CANARY,
  });

  it('saves a configuration as a template without its key or secret headers, and records it', async () => {
    const configuration = await compatible();
    assert.equal((configuration.config.headers as Record<string, string>)['x-api-key'], SEALED_HEADER_VALUE);
    const saved = await templates.saveFromConfiguration(configuration, { name: 'vLLM start', description: 'our server' });
    assert.deepEqual({ provider: saved.provider, model: saved.model, isBuiltin: saved.isBuiltin, isDefault: saved.isDefault }, { provider: 'openai-compatible', model: 'qwen', isBuiltin: false, isDefault: false });
    assert.deepEqual(saved.config, { baseUrl: 'http://127.0.0.1:9/v1', temperature: 0.3, headers: { 'x-team': 'blue' } });
    const row = JSON.stringify(f.store.read((r) => r.templates.get(saved.id)));
    assert.equal(row.includes(CANARY), false);
    assert.equal(row.includes(SEALED_HEADER_VALUE), false, 'not even the placeholder of a sealed header');
    assert.ok(f.store.read((r) => r.audit.latest(f.userId, 'template.create', saved.id)));
    await assert.rejects(templates.saveFromConfiguration(configuration, { name: 'VLLM START' }), (e: unknown) => e instanceof ConfigurationError && e.kind === 'duplicate-name');
  });

  it('keeps no credential a configuration carries elsewhere than its key and headers: extra parameters, the address\'s user info', async () => {
    // Stored by an earlier version: the service now refuses a key pasted into a plain setting.
    const configuration = await f.store.write((r) => r.configurations.create(f.userId, {
      name: 'Proxy',
      provider: 'openai-compatible',
      model: 'qwen',
      baseUrl: `http://team:${CANARY}@127.0.0.1:9/v1`,
      config: { extraParams: { api_key: CANARY, user_token: 'abc', top_k: 5, routing: { password: 'hunter2-hunter2' } } },
    }));
    const saved = await templates.saveFromConfiguration(configuration, { name: 'Proxy start' });
    const row = JSON.stringify(f.store.read((r) => r.templates.get(saved.id)));
    assert.equal(row.includes(CANARY), false, row);
    assert.equal(row.includes('hunter2'), false, row);
    assert.deepEqual(saved.config, { baseUrl: 'http://127.0.0.1:9/v1', extraParams: { top_k: 5, routing: {} } });
    const changed = await templates.update(saved.id, { settings: { model: 'qwen', baseUrl: `http://u:${CANARY}@127.0.0.1:9/v1`, extraParams: { apiKey: CANARY } } });
    assert.equal(JSON.stringify(changed).includes(CANARY), false, JSON.stringify(changed));
  });

  it('edits name, description and settings (checked against the provider), and deletes', async () => {
    const saved = await templates.saveFromConfiguration(await compatible(), { name: 'Mine' });
    const renamed = await templates.update(saved.id, { name: 'Renamed', description: 'for tests' });
    assert.deepEqual([renamed.name, renamed.description], ['Renamed', 'for tests']);
    const changed = await templates.update(saved.id, { settings: { model: 'llama', baseUrl: 'http://127.0.0.1:9/v1', temperature: 1.1, headers: { Authorization: `Bearer ${CANARY}` } } });
    assert.equal(changed.model, 'llama');
    assert.equal(changed.config.temperature, 1.1);
    assert.equal(JSON.stringify(changed).includes(CANARY), false, 'a key typed into the settings is not kept');
    await assert.rejects(templates.update(saved.id, { settings: { model: 'llama', baseUrl: 'http://127.0.0.1:9/v1', temperature: 9 } }), (e: unknown) => e instanceof ConfigurationError && e.kind === 'validation' && e.message.includes('temperature'));
    await templates.delete(saved.id);
    assert.equal(f.store.read((r) => r.templates.get(saved.id)), undefined);
  });

  it('keeps one default per provider: a new default clears the old one, another provider\'s stays', async () => {
    const configuration = await compatible();
    const ollama = await f.service.createConfiguration({ name: 'Local', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434' } });
    const first = await templates.saveFromConfiguration(configuration, { name: 'First' });
    const second = await templates.saveFromConfiguration(configuration, { name: 'Second' });
    const local = await templates.saveFromConfiguration(ollama, { name: 'Local start' });
    await templates.setDefault(first.id, true);
    await templates.setDefault(local.id, true);
    assert.equal(templates.defaultFor('openai-compatible')?.id, first.id);
    await templates.setDefault(second.id, true);
    assert.equal(templates.defaultFor('openai-compatible')?.id, second.id);
    assert.equal(f.store.read((r) => r.templates.get(first.id))?.isDefault, false, 'the old default is cleared');
    assert.equal(templates.defaultFor('ollama')?.id, local.id);
    assert.equal(templates.defaultFor('openai-compatible', 'lmstudio'), undefined, 'a preset starts from a template of that preset only');
    await templates.setDefault(second.id, false);
    assert.equal(templates.defaultFor('openai-compatible'), undefined);
  });

  it('refuses to change, delete or make default a built-in template, saying what to do instead', async () => {
    const builtin = await f.store.write((r) => r.templates.upsert({ id: 'builtin:openai:gpt-x', provider: 'openai', name: 'GPT X', model: 'gpt-x', description: '', config: {}, isBuiltin: true }));
    for (const attempt of [() => templates.update(builtin.id, { name: 'Mine now' }), () => templates.delete(builtin.id), () => templates.setDefault(builtin.id, true)]) {
      await assert.rejects(attempt(), (e: unknown) => e instanceof ConfigurationError && /built-in template.*Save as Template/.test(e.message));
    }
    assert.deepEqual(f.store.read((r) => r.templates.get(builtin.id))?.name, 'GPT X');
  });
});

import * as assert from 'node:assert/strict';
import type { Store } from '../../../src/core/store/Store';
import type { BuiltinTemplate } from '../../../src/core/templates/builtins';
import { draftFromTemplate } from '../../../src/core/templates/draft';
import { seedBuiltinTemplates } from '../../../src/core/templates/seed';
import { useTempStore } from '../helpers/tempStore';

function builtin(model: string, description = `${model} template`): BuiltinTemplate {
  return { id: `builtin:openai:${model}`, provider: 'openai', name: model.toUpperCase(), model, description, config: { temperature: 1 }, isBuiltin: true };
}

describe('seeding built-in templates', () => {
  const temp = useTempStore();
  let store: Store;
  beforeEach(() => {
    store = temp.store;
  });

  it('adds them as built-ins, and a second run changes nothing', async () => {
    const first = await store.write((r) => seedBuiltinTemplates(r.templates, [builtin('gpt-5'), builtin('gpt-5-mini')]));
    assert.deepEqual(first, { added: 2, updated: 0, removed: 0, unchanged: 0 });
    const rows = store.read((r) => r.templates.list());
    const second = await store.write((r) => seedBuiltinTemplates(r.templates, [builtin('gpt-5'), builtin('gpt-5-mini')]));
    assert.deepEqual(second, { added: 0, updated: 0, removed: 0, unchanged: 2 });
    assert.deepEqual(store.read((r) => r.templates.list()), rows);
    assert.ok(rows.every((t) => t.isBuiltin));
  });

  it('replaces stale built-ins when the catalog changes, and keeps the user\'s own templates', async () => {
    await store.write((r) => seedBuiltinTemplates(r.templates, [builtin('gpt-5'), builtin('gpt-4o')]));
    const own = await store.write((r) => r.templates.upsert({ provider: 'openai', name: 'Mine', model: 'gpt-4o', description: 'my settings', config: { temperature: 0.2 } }));
    const result = await store.write((r) => seedBuiltinTemplates(r.templates, [builtin('gpt-5', 'new prices'), builtin('gpt-6')]));
    assert.deepEqual(result, { added: 1, updated: 1, removed: 1, unchanged: 0 });
    const rows = store.read((r) => r.templates.list());
    assert.deepEqual(rows.map((t) => t.id).sort(), ['builtin:openai:gpt-5', 'builtin:openai:gpt-6', own.id].sort());
    assert.equal(rows.find((t) => t.id === 'builtin:openai:gpt-5')?.description, 'new prices');
    assert.deepEqual(rows.find((t) => t.id === own.id), own);
  });
});

describe('creating a configuration from a template', () => {
  it('carries provider, model, base URL and settings, under a name the user does not have yet', () => {
    const draft = draftFromTemplate({ name: 'Groq', provider: 'openai-compatible', model: '', config: { preset: 'groq', baseUrl: 'https://api.groq.com/openai/v1', temperature: 0.7 } }, ['groq', 'Groq (2)']);
    assert.deepEqual(draft, { name: 'Groq (3)', provider: 'openai-compatible', model: '', baseUrl: 'https://api.groq.com/openai/v1', config: { preset: 'groq', baseUrl: 'https://api.groq.com/openai/v1', temperature: 0.7 } });
  });

  it('puts the template\'s model into the settings so the provider schema can check them whole', () => {
    const draft = draftFromTemplate({ name: 'GPT-5', provider: 'openai', model: 'gpt-5', config: { temperature: 1 } });
    assert.deepEqual(draft, { name: 'GPT-5', provider: 'openai', model: 'gpt-5', baseUrl: null, config: { temperature: 1, model: 'gpt-5' } });
  });
});

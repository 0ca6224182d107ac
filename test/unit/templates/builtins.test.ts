import * as assert from 'node:assert/strict';
import { ModelCatalog } from '../../../src/core/catalog/ModelCatalog';
import type { CatalogData, CatalogModelData } from '../../../src/core/catalog/types';
import { HttpClient } from '../../../src/core/http';
import { compatiblePresets } from '../../../src/core/providers/presets';
import { ProviderRegistry } from '../../../src/core/providers/registry';
import { builtinTemplates } from '../../../src/core/templates/builtins';
import { currentChatModels } from '../../../src/core/templates/select';
import { packageCatalog } from '../catalog/packageCatalog';
import { formatUsdPrice } from '../../../src/protocol/money';

const price = [{ input: 1, output: 2, cachedInput: 0.1 }];

function openaiCatalog(models: CatalogModelData[]): ModelCatalog {
  const data: CatalogData = {
    source: 'test@1',
    providers: [{ id: 'openai', name: 'OpenAI', apiPattern: 'https://api\\.openai\\.com', modelMatch: { or: [{ starts_with: 'gpt-' }, { regex: '^o[134]' }] }, models }],
  };
  return new ModelCatalog(data);
}

describe('choosing current models for built-in templates', () => {
  it('takes the newest model of each model line, newest lines first', () => {
    const catalog = openaiCatalog([
      { id: 'gpt-5', prices: price }, { id: 'gpt-5.4', prices: price }, { id: 'gpt-5-mini', prices: price },
      { id: 'gpt-5.4-mini', prices: price }, { id: 'gpt-5.2-nano', prices: price }, { id: 'o4-mini', prices: price },
    ]);
    assert.deepEqual(currentChatModels(catalog, 'openai', 10).map((m) => m.id), ['gpt-5.4', 'gpt-5.4-mini', 'gpt-5.2-nano', 'o4-mini']);
    assert.deepEqual(currentChatModels(catalog, 'openai', 2).map((m) => m.id), ['gpt-5.4', 'gpt-5.4-mini']);
  });

  it('leaves out snapshots, deprecated, speech, embedding, Responses-only and foreign models, and model sizes are not versions', () => {
    const catalog = openaiCatalog([
      { id: 'gpt-5.4', prices: price },
      { id: 'gpt-5.4-2026-03-01', prices: price },
      { id: 'gpt-5.6', deprecated: true, prices: price },
      { id: 'gpt-5.5-mini-tts', media: ['output_audio_mtok'], prices: price },
      { id: 'gpt-5.5-realtime', prices: price },
      { id: 'gpt-5.5-embedding', prices: [{ input: 0.1 }] },
      { id: 'gpt-5.5-pro', prices: price },
      { id: 'gpt-5.5-codex', prices: price },
      { id: 'claude-9', prices: price },
      { id: 'gpt-oss-120b', prices: price },
    ]);
    assert.deepEqual(currentChatModels(catalog, 'openai', 10).map((m) => m.id), ['gpt-5.4']);
  });

  it('drops model lines more than one major version behind the newest', () => {
    const catalog = openaiCatalog([{ id: 'gpt-6', prices: price }, { id: 'gpt-5-mini', prices: price }, { id: 'gpt-4o', prices: price }]);
    assert.deepEqual(currentChatModels(catalog, 'openai', 10).map((m) => m.id), ['gpt-6', 'gpt-5-mini']);
  });

  it('prefers a generally available model over a preview of the same version', () => {
    const data: CatalogData = { source: 't', providers: [{ id: 'google', name: 'Google', apiPattern: 'x', modelMatch: { contains: 'gemini' }, models: [
      { id: 'gemini-3-pro-preview', prices: price }, { id: 'gemini-3-pro', prices: price }, { id: 'gemini-3-flash-preview', prices: price },
    ] }] };
    assert.deepEqual(currentChatModels(new ModelCatalog(data), 'gemini', 10).map((m) => m.id), ['gemini-3-pro', 'gemini-3-flash-preview']);
  });
});

describe('the built-in templates from the installed catalog', () => {
  const catalog = packageCatalog();
  const templates = builtinTemplates(catalog);
  const http = new HttpClient();
  const registry = new ProviderRegistry({ http });
  after(() => http.close());

  it('offers current chat models of OpenAI, Gemini and Anthropic, each priced by the catalog', () => {
    for (const provider of ['openai', 'gemini', 'anthropic']) {
      const own = templates.filter((t) => t.provider === provider);
      assert.ok(own.length >= 2 && own.length <= 5, `${provider}: ${String(own.length)} templates`);
      for (const t of own) {
        const model = catalog.lookup(provider, t.model);
        assert.ok(model?.prices, `${t.model} must be priced`);
        assert.ok(t.description.includes(`${formatUsdPrice(model.prices.inputPerMTok)} in`), t.description);
        // The catalog's package name and version are no concern of someone picking a model.
        assert.ok(!t.description.includes(catalog.source) && !t.description.includes('genai-prices'), t.description);
        if (model.contextWindow !== undefined) assert.ok(t.description.includes(new Intl.NumberFormat('en-US').format(model.contextWindow)), t.description);
      }
    }
  });

  it('includes local Ollama models and one template per OpenAI-compatible preset, reusing the presets', () => {
    assert.ok(templates.some((t) => t.provider === 'ollama' && t.model === 'llama3.2'));
    assert.ok(templates.some((t) => t.provider === 'ollama' && t.model === 'qwen2.5-coder'));
    const presets = templates.filter((t) => t.provider === 'openai-compatible');
    assert.deepEqual(presets.map((t) => t.config.preset), compatiblePresets.map((p) => p.id));
    assert.deepEqual(presets.map((t) => t.config.baseUrl), compatiblePresets.map((p) => p.baseUrl));
    // The setup page is a link next to the template (its provider's docs), not a bare address in the text.
    for (const preset of compatiblePresets) assert.ok(!presets.some((t) => t.description.includes(preset.docs)), preset.docs);
    assert.equal(presets.find((t) => t.config.preset === 'groq')?.description, 'Groq at https://api.groq.com/openai/v1 (OpenAI-compatible; API key required). Choose a model after creating it.');
  });

  it('gives every template a stable unique id and a config its provider\'s schema accepts', async () => {
    assert.equal(new Set(templates.map((t) => t.id)).size, templates.length);
    assert.ok(templates.every((t) => t.id === `builtin:${t.provider}:${t.model || String(t.config.preset)}`));
    for (const t of templates) {
      const parsed = await registry.parseConfig(t.provider, { ...t.config, model: t.model || 'any-model' });
      assert.ok(parsed.ok, `${t.id}: ${JSON.stringify(parsed)}`);
    }
  });

  it('is the same list every time for the same catalog', () => {
    assert.deepEqual(builtinTemplates(catalog), templates);
  });
});

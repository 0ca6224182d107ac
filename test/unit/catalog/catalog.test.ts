import * as assert from 'node:assert/strict';
import { calcPrice } from '@pydantic/genai-prices';
import { costOf } from '../../../src/core/catalog/cost';
import { ModelCatalog } from '../../../src/core/catalog/ModelCatalog';
import type { CatalogData } from '../../../src/core/catalog/types';
import { packageCatalog, packageVersion } from './packageCatalog';

describe('the model catalog', () => {
  const catalog = packageCatalog();

  it('names the package and version every price comes from', () => {
    assert.equal(catalog.source, `@pydantic/genai-prices@${packageVersion()}`);
    assert.equal(catalog.lookup('openai', 'gpt-4.1-mini')?.prices?.source, catalog.source);
  });

  it('finds a dated OpenAI snapshot under its model, with input, output and cached-input prices', () => {
    const model = catalog.lookup('openai', 'gpt-4.1-mini-2025-04-14');
    assert.equal(model?.id, 'gpt-4.1-mini');
    assert.equal(model.prices?.inputPerMTok, 0.4);
    assert.equal(model.prices.outputPerMTok, 1.6);
    assert.equal(model.prices.cachedInputPerMTok, 0.1);
    assert.ok((model.contextWindow ?? 0) >= 1_000_000);
  });

  it('maps our gemini provider to the catalog\'s google and drops the "models/" prefix', () => {
    assert.equal(catalog.lookup('gemini', 'models/gemini-2.5-flash')?.id, 'gemini-2.5-flash');
    assert.equal(catalog.lookup('gemini', 'gemini-2.5-flash')?.catalogProvider, 'google');
  });

  it('finds a dated Anthropic id written with or without dashes in the date', () => {
    assert.equal(catalog.lookup('anthropic', 'claude-3-5-haiku-20241022')?.id, 'claude-3-5-haiku-latest');
    assert.equal(catalog.lookup('anthropic', 'claude-opus-4-1-20250805')?.id, 'claude-opus-4-1');
  });

  it('finds OpenAI-compatible services by preset and by base URL', () => {
    assert.equal(catalog.lookup('openai-compatible', 'llama-3.3-70b-versatile', { preset: 'groq' })?.catalogProvider, 'groq');
    assert.equal(catalog.lookup('openai-compatible', 'deepseek-chat', { baseUrl: 'https://api.deepseek.com/v1' })?.catalogProvider, 'deepseek');
    assert.equal(catalog.lookup('openai-compatible', 'deepseek-chat', { baseUrl: 'https://example.invalid/v1' }), undefined);
  });

  it('says it does not know an unknown model or provider rather than guessing', () => {
    assert.equal(catalog.lookup('openai', 'no-such-model-9'), undefined);
    assert.equal(catalog.lookup('nope', 'gpt-4.1'), undefined);
    assert.equal(catalog.pricesFor('openai', 'no-such-model-9'), undefined);
    assert.deepEqual(catalog.list('nope'), []);
  });

  it('prices known local runtimes at zero: Ollama, LM Studio, vLLM and llama.cpp', () => {
    for (const [provider, options] of [['ollama', {}], ['openai-compatible', { preset: 'lmstudio' }], ['openai-compatible', { preset: 'vllm' }], ['openai-compatible', { preset: 'llamacpp', baseUrl: 'http://127.0.0.1:8080/v1' }]] as const) {
      const prices = catalog.pricesFor(provider, 'llama3.2', options);
      assert.equal(prices?.source, 'local', `${provider} ${JSON.stringify(options)}`);
      assert.equal(costOf({ input: 1_000_000, output: 1_000_000, cached: 0 }, prices), 0);
    }
    assert.deepEqual(catalog.list('ollama'), []);
  });

  it('does not price a gateway on a loopback address as free: a LiteLLM proxy on localhost forwarding gpt-4o costs what gpt-4o costs, and says where the price came from', () => {
    const direct = catalog.pricesFor('openai', 'gpt-4o');
    for (const preset of [undefined, 'litellm', 'portkey']) {
      const prices = catalog.pricesFor('openai-compatible', 'gpt-4o', { baseUrl: 'http://localhost:4000/v1', preset });
      assert.ok(direct && prices, `gpt-4o is in the catalog (${String(preset)})`);
      assert.equal(prices.inputPerMTok, direct.inputPerMTok);
      assert.equal(prices.outputPerMTok, direct.outputPerMTok);
      assert.match(prices.source, /^model id: /);
    }
    assert.equal(catalog.pricesFor('openai-compatible', 'my-team-alias', { baseUrl: 'http://127.0.0.1:4000/v1' }), undefined);
  });

  it('lists a provider\'s models in the catalog\'s order, each with its display name', () => {
    const models = catalog.list('anthropic');
    assert.ok(models.length > 5);
    assert.ok(models.every((m) => m.catalogProvider === 'anthropic' && m.displayName !== ''));
    assert.ok(models.some((m) => m.id === 'claude-haiku-4-5'));
  });

  it('costs requests exactly as the package itself does, cached tokens and long-prompt tiers included', () => {
    const cases = [
      ['openai', 'openai', 'gpt-4.1-mini', { input: 12_345, output: 678, cached: 4_000 }],
      ['anthropic', 'anthropic', 'claude-haiku-4-5', { input: 50_000, output: 2_000, cached: 30_000 }],
      ['gemini', 'google', 'gemini-2.5-pro', { input: 150_000, output: 3_000, cached: 10_000 }],
      ['gemini', 'google', 'gemini-2.5-pro', { input: 250_000, output: 3_000, cached: 100_000 }],
    ] as const;
    for (const [ours, theirs, model, usage] of cases) {
      const prices = catalog.pricesFor(ours, model);
      assert.ok(prices, model);
      const expected = calcPrice({ input_tokens: usage.input, output_tokens: usage.output, cache_read_tokens: usage.cached }, model, { providerId: theirs });
      assert.ok(expected, model);
      assert.ok(Math.abs(costOf(usage, prices) - expected.total_price) < 1e-12, `${model} ${JSON.stringify(usage)}: ${String(costOf(usage, prices))} vs ${String(expected.total_price)}`);
    }
  });
});

describe('costOf', () => {
  it('bills cached input at the cached price when the catalog has one', () => {
    const cost = costOf({ input: 1_000_000, output: 1_000_000, cached: 400_000 }, { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5, source: 't' });
    assert.equal(cost, 0.6 * 2 + 0.4 * 0.5 + 8);
  });

  it('bills cached input at the input price when the catalog has no cached price', () => {
    assert.equal(costOf({ input: 1_000_000, output: 0, cached: 400_000 }, { inputPerMTok: 2, outputPerMTok: 8, source: 't' }), 2);
  });

  it('reprices the whole request once the prompt is longer than a tier threshold, and not at the threshold', () => {
    const prices = { inputPerMTok: 1, outputPerMTok: 10, tiers: [{ aboveInputTokens: 200_000, inputPerMTok: 2, outputPerMTok: 15 }], source: 't' };
    assert.ok(Math.abs(costOf({ input: 200_000, output: 1_000 }, prices) - 0.21) < 1e-12);
    assert.ok(Math.abs(costOf({ input: 200_001, output: 1_000 }, prices) - (200_001 * 2 + 1_000 * 15) / 1e6) < 1e-12);
  });

  it('never counts more cached tokens than prompt tokens, nor negative tokens', () => {
    const prices = { inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: 0, source: 't' };
    assert.equal(costOf({ input: 100, output: -5, cached: 500 }, prices), 0);
  });
});

describe('price periods', () => {
  const data: CatalogData = {
    source: 'test@1',
    providers: [{ id: 'openai', name: 'OpenAI', apiPattern: 'https://api\\.openai\\.com', models: [
      { id: 'm-1', prices: [{ input: 1, output: 2 }, { from: '2026-03-13', input: 3, output: 4, cachedInput: 0.3 }] },
    ] }],
  };

  it('uses the prices in force on the day: before and after a scheduled change', () => {
    const before = new ModelCatalog(data, () => new Date('2026-03-12T23:00:00Z'));
    const after = new ModelCatalog(data, () => new Date('2026-03-13T00:00:00Z'));
    assert.equal(before.pricesFor('openai', 'm-1')?.inputPerMTok, 1);
    assert.equal(before.pricesFor('openai', 'm-1')?.cachedInputPerMTok, undefined);
    assert.equal(after.pricesFor('openai', 'm-1')?.inputPerMTok, 3);
    assert.equal(after.pricesFor('openai', 'm-1')?.cachedInputPerMTok, 0.3);
  });
});

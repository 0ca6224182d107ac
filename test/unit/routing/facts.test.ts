import * as assert from 'node:assert/strict';
import type { AIProvider, ModelInfo } from '../../../src/core/providers';
import { catalogFacts } from '../../../src/core/routing';
import type { MemberTarget, RouteMember } from '../../../src/core/routing/types';
import { packageCatalog } from '../catalog/packageCatalog';

/** An OpenAI-compatible adapter whose model list is given; only what the facts read is answered. */
function compatible(models: readonly ModelInfo[], listed: string[]): AIProvider {
  return {
    id: 'openai-compatible',
    displayName: 'OpenAI-compatible',
    apiKey: 'optional',
    listModels: () => {
      listed.push('list');
      return Promise.resolve(models);
    },
  } as unknown as AIProvider;
}

function member(model: string, preset?: string): RouteMember {
  return { configurationId: 'c1', name: 'member', provider: 'openai-compatible', model, weight: 1, preset, baseUrl: 'http://127.0.0.1:9/v1' };
}

function resolved(adapter: AIProvider, config: Record<string, unknown>): MemberTarget {
  return { adapter, target: { config } };
}

describe('the router sizes an OpenAI-compatible member by the figure the chat picker shows', () => {
  const catalog = packageCatalog();

  it('the configuration\'s Context window wins, without asking the server', async () => {
    const listed: string[] = [];
    const facts = await catalogFacts(catalog)(member('gpt-4o-mini'), resolved(compatible([{ id: 'gpt-4o-mini', contextWindow: 64_000 }], listed), { contextWindow: 32_000 }));
    assert.equal(facts.contextWindow, 32_000);
    assert.deepEqual(listed, []);
  });

  it('else the server\'s own model list (OpenRouter context_length, vLLM max_model_len)', async () => {
    const facts = await catalogFacts(catalog)(member('my-llama'), resolved(compatible([{ id: 'my-llama', contextWindow: 65_536 }], []), {}));
    assert.equal(facts.contextWindow, 65_536);
  });

  it('else the catalog entry of whoever makes the model (gpt-4o-mini → OpenAI\'s 128K, also as openai/gpt-4o-mini)', async () => {
    const expected = catalog.lookup('openai', 'gpt-4o-mini')?.contextWindow;
    assert.equal(expected, 128_000);
    for (const id of ['gpt-4o-mini', 'openai/gpt-4o-mini']) {
      const facts = await catalogFacts(catalog)(member(id), resolved(compatible([], []), {}));
      assert.equal(facts.contextWindow, expected, id);
    }
  });

  it('a server that does not answer leaves the catalog figure', async () => {
    const failing = { ...compatible([], []), listModels: () => Promise.reject(new Error('connect ECONNREFUSED')) } as AIProvider;
    const facts = await catalogFacts(catalog)(member('gpt-4o-mini'), resolved(failing, {}));
    assert.equal(facts.contextWindow, 128_000);
  });
});

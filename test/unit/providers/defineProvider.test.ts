import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { HttpClient, HttpError } from '../../../src/core/http';
import { defineProvider } from '../../../src/core/providers/defineProvider';
import type { ChatEvent, ModelInfo } from '../../../src/core/providers';

const root = resolve(__dirname, '..', '..', '..', '..');
const adapters = ['openai.ts', 'openaiCompatible.ts', 'gemini.ts', 'anthropic.ts', 'ollama.ts'];
const KEY = 'sk-define-provider-canary-7f3a';

const Config = z.strictObject({ baseUrl: z.string(), model: z.string() });
type Config = z.infer<typeof Config>;

describe('defineProvider', () => {
  const http = new HttpClient();
  after(async () => {
    await http.close();
  });

  /** A protocol answering from memory: what defineProvider adds around it is all that is under test. */
  function subject(options: { listDetails?: boolean } = {}) {
    const calls = { lists: 0, details: [] as (boolean | undefined)[] };
    let clock = 0;
    const provider = defineProvider<Config>({ http, now: () => clock }, {
      id: 'memory',
      displayName: 'Memory',
      configSchema: Config,
      apiKey: 'required',
      errorName: 'Memory',
      extract: (body) => ({ message: typeof body === 'string' ? body : undefined }),
      ...(options.listDetails ? { listDetails: true } : {}),
      listModels: (_target, listOptions) => {
        calls.lists++;
        calls.details.push(listOptions.details);
        return Promise.resolve([{ id: 'm1' } satisfies ModelInfo]);
      },
      // eslint-disable-next-line require-yield -- a stream that fails before its first event
      chat: async function* (target): AsyncGenerator<ChatEvent> {
        await Promise.resolve();
        throw new HttpError('status', 'refused', { status: 401, body: `bad key ${target.apiKey ?? ''}` });
      },
      pullModel: async function* () {
        await Promise.resolve();
        yield { status: 'success', completed: 1, total: 1 };
      },
    });
    const target = { config: { baseUrl: 'http://127.0.0.1:1', model: 'm1' }, apiKey: KEY };
    return { provider, target, calls, advance: (ms: number) => (clock += ms) };
  }

  it('caches the model list per endpoint and key for its freshness, and a pull empties the cache', async () => {
    const { provider, target, calls, advance } = subject();
    await Promise.all([provider.listModels(target), provider.listModels(target)]);
    assert.equal(calls.lists, 1, 'concurrent lists share one request');
    await provider.listModels({ ...target, apiKey: `${KEY}-other` });
    assert.equal(calls.lists, 2, 'another key is another list');
    advance(299_000);
    await provider.listModels(target);
    assert.equal(calls.lists, 2);
    for await (const step of provider.pullModel?.(target, 'm2') ?? []) assert.equal(step.status, 'success');
    await provider.listModels(target);
    assert.equal(calls.lists, 3, 'a pull changes what is installed');
    await provider.listModels(target, { refresh: true });
    assert.equal(calls.lists, 4);
  });

  it('lists without details uncached only for a protocol whose list fetches details', async () => {
    const plain = subject();
    await plain.provider.listModels(plain.target, { details: false });
    await plain.provider.listModels(plain.target, { details: false });
    assert.equal(plain.calls.lists, 1);
    const detailed = subject({ listDetails: true });
    await detailed.provider.listModels(detailed.target, { details: false });
    await detailed.provider.listModels(detailed.target, { details: false });
    assert.deepEqual(detailed.calls.details, [false, false]);
  });

  it('maps a chat failure to a ProviderError that never shows the key', async () => {
    const { provider, target } = subject();
    await assert.rejects(
      (async () => {
        for await (const event of provider.chat(target, { messages: [{ role: 'user', content: 'hi' }] })) assert.fail(JSON.stringify(event));
      })(),
      (error: Error) => {
        assert.equal(error.name, 'ProviderError');
        assert.equal(error.message.includes(KEY), false, error.message);
        return true;
      },
    );
  });

  it('leaves each adapter its protocol: none builds its own cache, connection test or error mapping', () => {
    const offenders = adapters.flatMap((file) => {
      const text = readFileSync(join(root, 'src', 'core', 'providers', file), 'utf8');
      return ['ModelCache', 'runConnectionTest', 'mapErrors', 'secretsOf', 'toProviderError']
        .filter((name) => new RegExp(`\\b${name}\\b`).test(text))
        .map((name) => `${file} uses ${name}`)
        .concat(text.includes('defineProvider(deps') ? [] : [`${file} does not build through defineProvider`]);
    });
    assert.deepEqual(offenders, []);
    assert.ok(readdirSync(join(root, 'src', 'core', 'providers')).includes('defineProvider.ts'));
  });
});

import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { HttpClient } from '../../../src/core/http';
import { createProvider, OpenAIConfig } from '../../../src/core/providers/openai';
import { ProviderError } from '../../../src/core/providers';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { collectChat, hello, testClient } from './harness';
import { describeContract } from './contract';
import { openaiSubject } from '../helpers/subjects';

const { target } = openaiSubject;

describeContract(openaiSubject);

describe('OpenAI adapter, on the recorded responses', () => {
  let emulator: OpenAIEmulator;
  const http = testClient();
  const provider = createProvider({ http });

  before(async () => {
    emulator = await startOpenAIEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  it('parses the streamed usage exactly as recorded (16 in, 300 out, 0 cached)', async () => {
    emulator.use('text');
    const outcome = await collectChat(provider, target(emulator), hello);
    assert.deepEqual(outcome.usage, { input: 16, output: 300, cached: 0, reasoning: 0 });
    assert.deepEqual(outcome.finish, { type: 'finish', reason: 'stop', providerReason: 'stop' });
  });

  it('parses cached prompt tokens from the recorded cache hit (10122 in, 9984 cached)', async () => {
    emulator.use('cached');
    const outcome = await collectChat(provider, target(emulator, 'gpt-4o-mini'), { ...hello, stream: false });
    assert.deepEqual(outcome.usage, { input: 10122, output: 1, cached: 9984, reasoning: 0 });
    assert.equal(outcome.text, 'ok');
  });

  it('parses the recorded non-streamed answer (16 in, 363 out)', async () => {
    emulator.use('text');
    const outcome = await collectChat(provider, target(emulator), { ...hello, stream: false });
    assert.deepEqual(outcome.usage, { input: 16, output: 363, cached: 0, reasoning: 0 });
    assert.match(outcome.text, /^\*\*Holiday Name:\*\* Galaxy Day/);
  });

  it('assembles a streamed tool call from its pieces', async () => {
    emulator.use('tool-calls');
    const outcome = await collectChat(provider, target(emulator), { ...hello, tools: [{ name: 'get_weather', parameters: { type: 'object' } }] });
    assert.deepEqual(
      outcome.events.filter((e) => e.type === 'tool-call'),
      [{ type: 'tool-call', call: { id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather', arguments: '{"location":"Paris, France"}' } }],
    );
    assert.equal(outcome.finish?.reason, 'tool-calls');
    emulator.use('text');
  });

  it('asks for usage in the stream, sends max_completion_tokens and the key only in the Authorization header', async () => {
    await collectChat(provider, target(emulator), { ...hello, maxTokens: 50, temperature: 0.3 });
    const request = emulator.requests.at(-1);
    const body = request?.body as Record<string, unknown>;
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_completion_tokens, 50);
    assert.equal(body.temperature, 0.3);
    assert.deepEqual(body.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }]);
    assert.equal(request?.headers.authorization, `Bearer ${emulator.apiKey}`);
    assert.ok(!request.path.includes(emulator.apiKey));
  });

  it('explains the recorded 401 with OpenAI’s code and a plain hint', async () => {
    const error = await collectChat(provider, { ...target(emulator), apiKey: 'sk-wrong-0123456789abcdef' }, hello).catch((e: unknown) => e);
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, 'auth');
    assert.equal(error.code, 'invalid_api_key');
    assert.equal(error.hint, 'Check the key or its project.');
    assert.match(error.message, /^OpenAI rejected the key \(401 invalid_api_key\): Incorrect API key provided/);
    assert.ok(!error.message.includes('sk-wrong-0123456789abcdef'));
  });

  it('names an unknown model with model_not_found', async () => {
    const error = await collectChat(provider, target(emulator, 'gpt-nope'), hello).catch((e: unknown) => e);
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, 'unknown-model');
    assert.equal(error.code, 'model_not_found');
  });
});

describe('OpenAI adapter, when the host cannot be resolved', () => {
  it('reports a DNS failure as unreachable, with a hint about the host name', async () => {
    const http = new HttpClient({
      lookup: (hostname, _options, callback) => {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
      },
    });
    try {
      const provider = createProvider({ http });
      const result = await provider.testConnection({ config: z.parse(OpenAIConfig, { baseUrl: 'https://api.openai.invalid/v1', model: 'gpt-4.1-nano' }), apiKey: 'sk-0123456789abcdef' });
      assert.equal(result.failure?.kind, 'dns');
      assert.equal(result.reachable, false);
      assert.match(result.hint, /host name in the base URL/);
    } finally {
      await http.close();
    }
  });
});

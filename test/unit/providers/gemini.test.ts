import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { createProvider, GeminiConfig } from '../../../src/core/providers/gemini';
import { ProviderError } from '../../../src/core/providers';
import { startGeminiEmulator, type GeminiEmulator } from '../../emulators';
import { collectChat, hello, rejectsWith, testClient } from './harness';
import { describeContract } from './contract';
import { geminiSubject } from '../helpers/subjects';

const { target } = geminiSubject;

describeContract(geminiSubject);

describe('Gemini adapter, on the recorded responses', () => {
  let emulator: GeminiEmulator;
  const http = testClient();
  const provider = createProvider({ http });

  before(async () => {
    emulator = await startGeminiEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });
  afterEach(() => {
    emulator.use('basic');
  });

  it('streams with alt=sse and sends the key only in x-goog-api-key', async () => {
    await collectChat(provider, target(emulator), hello);
    const request = emulator.requests.at(-1);
    assert.equal(request?.path, '/v1beta/models/gemini-2.0-flash:streamGenerateContent');
    assert.equal(request.query.get('alt'), 'sse');
    assert.equal(request.query.get('key'), null);
    assert.equal(request.headers['x-goog-api-key'], emulator.apiKey);
    assert.deepEqual((request.body as Record<string, unknown>).systemInstruction, { parts: [{ text: 'Be brief.' }] });
  });

  it('sends the configured safety settings in the streamed and the unary request body', async () => {
    const safetySettings = [
      { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' },
      { category: 'HARM_CATEGORY_CIVIC_INTEGRITY', threshold: 'OFF' },
    ];
    const base = target(emulator);
    const withSafety = { ...base, config: z.parse(GeminiConfig, { ...base.config, safetySettings }) };
    await collectChat(provider, withSafety, hello);
    assert.deepEqual((emulator.requests.at(-1)?.body as Record<string, unknown>).safetySettings, safetySettings);
    await collectChat(provider, withSafety, { ...hello, stream: false });
    const unary = emulator.requests.at(-1);
    assert.match(unary?.path ?? '', /:generateContent$/);
    assert.deepEqual((unary?.body as Record<string, unknown>).safetySettings, safetySettings);
  });

  it('refuses a safety category or threshold Gemini does not document', () => {
    assert.equal(z.safeParse(GeminiConfig, { model: 'gemini-2.5-flash', safetySettings: [{ category: 'HARM_CATEGORY_UNSPECIFIED_X', threshold: 'OFF' }] }).success, false);
    assert.equal(z.safeParse(GeminiConfig, { model: 'gemini-2.5-flash', safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_SOME' }] }).success, false);
  });

  it('leaves safetySettings out of the body when none are configured', async () => {
    await collectChat(provider, target(emulator), hello);
    assert.equal((emulator.requests.at(-1)?.body as Record<string, unknown>).safetySettings, undefined);
  });

  it('takes the usage of the last streamed event (7 in, 10 out)', async () => {
    const outcome = await collectChat(provider, target(emulator), hello);
    assert.deepEqual(outcome.usage, { input: 7, output: 10, cached: 0 });
    assert.deepEqual(outcome.finish, { type: 'finish', reason: 'stop', providerReason: 'STOP' });
  });

  it('counts thinking tokens as output and skips the empty signature part (9 in, 23 + 185 out)', async () => {
    emulator.use('thinking');
    const outcome = await collectChat(provider, target(emulator, 'gemini-3-pro-preview'), hello);
    assert.deepEqual(outcome.usage, { input: 9, output: 208, cached: 0, reasoning: 185 });
    assert.equal(outcome.text, 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y');
  });

  it('maps MAX_TOKENS to length', async () => {
    emulator.use('max-tokens');
    const outcome = await collectChat(provider, target(emulator, 'gemini-2.5-flash'), hello);
    assert.equal(outcome.finish?.reason, 'length');
    assert.equal(outcome.finish.providerReason, 'MAX_TOKENS');
  });

  it('parses implicit-cache usage exactly as recorded (12013 in, 11243 cached, 15 + 73 out)', async () => {
    emulator.use('cached');
    const outcome = await collectChat(provider, target(emulator, 'gemini-2.5-flash'), { ...hello, stream: false });
    assert.deepEqual(outcome.usage, { input: 12013, output: 88, cached: 11243, reasoning: 73 });
  });

  it('lists every page and only generateContent models, with their token limits', async () => {
    const before = emulator.requests.length;
    const models = await provider.listModels(target(emulator), { refresh: true });
    assert.deepEqual(models.map((m) => m.id), ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash', 'gemini-3-pro-preview']);
    assert.deepEqual(models[1], { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextWindow: 1048576, maxOutputTokens: 65536 });
    assert.equal(emulator.requests.length - before, 3, 'three pages of two');
  });

  it('counts tokens with countTokens', async () => {
    const count = await provider.countTokens?.(target(emulator), { messages: [{ role: 'user', content: 'one two three four' }] });
    assert.equal(count, 4);
    assert.match(emulator.requests.at(-1)?.path ?? '', /:countTokens$/);
  });

  it('treats the recorded 400 API_KEY_INVALID as a rejected key', async () => {
    const error = await rejectsWith(collectChat(provider, { ...target(emulator), apiKey: 'AIzaWrongKey000000000000000000' }, hello), 'auth');
    assert.equal(error.code, 'API_KEY_INVALID');
    assert.equal(error.hint, 'Check the key or its project.');
  });

  it('reads the wait from the recorded RetryInfo when there is no Retry-After header', async () => {
    emulator.inject({ status: 429 });
    const error = await rejectsWith(collectChat(provider, target(emulator), hello, { retry: false }), 'rate-limited');
    assert.equal(error.retryAfterMs, 34_400);
    assert.equal(error.code, 'RESOURCE_EXHAUSTED');
  });

  it('reads the recorded 404 of a streamed request although it is labelled text/event-stream', async () => {
    const error = await collectChat(provider, target(emulator, 'gemini-0-nope'), hello).catch((e: unknown) => e);
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, 'unknown-model');
    assert.equal(error.status, 404);
  });
});

describe('Gemini adapter, tool calls', () => {
  let emulator: GeminiEmulator;
  const http = testClient();
  const provider = createProvider({ http });

  before(async () => {
    emulator = await startGeminiEmulator();
    emulator.use('function-call');
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  for (const stream of [true, false]) {
    it(`yields the documented functionCall as a tool call (${stream ? 'streamed' : 'not streamed'}) and sends the declarations`, async () => {
      const tools = [{ name: 'schedule_meeting', description: 'Schedules a meeting.', parameters: { type: 'object' } }];
      const outcome = await collectChat(provider, target(emulator, 'gemini-2.5-flash'), { ...hello, tools, stream });
      const calls = outcome.events.filter((e) => e.type === 'tool-call');
      assert.deepEqual(calls, [{ type: 'tool-call', call: { id: 'call_1', name: 'schedule_meeting', arguments: '{"attendees":["Bob","Alice"],"date":"2025-03-27","time":"10:00","topic":"Q3 planning"}' } }]);
      assert.equal(outcome.finish?.reason, 'tool-calls');
      assert.deepEqual((emulator.requests.at(-1)?.body as { tools: unknown }).tools, [{ functionDeclarations: tools }]);
    });
  }
});

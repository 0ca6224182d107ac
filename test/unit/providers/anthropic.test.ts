import * as assert from 'node:assert/strict';
import { createProvider } from '../../../src/core/providers/anthropic';
import { startAnthropicEmulator, type AnthropicEmulator } from '../../emulators';
import { collectChat, hello, rejectsWith, testClient } from './harness';
import { describeContract } from './contract';
import { anthropicSubject } from '../helpers/subjects';

const { target } = anthropicSubject;

describeContract(anthropicSubject);

describe('Anthropic adapter, on the documented responses', () => {
  let emulator: AnthropicEmulator;
  const http = testClient();
  const provider = createProvider({ http });

  before(async () => {
    emulator = await startAnthropicEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });
  afterEach(() => {
    emulator.use('text');
  });

  it('sends x-api-key, anthropic-version, max_tokens and the system prompt at the top level', async () => {
    await collectChat(provider, target(emulator), hello);
    const request = emulator.requests.at(-1);
    const body = request?.body as Record<string, unknown>;
    assert.equal(request?.headers['x-api-key'], emulator.apiKey);
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.equal(request.headers.authorization, undefined);
    assert.equal(body.max_tokens, 8192);
    assert.equal(body.system, 'Be brief.');
    assert.deepEqual(body.messages, [{ role: 'user', content: 'Say hello' }]);
  });

  it('takes input from message_start and output from message_delta (25 in, 15 out)', async () => {
    const outcome = await collectChat(provider, target(emulator), hello);
    assert.deepEqual(outcome.usage, { input: 25, output: 15, cached: 0 });
    assert.deepEqual(outcome.finish, { type: 'finish', reason: 'stop', providerReason: 'end_turn' });
  });

  it('assembles a streamed tool_use block from its input_json_delta pieces', async () => {
    emulator.use('tool-use');
    const outcome = await collectChat(provider, target(emulator), hello);
    assert.equal(outcome.text, "Okay, let's check the weather for San Francisco, CA:");
    const calls = outcome.events.filter((e) => e.type === 'tool-call');
    assert.deepEqual(calls, [{ type: 'tool-call', call: { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}' } }]);
    assert.equal(outcome.finish?.reason, 'tool-calls');
    assert.deepEqual(outcome.usage, { input: 472, output: 89, cached: 0 });
  });

  it('counts cache reads and writes as input (21 + 188086 in, 393 out)', async () => {
    emulator.use('cached');
    const outcome = await collectChat(provider, target(emulator), { ...hello, stream: false });
    assert.deepEqual(outcome.usage, { input: 188107, output: 393, cached: 0, cacheWrite: 188086 });
  });

  it('parses the non-streamed message (2095 in, 503 out)', async () => {
    const outcome = await collectChat(provider, target(emulator), { ...hello, stream: false });
    assert.equal(outcome.text, 'Hi! My name is Claude.');
    assert.deepEqual(outcome.usage, { input: 2095, output: 503, cached: 0 });
  });

  it('follows has_more / last_id through every page of /v1/models', async () => {
    const models = await provider.listModels(target(emulator), { refresh: true });
    assert.deepEqual(models.map((m) => m.id), ['claude-opus-4-6', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001']);
    assert.equal(models[0]?.displayName, 'Claude Opus 4.6');
  });

  it('counts tokens with /v1/messages/count_tokens', async () => {
    assert.equal(await provider.countTokens?.(target(emulator), hello), 2095);
  });

  it('explains a 401 with authentication_error', async () => {
    const error = await rejectsWith(collectChat(provider, { ...target(emulator), apiKey: 'sk-ant-wrong-000000000000' }, hello), 'auth');
    assert.equal(error.code, 'authentication_error');
    assert.equal(error.hint, 'Check the key or its project.');
  });

  it('treats 529 overloaded_error as a server error', async () => {
    emulator.inject({ status: 529 });
    const error = await rejectsWith(collectChat(provider, target(emulator), hello, { retry: false }), 'server');
    assert.equal(error.code, 'overloaded_error');
  });
});

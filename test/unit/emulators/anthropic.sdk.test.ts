import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startAnthropicEmulator, type AnthropicEmulator } from '../../emulators';

describe('the Anthropic emulator, read by the official @anthropic-ai/sdk', () => {
  let emulator: AnthropicEmulator;
  let client: Anthropic;

  before(async () => {
    emulator = await startAnthropicEmulator();
    client = new Anthropic({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0, timeout: 2_000 });
  });
  after(() => emulator.close());
  afterEach(() => {
    emulator.use('text');
  });

  it('lists models across pages', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 2 })) ids.push(model.id);
    assert.deepEqual(ids, ['claude-opus-4-6', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001']);
  });

  it('streams a message the SDK accumulates', async () => {
    const stream = client.messages.stream({ model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
    const message = await stream.finalMessage();
    assert.deepEqual(message.content.map((b) => (b.type === 'text' ? b.text : b.type)), ['Hello!']);
    assert.equal(message.usage.output_tokens, 15);
    assert.equal(message.stop_reason, 'end_turn');
  });

  it('streams a tool_use block with its JSON input', async () => {
    emulator.use('tool-use');
    const message = await client.messages.stream({ model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'weather?' }] }).finalMessage();
    const tool = message.content.find((b) => b.type === 'tool_use');
    assert.deepEqual(tool?.input, { location: 'San Francisco, CA', unit: 'fahrenheit' });
  });

  it('answers a non-streamed message', async () => {
    const message = await client.messages.create({ model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
    assert.equal(message.usage.input_tokens, 2095);
  });

  it('counts tokens', async () => {
    const count = await client.messages.countTokens({ model: 'claude-opus-4-6', messages: [{ role: 'user', content: 'Hello' }] });
    assert.equal(count.input_tokens, 2095);
  });

  it('raises AuthenticationError for a wrong key', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: emulator.url, maxRetries: 0 });
    await assert.rejects(wrong.models.list(), (e: unknown) => e instanceof Anthropic.AuthenticationError);
  });

  it('raises NotFoundError for an unknown model', async () => {
    await assert.rejects(client.messages.create({ model: 'claude-nope', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => e instanceof Anthropic.NotFoundError && e.message.includes('model: claude-nope'));
  });

  it('raises RateLimitError with the Retry-After header', async () => {
    emulator.inject({ status: 429, retryAfter: '9' });
    await assert.rejects(client.messages.create({ model: 'claude-opus-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => e instanceof Anthropic.RateLimitError && e.headers.get('retry-after') === '9');
  });

  it('raises an error when the stream is dropped mid-way', async () => {
    emulator.inject({ dropAfterEvents: 3 });
    await assert.rejects(client.messages.stream({ model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }).finalMessage());
  });
});

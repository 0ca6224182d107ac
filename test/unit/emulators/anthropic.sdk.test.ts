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

  it('with thinking on, refuses tool results whose tool turn lost its thinking block, as the API does, and takes the turn the SDK kept whole', async () => {
    emulator.use('thinking-tool-use');
    const question = { role: 'user' as const, content: 'What is the weather in Paris?' };
    const thinking = { type: 'enabled' as const, budget_tokens: 2048 };
    const tools = [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } } } }];
    const turn = await client.messages.stream({ model: 'claude-opus-4-6', max_tokens: 16000, thinking, tools, messages: [question] }).finalMessage();
    assert.deepEqual(turn.content.map((b) => b.type), ['thinking', 'redacted_thinking', 'text', 'tool_use']);
    const results = { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_01CswdEQBMshySk6Y9DFKrfq', content: 'sunny' }] };
    emulator.use('text');
    const stripped = turn.content.filter((b) => b.type !== 'thinking' && b.type !== 'redacted_thinking');
    await assert.rejects(client.messages.create({ model: 'claude-opus-4-6', max_tokens: 16000, thinking, tools, messages: [question, { role: 'assistant', content: stripped }, results] }), (e: unknown) => {
      assert.ok(e instanceof Anthropic.APIError && e.status === 400, String(e));
      assert.match(e.message, /messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `text`\. When `thinking` is enabled, a final `assistant` message must start with a thinking block/);
      return true;
    });
    const changed = turn.content.map((b) => (b.type === 'thinking' ? { ...b, thinking: `${b.thinking} (edited)` } : b));
    await assert.rejects(client.messages.create({ model: 'claude-opus-4-6', max_tokens: 16000, thinking, tools, messages: [question, { role: 'assistant', content: changed }, results] }), /Invalid `signature` in `thinking` block/);
    const answer = await client.messages.create({ model: 'claude-opus-4-6', max_tokens: 16000, thinking, tools, messages: [question, { role: 'assistant', content: turn.content }, results] });
    assert.equal(answer.stop_reason, 'end_turn');
  });
});

import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';

describe('the OpenAI emulator, read by the official openai SDK', () => {
  let emulator: OpenAIEmulator;
  let client: OpenAI;

  before(async () => {
    emulator = await startOpenAIEmulator();
    client = new OpenAI({ apiKey: emulator.apiKey, baseURL: `${emulator.url}/v1`, maxRetries: 0, timeout: 2_000 });
  });
  after(() => emulator.close());

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.ok(ids.includes('gpt-4.1-nano'));
    assert.ok(ids.length > 50);
  });

  it('streams a chat completion with usage in the last chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    assert.ok(text.startsWith('**'));
    assert.equal(usage?.prompt_tokens, 16);
    assert.equal(usage.prompt_tokens_details?.cached_tokens, 0);
  });

  it('answers a non-streamed chat completion', async () => {
    emulator.use('cached');
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    emulator.use('text');
    assert.equal(completion.choices[0]?.message.content, 'ok');
    assert.equal(completion.usage?.prompt_tokens_details?.cached_tokens, 9984);
  });

  it('streams a tool call the SDK assembles', async () => {
    emulator.use('tool-calls');
    const runner = client.chat.completions.stream({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'weather?' }], tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }] });
    const final = await runner.finalChatCompletion();
    emulator.use('text');
    assert.equal(final.choices[0]?.message.tool_calls?.[0]?.type, 'function');
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
  });

  it('raises AuthenticationError with code invalid_api_key for a wrong key', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${emulator.url}/v1`, maxRetries: 0 });
    await assert.rejects(wrong.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key');
  });

  it('raises NotFoundError with model_not_found for an unknown model', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found');
  });

  it('raises RateLimitError carrying the Retry-After header', async () => {
    emulator.inject({ status: 429, retryAfter: '20' });
    await assert.rejects(client.models.list(), (e: unknown) => e instanceof OpenAI.RateLimitError && e.headers.get('retry-after') === '20' && e.code === 'rate_limit_exceeded');
  });

  it('raises an error when the stream is dropped mid-way', async () => {
    emulator.inject({ dropAfterEvents: 3 });
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }], stream: true });
    await assert.rejects(async () => {
      for await (const chunk of stream) assert.ok(chunk.id);
    });
  });

  it('decodes a gzip-compressed answer', async () => {
    emulator.inject({ encoding: 'gzip' });
    const completion = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(completion.usage?.completion_tokens, 363);
  });
});

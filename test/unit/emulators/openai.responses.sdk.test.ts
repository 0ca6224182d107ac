import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';

// responses.stream() checks the order of the events (each delta after its item, one identity, every item finished).
describe('the OpenAI Responses emulator, read by the official openai SDK', () => {
  let emulator: OpenAIEmulator;
  let client: OpenAI;

  before(async () => {
    emulator = await startOpenAIEmulator();
    client = new OpenAI({ apiKey: emulator.apiKey, baseURL: `${emulator.url}/v1`, maxRetries: 0, timeout: 2_000 });
  });
  after(() => emulator.close());

  it('streams the recorded reasoning summary and function call, in an order responses.stream() accepts', async () => {
    emulator.useResponses('reasoning-tools');
    const stream = client.responses.stream({ model: 'gpt-5.1-codex-max', input: 'What is (12 + 7) * 3 * 10?', store: false, reasoning: { effort: 'high', summary: 'detailed' } });
    let summary = '';
    for await (const event of stream) if (event.type === 'response.reasoning_summary_text.delta') summary += event.delta;
    const final = await stream.finalResponse();
    assert.match(summary, /^\*\*Calculating step-by-step using calculator\*\*/);
    assert.deepEqual(final.output.map((item) => item.type), ['reasoning', 'function_call']);
    const call = final.output[1];
    assert.equal(call?.type === 'function_call' ? call.arguments : undefined, '{"a":12,"b":7,"op":"add"}');
    assert.equal(final.usage?.input_tokens, 134);
  });

  it('answers the next turn of the tool loop once the input carries the tool result', async () => {
    emulator.useResponses('reasoning-tools');
    const input: OpenAI.Responses.ResponseInputItem[] = [
      { role: 'user', content: 'What is (12 + 7) * 3 * 10?' },
      { type: 'function_call', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' },
      { type: 'function_call_output', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', output: '19' },
    ];
    const final = await client.responses.stream({ model: 'gpt-5.1-codex-max', input, store: false }).finalResponse();
    assert.equal(final.usage?.input_tokens, 221);
  });

  it('streams a recorded text answer with cached and reasoning tokens in its usage', async () => {
    emulator.useResponses('phase');
    const stream = await client.responses.create({ model: 'gpt-5.3-codex', input: 'hi', stream: true });
    let text = '';
    let usage: OpenAI.Responses.ResponseUsage | undefined;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') usage = event.response.usage;
    }
    assert.equal(text, 'Got itHere are a few **AI');
    assert.equal(usage?.input_tokens_details.cached_tokens, 3072);
    assert.equal(usage.output_tokens_details.reasoning_tokens, 64);
  });

  it('answers without streaming with the recorded final response', async () => {
    emulator.useResponses('phase');
    const response = await client.responses.create({ model: 'gpt-5.3-codex', input: 'hi' });
    assert.equal(response.status, 'completed');
    assert.equal(response.usage?.total_tokens, 7575);
  });

  it('raises NotFoundError with model_not_found for an unknown model', async () => {
    await assert.rejects(client.responses.create({ model: 'gpt-nope', input: 'hi' }), (e: unknown) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found');
  });

  it('raises an error when the stream is dropped mid-way', async () => {
    emulator.useResponses('reasoning-tools');
    emulator.inject({ dropAfterEvents: 3 });
    await assert.rejects(client.responses.stream({ model: 'gpt-5.1-codex-max', input: 'hi' }).finalResponse());
  });
});

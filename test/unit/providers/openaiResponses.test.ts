import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { createProvider, OpenAIConfig } from '../../../src/core/providers/openai';
import type { ChatRequest } from '../../../src/core/providers';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { PNG_1X1 } from '../../emulators/images';
import { collectChat, hello, testClient } from './harness';
import { describeContract } from './contract';
import { openaiResponsesSubject } from '../helpers/subjects';

describeContract(openaiResponsesSubject);

const calculator = {
  name: 'calculator',
  description: 'A minimal calculator for basic arithmetic. Call it once per step.',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' }, op: { type: 'string' } }, required: ['a', 'b', 'op'] },
};
/** recorded/openai/vercel-ai__openai-reasoning-encrypted-content.1.chunks.txt, the first call's reasoning summary. */
const recordedSummary = "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.";

describe('OpenAI adapter on the Responses API, on the recorded streams', () => {
  let emulator: OpenAIEmulator;
  const http = testClient();
  const provider = createProvider({ http });
  const target = (settings: Record<string, unknown>) => ({ config: z.parse(OpenAIConfig, { baseUrl: `${emulator.url}/v1`, model: 'gpt-5.1-codex-max', ...settings }), apiKey: emulator.apiKey });

  before(async () => {
    emulator = await startOpenAIEmulator({ responsesOnly: ['gpt-4o-mini'] });
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });
  beforeEach(() => {
    emulator.useResponses('reasoning-tools');
  });

  it('picks the Responses API for a model OpenAI serves only there, and sends each field as the API reference names it', async () => {
    const request: ChatRequest = { ...hello, tools: [calculator], maxTokens: 400 };
    await collectChat(provider, target({ reasoningEffort: 'high', reasoningSummary: 'detailed' }), request);
    const sent = emulator.requests.at(-1);
    assert.equal(sent?.path, '/v1/responses');
    const body = sent.body as Record<string, unknown>;
    // https://platform.openai.com/docs/api-reference/responses/create
    assert.equal(body.model, 'gpt-5.1-codex-max');
    assert.equal(body.instructions, 'Be brief.');
    assert.deepEqual(body.input, [{ role: 'user', content: 'Say hello' }]);
    assert.deepEqual(body.reasoning, { effort: 'high', summary: 'detailed' });
    assert.equal(body.max_output_tokens, 400);
    assert.deepEqual(body.tools, [{ type: 'function', name: 'calculator', description: calculator.description, parameters: calculator.parameters, strict: false }]);
    assert.equal(body.store, false);
    assert.equal(body.stream, true);
    assert.equal(body.messages, undefined);
    assert.equal(body.max_completion_tokens, undefined);
  });

  it('streams the recorded reasoning summary as reasoning, then the tool call, with the recorded usage (134 in, 28 out)', async () => {
    const outcome = await collectChat(provider, target({}), { ...hello, tools: [calculator] });
    const reasoning = outcome.events.filter((e) => e.type === 'reasoning').map((e) => e.text).join('');
    assert.equal(reasoning, recordedSummary);
    assert.equal(outcome.text, '');
    assert.deepEqual(outcome.events.filter((e) => e.type === 'tool-call'), [{ type: 'tool-call', call: { id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' } }]);
    assert.deepEqual(outcome.usage, { input: 134, output: 28, cached: 0, reasoning: 0 });
    assert.deepEqual(outcome.finish, { type: 'finish', reason: 'tool-calls', providerReason: 'completed' });
    // Reasoning comes before the call, as it streamed.
    assert.ok(outcome.events.findIndex((e) => e.type === 'reasoning') < outcome.events.findIndex((e) => e.type === 'tool-call'));
  });

  it('sends a tool loop back as function_call and function_call_output items and reads the next recorded turn', async () => {
    const request: ChatRequest = {
      messages: [
        { role: 'user', content: 'What is (12 + 7) * 3 * 10?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' }] },
        { role: 'tool', content: '19', toolCallId: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', toolName: 'calculator' },
      ],
      tools: [calculator],
    };
    const outcome = await collectChat(provider, target({}), request);
    const body = emulator.requests.at(-1)?.body as { input: unknown[] };
    assert.deepEqual(body.input, [
      { role: 'user', content: 'What is (12 + 7) * 3 * 10?' },
      { type: 'function_call', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' },
      { type: 'function_call_output', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', output: '19' },
    ]);
    assert.deepEqual(outcome.events.filter((e) => e.type === 'tool-call').map((e) => e.call.arguments), ['{"a":19,"b":3,"op":"multiply"}']);
    assert.deepEqual(outcome.usage, { input: 221, output: 26, cached: 0, reasoning: 0 });
  });

  it('reads cached and reasoning tokens from the recorded usage (7112 in, 3072 cached, 463 out, 64 reasoning), streamed or not', async () => {
    emulator.useResponses('phase');
    const streamed = await collectChat(provider, target({ model: 'gpt-5.3-codex' }), hello);
    assert.deepEqual(streamed.usage, { input: 7112, output: 463, cached: 3072, reasoning: 64 });
    assert.equal(streamed.text, 'Got itHere are a few **AI');
    assert.equal(streamed.finish?.reason, 'stop');
    const whole = await collectChat(provider, target({ model: 'gpt-5.3-codex' }), { ...hello, stream: false });
    assert.deepEqual(whole.usage, streamed.usage);
    assert.equal(emulator.requests.at(-1)?.path, '/v1/responses');
    assert.equal((emulator.requests.at(-1)?.body as { stream?: boolean }).stream, false);
  });

  it('sends structured output as text.format on the Responses API and as response_format on Chat Completions', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    await collectChat(provider, target({ responseFormat: 'json_schema', jsonSchema: JSON.stringify(schema) }), hello);
    assert.deepEqual((emulator.requests.at(-1)?.body as { text?: unknown }).text, { format: { type: 'json_schema', name: 'response', schema, strict: true } });
    await collectChat(provider, target({ model: 'gpt-4.1-nano', responseFormat: 'json_schema', jsonSchema: JSON.stringify(schema), stop: ['END'], seed: 7, reasoningEffort: 'low' }), hello);
    const chat = emulator.requests.at(-1);
    assert.equal(chat?.path, '/v1/chat/completions');
    const body = chat.body as Record<string, unknown>;
    // https://platform.openai.com/docs/api-reference/chat/create
    assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'response', schema, strict: true } });
    assert.deepEqual(body.stop, ['END']);
    assert.equal(body.seed, 7);
    assert.equal(body.reasoning_effort, 'low');
    await collectChat(provider, target({ model: 'gpt-4.1-nano', responseFormat: 'json_object' }), hello);
    assert.deepEqual((emulator.requests.at(-1)?.body as Record<string, unknown>).response_format, { type: 'json_object' });
  });

  it('moves a model that Chat Completions turns away to the Responses API, and asks there directly from then on', async () => {
    emulator.useResponses('phase');
    const before = emulator.requests.length;
    const outcome = await collectChat(provider, target({ model: 'gpt-4o-mini' }), hello);
    assert.equal(outcome.text, 'Got itHere are a few **AI');
    assert.deepEqual(emulator.requests.slice(before).map((r) => r.path), ['/v1/chat/completions', '/v1/responses']);
    await collectChat(provider, target({ model: 'gpt-4o-mini' }), hello);
    assert.deepEqual(emulator.requests.slice(before + 2).map((r) => r.path), ['/v1/responses']);
  });

  it('keeps Chat Completions when the configuration says so, and reports the refusal', async () => {
    const error = await collectChat(provider, target({ model: 'gpt-4o-mini', protocol: 'chat' }), hello).catch((e: unknown) => e);
    assert.match(String(error), /only supported in v1\/responses/);
  });

  it('sends a user turn\'s images on the Responses API as input_image parts, and refuses an oversized one before sending', async () => {
    const request: ChatRequest = { messages: [{ role: 'user', content: 'What colour is this pixel?', images: [{ mimeType: 'image/png', data: PNG_1X1 }] }] };
    await collectChat(provider, target({}), request);
    const sent = emulator.requests.at(-1);
    assert.equal(sent?.path, '/v1/responses');
    // OpenAI SDK's ResponseInputImage: { type: 'input_image', image_url: '<data URL>', detail }.
    assert.deepEqual((sent.body as { input: unknown[] }).input, [
      { role: 'user', content: [{ type: 'input_text', text: 'What colour is this pixel?' }, { type: 'input_image', image_url: `data:image/png;base64,${PNG_1X1}`, detail: 'auto' }] },
    ]);
    const before = emulator.requests.length;
    const svg: ChatRequest = { messages: [{ role: 'user', content: 'Look', images: [{ mimeType: 'image/svg+xml', data: 'PHN2Zy8+' }] }] };
    await assert.rejects(collectChat(provider, target({}), svg), /does not read image\/svg\+xml images/);
    assert.equal(emulator.requests.length, before, 'nothing was sent');
  });

  it('refuses settings outside the documented values, naming the field', () => {
    const issues = (settings: Record<string, unknown>) => {
      const result = z.safeParse(OpenAIConfig, { model: 'gpt-5.1', ...settings });
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    assert.deepEqual(issues({ reasoningEffort: 'extreme' }), ['reasoningEffort: must be one of none, minimal, low, medium, high, xhigh, max']);
    assert.deepEqual(issues({ responseFormat: 'json_schema' }), ['jsonSchema: json_schema needs a JSON Schema in jsonSchema']);
    assert.deepEqual(issues({ jsonSchema: '[1,2]' }), ['jsonSchema: must be a JSON object such as {"type":"object","properties":{…}}']);
    assert.deepEqual(issues({ stop: ['a', 'b', 'c', 'd', 'e'] }), ['stop: at most 4 stop sequences']);
    assert.deepEqual(issues({ protocol: 'grpc' }), ['protocol: must be auto, chat or responses']);
    assert.deepEqual(issues({ reasoningEffort: 'xhigh', reasoningSummary: 'auto', responseFormat: 'json_object', stop: ['END'], seed: 42, protocol: 'responses' }), []);
  });
});

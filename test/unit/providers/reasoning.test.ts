import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { AnthropicConfig, createProvider as createAnthropic } from '../../../src/core/providers/anthropic';
import { createProvider as createGemini, GeminiConfig } from '../../../src/core/providers/gemini';
import { createProvider as createOllama, OllamaConfig } from '../../../src/core/providers/ollama';
import type { ChatEvent, ChatRequest } from '../../../src/core/providers';
import { startAnthropicEmulator, startGeminiEmulator, startOllamaEmulator, type AnthropicEmulator, type GeminiEmulator, type OllamaEmulator } from '../../emulators';
import { collectChat, hello, testClient } from './harness';

const reasoningOf = (events: readonly ChatEvent[]): string => events.map((e) => (e.type === 'reasoning' ? e.text : '')).join('');

/** Each failing field with its message, as the form shows them. */
function issues(schema: z.ZodMiniType, settings: Record<string, unknown>): string[] {
  const result = z.safeParse(schema, settings);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('Anthropic extended thinking, structured output and prompt caching, on the recorded streams', () => {
  let emulator: AnthropicEmulator;
  const http = testClient();
  const provider = createAnthropic({ http });
  const target = (settings: Record<string, unknown> = {}) => ({ config: z.parse(AnthropicConfig, { baseUrl: emulator.url, model: 'claude-opus-4-6', ...settings }), apiKey: emulator.apiKey });

  before(async () => {
    emulator = await startAnthropicEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  it('streams the recorded thinking block as reasoning before the text, with the recorded usage (69 in, 53 out)', async () => {
    emulator.use('thinking');
    const outcome = await collectChat(provider, target({ thinkingBudget: 2048 }), hello);
    assert.equal(reasoningOf(outcome.events), 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185');
    assert.equal(outcome.text, '925 ÷ 5 = 185');
    assert.ok(outcome.events.findIndex((e) => e.type === 'reasoning') < outcome.events.findIndex((e) => e.type === 'text'));
    assert.deepEqual(outcome.usage, { input: 69, output: 53, cached: 0 });
  });

  it('sends thinking.budget_tokens, output_config and stop_sequences as the Messages API documents them', async () => {
    emulator.use('text');
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };
    await collectChat(provider, target({ thinkingBudget: 4096, maxTokens: 16000, effort: 'high', jsonSchema: JSON.stringify(schema), stopSequences: ['###'] }), { ...hello, temperature: 0.2 });
    const body = emulator.requests.at(-1)?.body as Record<string, unknown>;
    // https://platform.claude.com/docs/en/build-with-claude/extended-thinking
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 4096 });
    assert.equal(body.max_tokens, 16000);
    // A caller's temperature is left out: the API refuses it with thinking on.
    assert.equal(body.temperature, undefined);
    assert.deepEqual(body.output_config, { effort: 'high', format: { type: 'json_schema', schema } });
    assert.deepEqual(body.stop_sequences, ['###']);
  });

  it('raises max_tokens above the budget when a caller asks for fewer tokens than the budget', async () => {
    emulator.use('text');
    await collectChat(provider, target({ thinkingBudget: 2048 }), { ...hello, maxTokens: 1000 });
    assert.equal((emulator.requests.at(-1)?.body as { max_tokens: number }).max_tokens, 3048);
  });

  it('refuses the combinations extended thinking forbids, naming the field to change', () => {
    const base = { model: 'claude-opus-4-6' };
    assert.deepEqual(issues(AnthropicConfig, { ...base, thinkingBudget: 512 }), ['thinkingBudget: must be at least 1024 tokens (the API’s minimum)']);
    assert.deepEqual(issues(AnthropicConfig, { ...base, thinkingBudget: 9000 }), ['thinkingBudget: must be less than maxTokens: the budget is part of the answer’s max_tokens (raise maxTokens or lower the budget)']);
    assert.deepEqual(issues(AnthropicConfig, { ...base, thinking: 'enabled' }), ['thinkingBudget: set a thinking budget (at least 1024 tokens) to turn extended thinking on']);
    assert.deepEqual(issues(AnthropicConfig, { ...base, thinkingBudget: 2048, temperature: 0.5, topK: 40, topP: 0.9 }), [
      'temperature: must be empty (or 1) while extended thinking is on',
      'topK: must be empty while extended thinking is on',
      'topP: must be from 0.95 to 1 while extended thinking is on',
    ]);
    assert.deepEqual(issues(AnthropicConfig, { ...base, thinking: 'adaptive', temperature: 0.5 }), ['temperature: must be empty (or 1) while extended thinking is on']);
    assert.deepEqual(issues(AnthropicConfig, { ...base, thinking: 'disabled', temperature: 0.5, topK: 40 }), []);
    assert.deepEqual(issues(AnthropicConfig, { ...base, thinkingBudget: 2048, temperature: 1, topP: 0.95 }), []);
  });

  it('marks the system prompt, the previous user turn and the newest message as cache breakpoints on a long prompt', async () => {
    emulator.use('text');
    const long = 'x'.repeat(5000);
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: long },
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: 'second question' },
      ],
    };
    await collectChat(provider, target(), request);
    const body = emulator.requests.at(-1)?.body as { system: unknown; messages: unknown[] };
    // https://platform.claude.com/docs/en/build-with-claude/prompt-caching
    assert.deepEqual(body.system, [{ type: 'text', text: long, cache_control: { type: 'ephemeral' } }]);
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'first question', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: [{ type: 'text', text: 'second question', cache_control: { type: 'ephemeral' } }] },
    ]);
  });

  it('leaves a short prompt, or one whose configuration turns caching off, without breakpoints', async () => {
    emulator.use('text');
    await collectChat(provider, target(), hello);
    assert.equal((emulator.requests.at(-1)?.body as { system: unknown }).system, 'Be brief.');
    await collectChat(provider, target({ promptCaching: 'off' }), { messages: [{ role: 'system', content: 'y'.repeat(5000) }, { role: 'user', content: 'hi' }] });
    assert.equal(typeof (emulator.requests.at(-1)?.body as { system: unknown }).system, 'string');
  });

  it('reads the recorded cache read and write counts (6289 read, 3337 written, 6 uncached, 198 out)', async () => {
    emulator.use('cache-hit');
    const outcome = await collectChat(provider, target(), hello);
    assert.deepEqual(outcome.usage, { input: 6 + 6289 + 3337, output: 198, cached: 6289, cacheWrite: 3337, reasoning: 0 });
    assert.equal(outcome.text, 'The sum of the squares of the numbers 1 through 12 is **650**.');
  });
});

describe('Gemini thinking, structured output and the common knobs', () => {
  let emulator: GeminiEmulator;
  const http = testClient();
  const provider = createGemini({ http });
  const target = (settings: Record<string, unknown> = {}) => ({ config: z.parse(GeminiConfig, { baseUrl: `${emulator.url}/v1beta`, model: 'gemini-2.5-pro', ...settings }), apiKey: emulator.apiKey });

  before(async () => {
    emulator = await startGeminiEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  it('streams thought parts as reasoning and counts thoughts and implicit cache hits (87 in, 64 cached, 954 out, 932 thinking)', async () => {
    emulator.use('thoughts');
    const outcome = await collectChat(provider, target({ includeThoughts: true, thinkingBudget: 1024 }), hello);
    assert.equal(reasoningOf(outcome.events), '**Working through the houses**\n\nI am matching each person to a house colour from the three clues.');
    assert.equal(outcome.text, 'Alice lives in the red house, Bob in the blue one and Carol in the green one.');
    assert.deepEqual(outcome.usage, { input: 87, output: 22 + 932, cached: 64, reasoning: 932 });
  });

  it('sends thinkingConfig, responseJsonSchema, stopSequences and seed in generationConfig as documented', async () => {
    emulator.use('basic');
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    await collectChat(provider, target({ thinkingBudget: -1, includeThoughts: true, responseJsonSchema: JSON.stringify(schema), stopSequences: ['END'], seed: 11 }), hello);
    const config = (emulator.requests.at(-1)?.body as { generationConfig: Record<string, unknown> }).generationConfig;
    // https://ai.google.dev/api/generate-content#generationconfig
    assert.deepEqual(config.thinkingConfig, { thinkingBudget: -1, includeThoughts: true });
    assert.equal(config.responseMimeType, 'application/json');
    assert.deepEqual(config.responseJsonSchema, schema);
    assert.deepEqual(config.stopSequences, ['END']);
    assert.equal(config.seed, 11);
  });

  it('refuses values outside the documented ranges', () => {
    const base = { model: 'gemini-2.5-pro' };
    assert.deepEqual(issues(GeminiConfig, { ...base, thinkingBudget: 40000 }), ['thinkingBudget: must be at most 32768 tokens']);
    assert.deepEqual(issues(GeminiConfig, { ...base, thinkingBudget: -2 }), ['thinkingBudget: must be -1 (dynamic), 0 (off) or a number of tokens']);
    assert.deepEqual(issues(GeminiConfig, { ...base, thinkingBudget: 1024, thinkingLevel: 'HIGH' }), ['thinkingLevel: set a thinking budget or a thinking level, not both']);
    assert.deepEqual(issues(GeminiConfig, { ...base, thinkingLevel: 'EXTREME' }), ['thinkingLevel: must be one of MINIMAL, LOW, MEDIUM, HIGH, XHIGH']);
    assert.deepEqual(issues(GeminiConfig, { ...base, stopSequences: ['1', '2', '3', '4', '5', '6'] }), ['stopSequences: at most 5 stop sequences']);
    assert.deepEqual(issues(GeminiConfig, { ...base, responseJsonSchema: '{"type":"object"}', responseMimeType: 'text/plain' }), ['responseMimeType: a response schema needs application/json (or leave this empty)']);
  });
});

describe('Ollama think, format and stop', () => {
  let emulator: OllamaEmulator;
  const http = testClient();
  const provider = createOllama({ http });
  const target = (settings: Record<string, unknown> = {}) => ({ config: z.parse(OllamaConfig, { baseUrl: emulator.url, model: 'gemma3:1b', ...settings }) });

  before(async () => {
    emulator = await startOllamaEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  it('streams message.thinking as reasoning before the content, with the counts of the final object', async () => {
    emulator.use('thinking');
    const outcome = await collectChat(provider, target({ think: 'true' }), hello);
    assert.equal(reasoningOf(outcome.events), "Okay, the user asks how many r's are in strawberry. Spelling it out: s-t-r-a-w-b-e-r-r-y, that is three.");
    assert.equal(outcome.text, "There are three r's in strawberry.");
    assert.deepEqual(outcome.usage, { input: 18, output: 61, cached: 0 });
  });

  it('sends think, format and options.stop as /api/chat documents them', async () => {
    emulator.use('stream');
    await collectChat(provider, target({ think: 'high', format: '{"type":"object"}', stop: ['</done>'] }), hello);
    const body = emulator.requests.at(-1)?.body as { think: unknown; format: unknown; options: { stop: unknown } };
    // https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
    assert.equal(body.think, 'high');
    assert.deepEqual(body.format, { type: 'object' });
    assert.deepEqual(body.options.stop, ['</done>']);
    await collectChat(provider, target({ think: 'false', format: 'json' }), hello);
    const plain = emulator.requests.at(-1)?.body as { think: unknown; format: unknown };
    assert.equal(plain.think, false);
    assert.equal(plain.format, 'json');
  });

  it('refuses a think level or format Ollama does not take', () => {
    assert.deepEqual(issues(OllamaConfig, { model: 'qwen3', think: 'max' }), ['think: must be true, false, low, medium or high']);
    assert.deepEqual(issues(OllamaConfig, { model: 'qwen3', format: 'yaml' }), ['format: must be json or a JSON Schema object such as {"type":"object",…}']);
  });
});

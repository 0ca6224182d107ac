import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { AnthropicConfig, createProvider as createAnthropic } from '../../../src/core/providers/anthropic';
import { createProvider as createGemini, GeminiConfig } from '../../../src/core/providers/gemini';
import type { ChatEvent, ChatMessage, ChatRequest, ReasoningReplay } from '../../../src/core/providers';
import { silentLogger, type Logger } from '../../../src/core/logger';
import { startAnthropicEmulator, startGeminiEmulator, type AnthropicEmulator, type GeminiEmulator } from '../../emulators';
import { collectChat, testClient } from './harness';

const weather = { name: 'get_weather', description: 'The current weather at a place', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } };
const flight = { name: 'check_flight', description: 'A flight\'s status', parameters: { type: 'object', properties: { flight: { type: 'string' } }, required: ['flight'] } };

/** The assistant turn a tool loop sends back: its text, its calls and the reasoning its provider wants with them. */
function assistantTurn(events: readonly ChatEvent[]): ChatMessage {
  const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const toolCalls = events.flatMap((e) => (e.type === 'tool-call' ? [e.call] : []));
  const replay = events.find((e): e is Extract<ChatEvent, { type: 'replay' }> => e.type === 'replay')?.replay;
  return { role: 'assistant', content: text, toolCalls, ...(replay ? { replay } : {}) };
}

function recordingLogger(lines: string[]): Logger {
  const keep = (message: string): void => { lines.push(message); };
  return { ...silentLogger, info: keep, warn: keep, error: keep };
}

describe('Thinking in tool loops: the turn that called the tools goes back with its signed reasoning', () => {
  describe('Anthropic (thinking and redacted_thinking blocks)', () => {
    let emulator: AnthropicEmulator;
    const http = testClient();
    const lines: string[] = [];
    const provider = createAnthropic({ http, logger: recordingLogger(lines) });
    const target = () => ({ config: z.parse(AnthropicConfig, { baseUrl: emulator.url, model: 'claude-opus-4-6', maxTokens: 16000, thinkingBudget: 2048 }), apiKey: emulator.apiKey });
    const ask: ChatRequest = { messages: [{ role: 'user', content: 'What is the weather in Paris?' }], tools: [weather] };

    before(async () => { emulator = await startAnthropicEmulator(); });
    after(async () => {
      await http.close();
      await emulator.close();
    });

    for (const stream of [true, false]) {
      it(`${stream ? 'streamed' : 'whole'}: sends the thinking and redacted_thinking blocks back unchanged, first in the tool turn, and the API accepts the tool results`, async () => {
        emulator.use('thinking-tool-use');
        const first = await collectChat(provider, target(), { ...ask, stream });
        const turn = assistantTurn(first.events);
        assert.equal(turn.toolCalls?.[0]?.id, 'toolu_01CswdEQBMshySk6Y9DFKrfq');
        const blocks = turn.replay?.blocks ?? [];
        assert.deepEqual(blocks.map((b) => b.type), ['thinking', 'redacted_thinking']);
        assert.equal(blocks[0]?.thinking, 'The user wants to know the current weather in Paris. I have access to a function `get_weather` that can provide this information. The required parameter is "location", and the user mentioned Paris.');
        assert.match(String(blocks[0].signature), /^EqQBCgIYAhIM1gbcDa9GJwZA2b3h/);

        emulator.use('text');
        const next: ChatRequest = { messages: [...ask.messages, turn, { role: 'tool', toolCallId: 'toolu_01CswdEQBMshySk6Y9DFKrfq', toolName: 'get_weather', content: '{"temperature": 88, "unit": "fahrenheit"}' }], tools: [weather], stream };
        const second = await collectChat(provider, target(), next);
        assert.ok(second.text.length > 0);
        const sent = emulator.requests.at(-1)?.body as { thinking: unknown; messages: { role: string; content: Record<string, unknown>[] }[] };
        assert.deepEqual(sent.thinking, { type: 'enabled', budget_tokens: 2048 });
        assert.deepEqual(sent.messages[1]?.content.map((b) => b.type), ['thinking', 'redacted_thinking', 'text', 'tool_use']);
        assert.deepEqual(sent.messages[1].content.slice(0, 2), blocks);
      });
    }

    it('a tool turn whose thinking was not kept goes with thinking off for that request, and the log says why', async () => {
      emulator.use('text');
      lines.length = 0;
      const lost: ChatMessage = { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_01CswdEQBMshySk6Y9DFKrfq', name: 'get_weather', arguments: '{"location":"Paris"}' }] };
      const outcome = await collectChat(provider, target(), { messages: [...ask.messages, lost, { role: 'tool', toolCallId: 'toolu_01CswdEQBMshySk6Y9DFKrfq', content: 'sunny' }], tools: [weather] });
      assert.ok(outcome.text.length > 0);
      assert.deepEqual((emulator.requests.at(-1)?.body as { thinking: unknown }).thinking, { type: 'disabled' });
      assert.equal(lines.length, 1);
      assert.match(lines[0] ?? '', /extended thinking is off for this request: the tool calls it answers \(get_weather\) came without the thinking blocks/);
    });

    it('another provider\'s reasoning is not sent to Anthropic', async () => {
      emulator.use('text');
      const foreign: ReasoningReplay = { provider: 'gemini', blocks: [{ functionCall: 'toolu_01CswdEQBMshySk6Y9DFKrfq', thoughtSignature: 'abc' }] };
      const turn: ChatMessage = { role: 'assistant', content: '', replay: foreign, toolCalls: [{ id: 'toolu_01CswdEQBMshySk6Y9DFKrfq', name: 'get_weather', arguments: '{}' }] };
      await collectChat(provider, target(), { messages: [...ask.messages, turn, { role: 'tool', toolCallId: 'toolu_01CswdEQBMshySk6Y9DFKrfq', content: 'sunny' }], tools: [weather] });
      const sent = emulator.requests.at(-1)?.body as { messages: { content: Record<string, unknown>[] }[] };
      assert.deepEqual(sent.messages[1]?.content.map((b) => b.type), ['tool_use']);
    });
  });

  describe('Gemini (thought signatures on function calls)', () => {
    let emulator: GeminiEmulator;
    const http = testClient();
    const lines: string[] = [];
    const provider = createGemini({ http, logger: recordingLogger(lines) });
    const target = (model = 'gemini-3-pro-preview') => ({ config: z.parse(GeminiConfig, { baseUrl: `${emulator.url}/v1beta`, model }), apiKey: emulator.apiKey });
    const ask: ChatRequest = { messages: [{ role: 'user', content: 'Check flight status for AA100.' }], tools: [flight] };

    before(async () => { emulator = await startGeminiEmulator(); });
    after(async () => {
      await http.close();
      await emulator.close();
    });

    for (const stream of [true, false]) {
      it(`${stream ? 'streamed' : 'whole'}: sends the function call back with its thought signature, and Gemini 3 accepts the function response`, async () => {
        emulator.use('function-call-signed');
        const first = await collectChat(provider, target(), { ...ask, stream });
        const turn = assistantTurn(first.events);
        const id = turn.toolCalls?.[0]?.id ?? '';
        assert.deepEqual(turn.replay, { provider: 'gemini', blocks: [{ functionCall: id, thoughtSignature: 'CiQB0e2Kb1T5EUWXHb6FKn7qWcqSmQ6cjC1gCk3PmpqCYf1yZ2ESXAHR7YpvxDr8jRFRXr0v2l2U9t0Xv5+4hA3t2mF8vX+eK1e3n0Jt0X8C3bY7l9Yp6Qq8g1y3NwkK' }] });

        emulator.use('basic');
        const second = await collectChat(provider, target(), { messages: [...ask.messages, turn, { role: 'tool', toolCallId: id, toolName: 'check_flight', content: '{"status":"delayed"}' }], tools: [flight], stream });
        assert.ok(second.text.length > 0);
        const sent = emulator.requests.at(-1)?.body as { contents: { parts: Record<string, unknown>[] }[] };
        const [signed] = turn.replay.blocks;
        assert.equal(sent.contents[1]?.parts[0]?.thoughtSignature, signed?.thoughtSignature);
      });
    }

    it('a Gemini 3 function call whose signature was not kept goes with the documented stand-in, and the log says so', async () => {
      emulator.use('basic');
      lines.length = 0;
      const lost: ChatMessage = { role: 'assistant', content: '', toolCalls: [{ id: 'fc1', name: 'check_flight', arguments: '{"flight":"AA100"}' }, { id: 'fc2', name: 'check_flight', arguments: '{"flight":"AA200"}' }] };
      const outcome = await collectChat(provider, target(), { messages: [...ask.messages, lost, { role: 'tool', toolCallId: 'fc1', content: 'delayed' }, { role: 'tool', toolCallId: 'fc2', content: 'on time' }], tools: [flight] });
      assert.ok(outcome.text.length > 0);
      const sent = emulator.requests.at(-1)?.body as { contents: { parts: Record<string, unknown>[] }[] };
      // Only the first call of a step carries a signature (parallel calls).
      assert.deepEqual(sent.contents[1]?.parts.map((p) => p.thoughtSignature), ['skip_thought_signature_validator', undefined]);
      assert.equal(lines.length, 1);
      assert.match(lines[0] ?? '', /thought signatures of the tool calls this request answers \(check_flight, check_flight\) were not kept/);
    });

    it('a Gemini 2.5 model, which does not check signatures, gets no stand-in', async () => {
      emulator.use('basic');
      const lost: ChatMessage = { role: 'assistant', content: '', toolCalls: [{ id: 'fc1', name: 'check_flight', arguments: '{}' }] };
      await collectChat(provider, target('gemini-2.5-flash'), { messages: [...ask.messages, lost, { role: 'tool', toolCallId: 'fc1', content: 'delayed' }], tools: [flight] });
      const sent = emulator.requests.at(-1)?.body as { contents: { parts: Record<string, unknown>[] }[] };
      assert.equal(sent.contents[1]?.parts[0]?.thoughtSignature, undefined);
    });
  });
});

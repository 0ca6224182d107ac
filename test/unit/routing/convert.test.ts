import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../../src/core/providers';
import { convertConversation, fromWire, normalizeHistory, toWire, type WireFormat } from '../../../src/core/routing';
import { World } from './fixture';

const formats: readonly WireFormat[] = ['openai', 'anthropic', 'gemini', 'ollama'];

/** A conversation with everything that must survive a switch: system text, two parallel tool calls and their results. */
const conversation: readonly ChatMessage[] = [
  { role: 'system', content: 'You are a weather assistant.' },
  { role: 'user', content: 'Weather in Paris and Oslo?' },
  {
    role: 'assistant',
    content: '',
    toolCalls: [
      { id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
      { id: 'call_oslo', name: 'get_time', arguments: '{"city":"Oslo"}' },
    ],
  },
  { role: 'tool', content: '{"temp":21,"sky":"clear"}', toolCallId: 'call_paris', toolName: 'get_weather' },
  { role: 'tool', content: '14:05', toolCallId: 'call_oslo', toolName: 'get_time' },
  { role: 'assistant', content: 'Paris is 21 °C and clear; in Oslo it is 14:05.' },
  { role: 'user', content: 'Thanks!' },
];

/** What a conversation means, independent of JSON spacing. */
function meaning(messages: readonly ChatMessage[], withIds = true): unknown[] {
  return messages.map((m) => ({
    role: m.role,
    content: m.role === 'tool' ? JSON.stringify(parse(m.content)) : m.content,
    ...(m.toolCalls ? { calls: m.toolCalls.map((c) => ({ ...(withIds ? { id: c.id } : {}), name: c.name, args: parse(c.arguments) })) } : {}),
    ...(m.role === 'tool' ? { name: m.toolName, ...(withIds ? { id: m.toolCallId } : {}) } : {}),
  }));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

describe('conversation conversion between provider formats', () => {
  for (const from of formats) {
    for (const to of formats) {
      if (from === to) continue;
      it(`moves a conversation from ${from} to ${to} and back keeping system text, turn order, tool calls and results`, () => {
        const there = convertConversation(from, to, toWire(from, conversation));
        assert.deepEqual(meaning(fromWire(to, there)), meaning(conversation));
        const back = convertConversation(to, from, there);
        assert.deepEqual(meaning(fromWire(from, back)), meaning(conversation));
      });
    }
  }

  it('puts all results of one turn together where Anthropic and Gemini require it', () => {
    const anthropic = toWire('anthropic', conversation) as { system: string; messages: { role: string; content: unknown }[] };
    assert.equal(anthropic.system, 'You are a weather assistant.');
    assert.deepEqual(anthropic.messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    const gemini = toWire('gemini', conversation) as { contents: { role: string; parts: unknown[] }[] };
    assert.deepEqual(gemini.contents.map((c) => `${c.role}:${String(c.parts.length)}`), ['user:1', 'model:2', 'user:2', 'model:1', 'user:1']);
  });

  it('fills the call id an Ollama result lacks and the tool name an OpenAI result lacks', () => {
    const fromOllama = fromWire('ollama', { messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_time', arguments: { city: 'Oslo' } } }] }, { role: 'tool', content: '14:05', tool_name: 'get_time' }] });
    assert.equal(fromOllama[1]?.toolCallId, fromOllama[0]?.toolCalls?.[0]?.id);
    assert.ok(fromOllama[1]?.toolCallId);
    const openai = normalizeHistory([{ role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_time', arguments: '{}' }] }, { role: 'tool', content: 'x', toolCallId: 'c1' }]);
    assert.equal(openai[1]?.toolName, 'get_time');
  });

  it('reads back what each real adapter sends, ids included, so a conversation can leave any provider mid-way', async function () {
    this.timeout(10_000);
    const world = new World();
    try {
      const members = { openai: await world.openai('o'), anthropic: await world.anthropic('a'), gemini: await world.gemini('g'), ollama: await world.ollama('l') };
      // As an OpenAI history arrives: results name their call's id, not its tool.
      const bare = conversation.map((m): ChatMessage => (m.role === 'tool' ? { role: 'tool', content: m.content, toolCallId: m.toolCallId ?? '' } : m));
      for (const format of formats) {
        const { target, emulator } = members[format];
        for (const messages of [conversation, bare]) {
          try {
            const events = [];
            for await (const event of target.adapter.chat(target.target, { messages, stream: false })) events.push(event);
          } catch {
            // The emulator's canned answer does not matter here: only the request body it received.
          }
          const sent = emulator.requests.at(-1)?.body;
          assert.deepEqual(meaning(fromWire(format, sent)), meaning(conversation), format);
        }
      }
      // Parallel results travel together: one user turn (Anthropic), one user content (Gemini), right after the calls.
      const anthropic = members.anthropic.emulator.requests.at(-1)?.body as { messages: { role: string; content: unknown }[] };
      assert.deepEqual(anthropic.messages.map((m) => `${m.role}:${Array.isArray(m.content) ? String(m.content.length) : 'text'}`), ['user:text', 'assistant:2', 'user:2', 'assistant:text', 'user:text']);
      const gemini = members.gemini.emulator.requests.at(-1)?.body as { contents: { role: string; parts: Record<string, { id?: string; name?: string }>[] }[] };
      assert.deepEqual(gemini.contents.map((c) => `${c.role}:${String(c.parts.length)}`), ['user:1', 'model:2', 'user:2', 'model:1', 'user:1']);
      assert.deepEqual(gemini.contents[1]?.parts.map((p) => p.functionCall?.id), ['call_paris', 'call_oslo']);
      assert.deepEqual(gemini.contents[2]?.parts.map((p) => `${p.functionResponse?.id ?? ''} ${p.functionResponse?.name ?? ''}`), ['call_paris get_weather', 'call_oslo get_time']);
      const ollama = members.ollama.emulator.requests.at(-1)?.body as { messages: { role: string; tool_name?: string; tool_calls?: { id?: string }[] }[] };
      assert.deepEqual(ollama.messages[2]?.tool_calls?.map((c) => c.id), ['call_paris', 'call_oslo']);
      assert.deepEqual(ollama.messages.filter((m) => m.role === 'tool').map((m) => m.tool_name), ['get_weather', 'get_time']);
    } finally {
      await world.close();
    }
  });

  it("keeps the ids Gemini 2.5 and Ollama give their tool calls, and echoes Gemini's id in the functionResponse", () => {
    const gemini = fromWire('gemini', { contents: [{ role: 'user', parts: [{ text: 'time?' }] }, { role: 'model', parts: [{ functionCall: { id: 'fc-7x', name: 'get_time', args: { city: 'Oslo' } } }] }] });
    assert.equal(gemini[1]?.toolCalls?.[0]?.id, 'fc-7x');
    const answered = [...gemini, { role: 'tool' as const, content: '14:05', toolCallId: 'fc-7x' }];
    const back = toWire('gemini', answered) as { contents: { parts: Record<string, { id?: string; name?: string }>[] }[] };
    assert.deepEqual(back.contents[2]?.parts[0]?.functionResponse, { id: 'fc-7x', name: 'get_time', response: { result: '14:05' } });
    const ollama = fromWire('ollama', { messages: [{ role: 'assistant', content: '', tool_calls: [{ id: 'call_abc', function: { name: 'get_time', arguments: { city: 'Oslo' } } }] }, { role: 'tool', content: '14:05', tool_name: 'get_time' }] });
    assert.equal(ollama[0]?.toolCalls?.[0]?.id, 'call_abc');
    assert.equal(ollama[1]?.toolCallId, 'call_abc');
  });
});

import type { ChatMessage, ChatToolCall } from '../providers';

/**
 * A conversation moves between providers through ChatMessage, the one format every adapter reads: `fromWire` reads a
 * provider's history into it, `toWire` writes it the way that provider's API takes it. Where a format has no place
 * for something (Ollama's tool results carry no call id, Anthropic and Gemini keep the system prompt apart) it is
 * recovered on the way back: results are paired with calls by name and order, system text goes first.
 */
export type WireFormat = 'openai' | 'anthropic' | 'gemini' | 'ollama';

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Arguments as an object for the APIs that take one; JSON text that is not an object is kept under `value`. */
function argsObject(text: string): Json {
  const value = parsed(text);
  return record(value) ?? (text.trim() === '' ? {} : { value: value ?? text });
}

function argsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? {});
}

/** A tool result as Gemini's functionResponse.response object; plain text goes under `result`. */
function responseObject(content: string): Json {
  const value = parsed(content);
  return record(value) ?? { result: value ?? content };
}

function responseText(response: unknown): string {
  const object = record(response);
  const keys = object ? Object.keys(object) : [];
  if (object && keys.length === 1 && keys[0] === 'result') return typeof object.result === 'string' ? object.result : JSON.stringify(object.result);
  return JSON.stringify(response ?? {});
}

/**
 * Fills what one provider leaves out and another needs: an id on every tool call, and on every tool result the id and
 * name of the call it answers (OpenAI results carry only the id, Ollama's only the name). Returns the same array when
 * nothing was missing.
 */
export function normalizeHistory(messages: readonly ChatMessage[]): readonly ChatMessage[] {
  let changed = false;
  for (const m of messages) {
    if ((m.role === 'tool' && (!m.toolCallId || !m.toolName)) || m.toolCalls?.some((c) => !c.id)) {
      changed = true;
      break;
    }
  }
  if (!changed) return messages;
  const out: ChatMessage[] = [];
  let open: ChatToolCall[] = [];
  let counter = 0;
  for (const m of messages) {
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const calls = m.toolCalls.map((c) => (c.id ? c : { ...c, id: `call_${String(++counter)}` }));
      open = [...calls];
      out.push({ ...m, toolCalls: calls });
    } else if (m.role === 'tool') {
      const match = open.find((c) => (m.toolCallId ? c.id === m.toolCallId : c.name === m.toolName)) ?? (m.toolCallId ? undefined : open[0]);
      if (match) open = open.filter((c) => c !== match);
      out.push({ ...m, toolCallId: m.toolCallId ?? match?.id ?? '', toolName: m.toolName ?? match?.name ?? '' });
    } else {
      out.push(m);
    }
  }
  return out;
}

// OpenAI Chat Completions: system, user, assistant (tool_calls with JSON text arguments), tool (tool_call_id).

function toOpenAI(messages: readonly ChatMessage[]): Json {
  return {
    messages: messages.map((m) => {
      if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
      if (m.role === 'assistant' && m.toolCalls?.length) {
        return { role: 'assistant', content: m.content === '' ? null : m.content, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) };
      }
      return { role: m.role, content: m.content };
    }),
  };
}

/** `tool_calls: [{ id, function: { name, arguments } }]`, the shape OpenAI and Ollama share (Ollama's arguments are an object). */
function functionCalls(raw: unknown): { id: string; name: string; arguments: string }[] {
  return list(raw).map((c) => {
    const call = record(c);
    const fn = record(call?.function);
    return { id: str(call?.id) ?? '', name: str(fn?.name) ?? '', arguments: argsText(fn?.arguments) };
  });
}

function fromOpenAI(wire: unknown): ChatMessage[] {
  return list(record(wire)?.messages).flatMap((raw): ChatMessage[] => {
    const m = record(raw);
    const role = str(m?.role);
    const content = textOf(m?.content);
    if (role === 'tool') return [{ role: 'tool', content, toolCallId: str(m?.tool_call_id) ?? '' }];
    if (role === 'assistant') {
      const calls = functionCalls(m?.tool_calls);
      return [{ role: 'assistant', content, ...(calls.length ? { toolCalls: calls } : {}) }];
    }
    if (role === 'system' || role === 'developer') return [{ role: 'system', content }];
    return role === 'user' ? [{ role: 'user', content }] : [];
  });
}

/** OpenAI content may be text or an array of parts; only text parts move between providers. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return list(content).map((p) => str(record(p)?.text) ?? '').join('');
}

// Anthropic Messages: system apart; user/assistant turns of blocks; tool_use in the assistant turn, tool_result blocks
// (all of one turn's results together) in the next user turn.

function toAnthropic(messages: readonly ChatMessage[]): Json {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const turns: Json[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      const block = { type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content };
      const last = turns.at(-1);
      const blocks = last?.role === 'user' && Array.isArray(last.content) && last.content.every((b) => record(b)?.type === 'tool_result') ? (last.content as unknown[]) : undefined;
      if (blocks) blocks.push(block);
      else turns.push({ role: 'user', content: [block] });
      continue;
    }
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const text = m.content === '' ? [] : [{ type: 'text', text: m.content }];
      turns.push({ role: 'assistant', content: [...text, ...m.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: argsObject(c.arguments) }))] });
      continue;
    }
    turns.push({ role: m.role, content: m.content });
  }
  return { ...(system ? { system } : {}), messages: turns };
}

function fromAnthropic(wire: unknown): ChatMessage[] {
  const body = record(wire);
  const system = typeof body?.system === 'string' ? body.system : list(body?.system).map((b) => str(record(b)?.text) ?? '').join('\n\n');
  const out: ChatMessage[] = system ? [{ role: 'system', content: system }] : [];
  for (const raw of list(body?.messages)) {
    const m = record(raw);
    const role = str(m?.role) === 'assistant' ? 'assistant' : 'user';
    if (typeof m?.content === 'string') {
      out.push({ role, content: m.content });
      continue;
    }
    const blocks = list(m?.content).map(record);
    const text = blocks.filter((b) => b?.type === 'text').map((b) => str(b?.text) ?? '').join('');
    if (role === 'assistant') {
      const calls = blocks.filter((b) => b?.type === 'tool_use').map((b) => ({ id: str(b?.id) ?? '', name: str(b?.name) ?? '', arguments: argsText(b?.input) }));
      out.push({ role, content: text, ...(calls.length ? { toolCalls: calls } : {}) });
      continue;
    }
    for (const b of blocks) {
      if (b?.type === 'tool_result') out.push({ role: 'tool', content: textOf(b.content), toolCallId: str(b.tool_use_id) ?? '' });
    }
    if (text !== '' || !blocks.some((b) => b?.type === 'tool_result')) out.push({ role: 'user', content: text });
  }
  return out;
}

// Gemini generateContent: systemInstruction apart; user/model contents of parts; functionCall and functionResponse
// (with the call's id, which the API echoes) as parts, all of one turn's responses in one user content.

function toGemini(messages: readonly ChatMessage[]): Json {
  const system = messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content }));
  const contents: Json[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      const part = { functionResponse: { ...(m.toolCallId ? { id: m.toolCallId } : {}), name: m.toolName ?? '', response: responseObject(m.content) } };
      const last = contents.at(-1);
      const parts = last?.role === 'user' && Array.isArray(last.parts) && last.parts.every((p) => record(p)?.functionResponse !== undefined) ? (last.parts as unknown[]) : undefined;
      if (parts) parts.push(part);
      else contents.push({ role: 'user', parts: [part] });
      continue;
    }
    const calls = (m.toolCalls ?? []).map((c) => ({ functionCall: { ...(c.id ? { id: c.id } : {}), name: c.name, args: argsObject(c.arguments) } }));
    contents.push({ role: m.role === 'assistant' ? 'model' : 'user', parts: [...(m.content === '' ? [] : [{ text: m.content }]), ...calls] });
  }
  return { ...(system.length ? { systemInstruction: { parts: system } } : {}), contents };
}

function fromGemini(wire: unknown): ChatMessage[] {
  const body = record(wire);
  const system = list(record(body?.systemInstruction)?.parts).map((p) => str(record(p)?.text) ?? '').join('\n\n');
  const out: ChatMessage[] = system ? [{ role: 'system', content: system }] : [];
  for (const raw of list(body?.contents)) {
    const content = record(raw);
    const parts = list(content?.parts).map(record);
    const text = parts.map((p) => (p?.thought === true ? '' : (str(p?.text) ?? ''))).join('');
    if (str(content?.role) === 'model') {
      const calls = parts.flatMap((p) => {
        const call = record(p?.functionCall);
        return call ? [{ id: str(call.id) ?? '', name: str(call.name) ?? '', arguments: argsText(call.args) }] : [];
      });
      out.push({ role: 'assistant', content: text, ...(calls.length ? { toolCalls: calls } : {}) });
      continue;
    }
    const responses = parts.flatMap((p) => {
      const response = record(p?.functionResponse);
      return response ? [response] : [];
    });
    for (const r of responses) {
      const id = str(r.id);
      out.push({ role: 'tool', content: responseText(r.response), toolName: str(r.name) ?? '', ...(id ? { toolCallId: id } : {}) });
    }
    if (text !== '' || responses.length === 0) out.push({ role: 'user', content: text });
  }
  return out;
}

// Ollama /api/chat: roles as OpenAI's, tool_calls with object arguments, tool results named by tool_name only.

function toOllama(messages: readonly ChatMessage[]): Json {
  return {
    messages: messages.map((m) => ({
      role: m.role,
      content: m.content,
      ...(m.toolCalls?.length ? { tool_calls: m.toolCalls.map((c) => ({ ...(c.id ? { id: c.id } : {}), function: { name: c.name, arguments: argsObject(c.arguments) } })) } : {}),
      ...(m.role === 'tool' ? { tool_name: m.toolName ?? '' } : {}),
    })),
  };
}

function fromOllama(wire: unknown): ChatMessage[] {
  const out = list(record(wire)?.messages).flatMap((raw): ChatMessage[] => {
    const m = record(raw);
    const role = str(m?.role);
    const content = str(m?.content) ?? '';
    if (role === 'tool') return [{ role: 'tool', content, toolName: str(m?.tool_name) ?? '' }];
    if (role === 'assistant') {
      const calls = functionCalls(m?.tool_calls);
      return [{ role: 'assistant', content, ...(calls.length ? { toolCalls: calls } : {}) }];
    }
    return role === 'system' || role === 'user' ? [{ role, content }] : [];
  });
  return out;
}

const writers: Record<WireFormat, (messages: readonly ChatMessage[]) => Json> = { openai: toOpenAI, anthropic: toAnthropic, gemini: toGemini, ollama: toOllama };
const readers: Record<WireFormat, (wire: unknown) => ChatMessage[]> = { openai: fromOpenAI, anthropic: fromAnthropic, gemini: fromGemini, ollama: fromOllama };

/** A history in a provider's request format: `{messages}` (OpenAI, Ollama), `{system?, messages}`, `{systemInstruction?, contents}`. */
export function toWire(format: WireFormat, messages: readonly ChatMessage[]): Json {
  return writers[format](normalizeHistory(messages));
}

/** A provider's history as ChatMessages, every tool result naming its call's id and tool. */
export function fromWire(format: WireFormat, wire: unknown): ChatMessage[] {
  return [...normalizeHistory(readers[format](wire))];
}

/** One provider's history written the way another takes it, mid-conversation. */
export function convertConversation(from: WireFormat, to: WireFormat, wire: unknown): Json {
  return toWire(to, fromWire(from, wire));
}

/** The wire format a provider id speaks (OpenAI-compatible servers speak OpenAI's). */
export function wireFormatOf(provider: string): WireFormat {
  return provider === 'anthropic' || provider === 'gemini' || provider === 'ollama' ? provider : 'openai';
}

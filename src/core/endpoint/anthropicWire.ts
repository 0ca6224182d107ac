import type { ChatMessage, ChatTool, ChatToolCall, FinishReason, Usage } from '../providers';
import { boundedInt, chatRequest, boundedNumber, kindOf, LIMITS, record, refuse, TOOL_NAME, type Json, type WireParse } from './wireRequest';

/**
 * Anthropic's Messages API as the local endpoint speaks it to clients (https://docs.anthropic.com/en/api/messages):
 * the request read into a ChatRequest, the answer written as a `message` or as the SSE events Anthropic streams,
 * errors as `{ type: 'error', error: { type, message } }`.
 */
export function parseAnthropicMessages(body: unknown, options: { readonly countOnly?: boolean } = {}): WireParse {
  const root = record(body);
  if (!root) return refuse('The request body must be a JSON object.');
  if (typeof root.model !== 'string' || root.model === '') return refuse('model: Field required');
  if (!Array.isArray(root.messages) || root.messages.length === 0) return refuse('messages: at least one message is required');
  if (root.messages.length > LIMITS.messages) return refuse(`messages: at most ${String(LIMITS.messages)} are accepted`);
  // count_tokens takes no max_tokens; a Messages request must say it.
  const maxTokens = boundedInt(root.max_tokens, 1, LIMITS.maxTokens);
  if (maxTokens === false || (maxTokens === undefined && !options.countOnly)) return refuse(`max_tokens: a whole number from 1 to ${String(LIMITS.maxTokens)} is required`);
  const temperature = boundedNumber(root.temperature, 0, 1);
  if (temperature === false) return refuse('temperature: must be a number from 0 to 1');
  if (root.stream !== undefined && root.stream !== null && typeof root.stream !== 'boolean') return refuse('stream: must be true or false');

  const messages: ChatMessage[] = [];
  const system = readSystem(root.system);
  if (typeof system !== 'string') return refuse(system.problem);
  if (system !== '') messages.push({ role: 'system', content: system });
  for (const [index, raw] of root.messages.entries()) {
    const read = readMessage(raw, `messages.${String(index)}`);
    if ('problem' in read) return refuse(read.problem);
    messages.push(...read);
  }
  const tools = readTools(root.tools);
  if (typeof tools === 'string') return refuse(tools);
  const stream = root.stream === true && !options.countOnly;
  return {
    ok: true,
    value: {
      model: root.model,
      stream,
      includeUsage: true,
      request: chatRequest(messages, { stream, tools, maxTokens, temperature }),
    },
  };
}

interface Problem {
  readonly problem: string;
}

function readSystem(raw: unknown): string | Problem {
  if (raw === undefined || raw === null) return '';
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw)) return { problem: 'system: must be a string or an array of text blocks' };
  const texts: string[] = [];
  for (const block of raw) {
    const b = record(block);
    if (b?.type !== 'text' || typeof b.text !== 'string') return { problem: 'system: only text blocks are accepted' };
    texts.push(b.text);
  }
  return texts.join('\n\n');
}

/** One Anthropic message may become several ChatMessages: its tool results each become a tool message, first. */
function readMessage(raw: unknown, param: string): ChatMessage[] | Problem {
  const m = record(raw);
  if (!m || (m.role !== 'user' && m.role !== 'assistant')) return { problem: `${param}.role: must be "user" or "assistant"` };
  if (typeof m.content === 'string') return [{ role: m.role, content: m.content }];
  if (!Array.isArray(m.content)) return { problem: `${param}.content: must be a string or an array of content blocks` };
  const texts: string[] = [];
  const calls: ChatToolCall[] = [];
  const results: ChatMessage[] = [];
  for (const [index, block] of m.content.entries()) {
    const b = record(block);
    const at = `${param}.content.${String(index)}`;
    switch (b?.type) {
      case 'text':
        if (typeof b.text !== 'string') return { problem: `${at}.text: Field required` };
        texts.push(b.text);
        break;
      case 'tool_use':
        if (m.role !== 'assistant') return { problem: `${at}: tool_use blocks belong to assistant messages` };
        if (typeof b.id !== 'string' || typeof b.name !== 'string') return { problem: `${at}: tool_use needs an id and a name` };
        calls.push({ id: b.id, name: b.name, arguments: JSON.stringify(b.input ?? {}) });
        break;
      case 'tool_result': {
        if (m.role !== 'user') return { problem: `${at}: tool_result blocks belong to user messages` };
        if (typeof b.tool_use_id !== 'string') return { problem: `${at}.tool_use_id: Field required` };
        const content = resultText(b.content);
        if (content === undefined) return { problem: `${at}.content: only text is served by the local endpoint` };
        // The tool's name is filled in from the call it answers (normalizeHistory).
        results.push({ role: 'tool', toolCallId: b.tool_use_id, content: b.is_error === true ? `Error: ${content}` : content });
        break;
      }
      // Reasoning from an earlier turn is the provider's to keep; another provider cannot take it back.
      case 'thinking':
      case 'redacted_thinking':
        break;
      default:
        return { problem: `${at}: only text, tool_use and tool_result blocks are served by the local endpoint (got "${kindOf(b?.type, block).slice(0, 40)}")` };
    }
  }
  const out: ChatMessage[] = [...results];
  const content = texts.join('');
  if (m.role === 'assistant') out.push(calls.length > 0 ? { role: 'assistant', content, toolCalls: calls } : { role: 'assistant', content });
  else if (content !== '' || results.length === 0) out.push({ role: 'user', content });
  return out;
}

function resultText(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return '';
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw)) return undefined;
  const texts: string[] = [];
  for (const block of raw) {
    const b = record(block);
    if (b?.type !== 'text' || typeof b.text !== 'string') return undefined;
    texts.push(b.text);
  }
  return texts.join('');
}

function readTools(raw: unknown): ChatTool[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return 'tools: must be an array';
  if (raw.length > LIMITS.tools) return `tools: at most ${String(LIMITS.tools)} are accepted`;
  const tools: ChatTool[] = [];
  for (const item of raw) {
    const tool = record(item);
    // Server tools (web search, code execution, ...) carry a versioned type and run at Anthropic: nothing else has them.
    if (!tool || (tool.type !== undefined && tool.type !== 'custom')) return `tools: only client tools are served by the local endpoint (got "${String(tool?.type).slice(0, 60)}")`;
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) return 'tools: a tool name must be 1 to 64 letters, digits, "_" or "-"';
    tools.push({ name: tool.name, ...(typeof tool.description === 'string' ? { description: tool.description } : {}), parameters: record(tool.input_schema) ?? { type: 'object', properties: {} } });
  }
  return tools;
}

const STOP: Record<FinishReason, string> = { stop: 'end_turn', length: 'max_tokens', 'tool-calls': 'tool_use', 'content-filter': 'refusal', other: 'end_turn' };

/** Anthropic counts cached prompt tokens apart from `input_tokens`; ours include them. */
export function anthropicUsage(usage: Usage): Json {
  return { input_tokens: usage.input - usage.cached, output_tokens: usage.output, cache_creation_input_tokens: 0, cache_read_input_tokens: usage.cached };
}

export interface SseEvent {
  readonly event: string;
  readonly data: Json;
}

/** Writes one answer as the events Anthropic streams: message_start, each block's start/deltas/stop, message_delta, message_stop. */
export class AnthropicEventWriter {
  private index = -1;
  private open: 'text' | undefined;

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  start(): SseEvent[] {
    const message = { id: this.id, type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } };
    return [{ event: 'message_start', data: { type: 'message_start', message } }];
  }

  text(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.open !== 'text') {
      this.index++;
      this.open = 'text';
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index: this.index, content_block: { type: 'text', text: '' } } });
    }
    events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index: this.index, delta: { type: 'text_delta', text } } });
    return events;
  }

  toolCall(call: ChatToolCall): SseEvent[] {
    const events = this.closeBlock();
    this.index++;
    events.push(
      { event: 'content_block_start', data: { type: 'content_block_start', index: this.index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: this.index, delta: { type: 'input_json_delta', partial_json: inputJson(call.arguments) } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: this.index } },
    );
    return events;
  }

  /** The end: the open block closed, the stop reason and the whole request's usage, then message_stop. */
  finish(reason: FinishReason, usage: Usage | undefined): SseEvent[] {
    const events = this.closeBlock();
    events.push(
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: STOP[reason], stop_sequence: null }, usage: anthropicUsage(usage ?? { input: 0, output: 0, cached: 0 }) } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    );
    return events;
  }

  private closeBlock(): SseEvent[] {
    if (this.open === undefined) return [];
    this.open = undefined;
    return [{ event: 'content_block_stop', data: { type: 'content_block_stop', index: this.index } }];
  }
}

/** Tool input is an object in Anthropic's format; arguments that are not one are kept under `value`. */
function inputJson(args: string): string {
  try {
    const value = JSON.parse(args) as unknown;
    return JSON.stringify(record(value) ?? { value });
  } catch {
    return JSON.stringify(args.trim() === '' ? {} : { value: args });
  }
}

/** The whole answer as one `message`. */
export function anthropicMessage(answer: { id: string; model: string; text: string; toolCalls: readonly ChatToolCall[]; finish: FinishReason; usage: Usage | undefined }): Json {
  const content: Json[] = [];
  if (answer.text !== '') content.push({ type: 'text', text: answer.text });
  for (const call of answer.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(inputJson(call.arguments)) as unknown });
  return {
    id: answer.id,
    type: 'message',
    role: 'assistant',
    model: answer.model,
    content,
    stop_reason: STOP[answer.finish],
    stop_sequence: null,
    usage: anthropicUsage(answer.usage ?? { input: 0, output: 0, cached: 0 }),
  };
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Anthropic's error body for a status. */
export function anthropicError(status: number, message: string): Json {
  return { type: 'error', error: { type: ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message } };
}

import type { ChatMessage, ChatTool, ChatToolCall, FinishReason, Usage } from '../providers';
import { boundedInt, chatRequest, boundedNumber, kindOf, LIMITS, record, refuse, TOOL_NAME, type Json, type WireParse } from './wireRequest';

/**
 * OpenAI's Chat Completions as the local endpoint speaks it to clients
 * (https://platform.openai.com/docs/api-reference/chat): the request read into a ChatRequest, the answer written back
 * as `chat.completion` or a stream of `chat.completion.chunk`s, errors as `{ error: { message, type, param, code } }`.
 */
export function parseOpenAIChat(body: unknown): WireParse {
  const root = record(body);
  if (!root) return refuse('The request body must be a JSON object.');
  if (typeof root.model !== 'string' || root.model === '') return refuse('Say which model to use: "model" is missing.', 'model');
  if (!Array.isArray(root.messages) || root.messages.length === 0) return refuse('"messages" must be a non-empty array.', 'messages');
  if (root.messages.length > LIMITS.messages) return refuse(`At most ${String(LIMITS.messages)} messages are accepted.`, 'messages');
  if (root.n !== undefined && root.n !== null && root.n !== 1) return refuse('Only one choice per request is served ("n" must be 1).', 'n');
  const messages: ChatMessage[] = [];
  for (const [index, raw] of root.messages.entries()) {
    const read = readMessage(raw, `messages[${String(index)}]`);
    if ('problem' in read) return refuse(read.problem, read.param);
    messages.push(read);
  }
  const tools = readTools(root.tools);
  if (typeof tools === 'string') return refuse(tools, 'tools');
  const maxTokens = boundedInt(root.max_completion_tokens ?? root.max_tokens, 1, LIMITS.maxTokens);
  if (maxTokens === false) return refuse(`"max_completion_tokens" must be a whole number from 1 to ${String(LIMITS.maxTokens)}.`, 'max_completion_tokens');
  const temperature = boundedNumber(root.temperature, 0, 2);
  if (temperature === false) return refuse('"temperature" must be a number from 0 to 2.', 'temperature');
  if (root.stream !== undefined && root.stream !== null && typeof root.stream !== 'boolean') return refuse('"stream" must be true or false.', 'stream');
  const stream = root.stream === true;
  return {
    ok: true,
    value: {
      model: root.model,
      stream,
      includeUsage: stream && record(root.stream_options)?.include_usage === true,
      request: chatRequest(messages, { stream, tools, maxTokens, temperature }),
    },
  };
}

/** What is wrong with one field of the request, and which. */
interface Problem {
  readonly problem: string;
  readonly param: string;
}

function readMessage(raw: unknown, param: string): ChatMessage | Problem {
  const m = record(raw);
  if (!m) return { problem: `${param} must be an object.`, param };
  const content = readContent(m.content, `${param}.content`);
  if (typeof content !== 'string') return content;
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content };
    case 'user':
      return { role: 'user', content };
    case 'assistant': {
      const calls = readToolCalls(m.tool_calls, `${param}.tool_calls`);
      if (!Array.isArray(calls)) return calls;
      return calls.length > 0 ? { role: 'assistant', content, toolCalls: calls } : { role: 'assistant', content };
    }
    case 'tool':
      if (typeof m.tool_call_id !== 'string' || m.tool_call_id === '') return { problem: `${param}.tool_call_id is missing: a tool message answers one call.`, param: `${param}.tool_call_id` };
      return { role: 'tool', content, toolCallId: m.tool_call_id };
    default:
      return { problem: `${param}.role must be system, developer, user, assistant or tool.`, param: `${param}.role` };
  }
}

function readContent(raw: unknown, param: string): string | Problem {
  if (raw === undefined || raw === null) return '';
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw)) return { problem: `${param} must be a string or an array of content parts.`, param };
  const texts: string[] = [];
  for (const part of raw) {
    const p = record(part);
    if (p?.type === 'text' && typeof p.text === 'string') texts.push(p.text);
    else if (p?.type === 'refusal' && typeof p.refusal === 'string') texts.push(p.refusal);
    else return { problem: `${param}: only text parts are served by the local endpoint (got "${kindOf(p?.type, part).slice(0, 40)}").`, param };
  }
  return texts.join('');
}

function readToolCalls(raw: unknown, param: string): ChatToolCall[] | Problem {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return { problem: `${param} must be an array.`, param };
  const calls: ChatToolCall[] = [];
  for (const item of raw) {
    const call = record(item);
    const fn = record(call?.function);
    if (!call || !fn || typeof fn.name !== 'string') return { problem: `${param}: each call needs function.name.`, param };
    calls.push({ id: typeof call.id === 'string' ? call.id : '', name: fn.name, arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}) });
  }
  return calls;
}

function readTools(raw: unknown): ChatTool[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return '"tools" must be an array.';
  if (raw.length > LIMITS.tools) return `At most ${String(LIMITS.tools)} tools are accepted.`;
  const tools: ChatTool[] = [];
  for (const item of raw) {
    const tool = record(item);
    const fn = record(tool?.function);
    if (tool?.type !== 'function' || !fn) return 'Only tools of type "function" are served.';
    if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) return 'A tool name must be 1 to 64 letters, digits, "_" or "-".';
    tools.push({
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      parameters: record(fn.parameters) ?? { type: 'object', properties: {} },
    });
  }
  return tools;
}

/** Stands for the content while a text chunk's frame is built. */
const TEXT_MARK = '\u0000mm-text\u0000';

const FINISH: Record<FinishReason, string> = { stop: 'stop', length: 'length', 'tool-calls': 'tool_calls', 'content-filter': 'content_filter', other: 'stop' };

export function openaiUsage(usage: Usage): Json {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cached },
    completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
  };
}

/** Writes one answer as `chat.completion.chunk`s: the role first, then each delta, the finish, and usage when asked. */
export class OpenAIChunkWriter {
  private toolIndex = 0;
  /** A text chunk's JSON around its content, built once: a stream writes hundreds of them. */
  private readonly textParts: readonly [string, string];

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly created: number,
  ) {
    // The content is the frame's last string: whatever the id or model hold, the last mark is the content's.
    const frame = JSON.stringify(this.text(TEXT_MARK));
    const mark = JSON.stringify(TEXT_MARK);
    const at = frame.lastIndexOf(mark);
    this.textParts = [frame.slice(0, at), frame.slice(at + mark.length)];
  }

  start(): Json {
    return this.chunk({ role: 'assistant', content: '' });
  }

  text(text: string): Json {
    return this.chunk({ content: text });
  }

  /** JSON.stringify(this.text(text)), with only the text serialised. */
  textJson(text: string): string {
    return this.textParts[0] + JSON.stringify(text) + this.textParts[1];
  }

  toolCall(call: ChatToolCall): Json {
    const index = this.toolIndex++;
    return this.chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] });
  }

  finish(reason: FinishReason): Json {
    return { ...this.head(), choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: FINISH[reason] }] };
  }

  /** The last chunk of a stream with `include_usage`: no choices, the whole request's usage. */
  usage(usage: Usage): Json {
    return { ...this.head(), choices: [], usage: openaiUsage(usage) };
  }

  private chunk(delta: Json): Json {
    return { ...this.head(), choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] };
  }

  private head(): Json {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, system_fingerprint: null };
  }
}

/** The whole answer as one `chat.completion`. */
export function openaiCompletion(answer: { id: string; model: string; created: number; text: string; toolCalls: readonly ChatToolCall[]; finish: FinishReason; usage: Usage | undefined }): Json {
  const message: Json = { role: 'assistant', content: answer.text === '' && answer.toolCalls.length > 0 ? null : answer.text, refusal: null };
  if (answer.toolCalls.length > 0) message.tool_calls = answer.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    system_fingerprint: null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[answer.finish] }],
    usage: openaiUsage(answer.usage ?? { input: 0, output: 0, cached: 0 }),
  };
}

/** OpenAI's error body; `type` and `code` as OpenAI uses them for the same status. */
export function openaiError(status: number, message: string, options: { param?: string; code?: string } = {}): Json {
  const type = status === 401 ? 'invalid_request_error' : status === 429 ? (options.code === 'insufficient_quota' ? 'insufficient_quota' : 'requests') : status >= 500 ? 'server_error' : 'invalid_request_error';
  const code = options.code ?? (status === 401 ? 'invalid_api_key' : status === 404 ? 'model_not_found' : status === 429 ? 'rate_limit_exceeded' : null);
  return { error: { message, type, param: options.param ?? null, code } };
}

/** `GET /v1/models`: the ids a client may ask for. */
export function openaiModelList(models: readonly { readonly id: string; readonly created: number }[]): Json {
  return { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created: m.created, owned_by: 'model-manager' })) };
}

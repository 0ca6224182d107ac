import { HttpError, parseJson, readSseChunks, type HttpClient } from '../http';
import { argumentsText, endpoint, list, num, record, retryOf, send, sendJson, str, tokenLimit, tokenFigure, finishReasonOf } from './call';
import { imagesChecked } from './images';
import { incompleteStream, type ErrorContext, type ProviderErrorInfo } from './errors';
import { gatewayErrorInfo } from './gatewayErrors';
import type { CallOptions, ChatEvent, ChatImage, ChatMessage, ChatRequest, ChatToolCall, FinishReason, ModelInfo, Usage } from './types';

/** The Chat Completions API as spoken by OpenAI and by every OpenAI-compatible server. */
export interface OpenAIChatSettings {
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly model: string;
  /** OpenAI renamed max_tokens for reasoning models; most compatible servers still want the old name. */
  readonly maxTokensField: 'max_completion_tokens' | 'max_tokens';
  readonly parameters: Readonly<Record<string, unknown>>;
}

export function openaiMessages(messages: readonly ChatMessage[]): unknown[] {
  return messages.map((m) => {
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
    if (m.role === 'assistant' && m.toolCalls?.length) {
      return {
        role: 'assistant',
        content: m.content === '' ? null : m.content,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      };
    }
    if (m.role === 'user' && m.images?.length) return { role: 'user', content: openaiImageContent(m.content, m.images) };
    return { role: m.role, content: m.content };
  });
}

/** A user turn with images: its text part, then one image_url part per image as a base64 data URL. */
function openaiImageContent(text: string, images: readonly ChatImage[]): unknown[] {
  return [...(text === '' ? [] : [{ type: 'text', text }]), ...images.map((image) => ({ type: 'image_url', image_url: { url: `data:${image.mimeType};base64,${image.data}` } }))];
}

export function openaiBody(settings: OpenAIChatSettings, request: ChatRequest, stream: boolean): Record<string, unknown> {
  return {
    ...settings.parameters,
    model: request.model ?? settings.model,
    messages: openaiMessages(request.messages),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { [settings.maxTokensField]: request.maxTokens }),
    ...(request.tools?.length
      ? { tools: request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) }
      : {}),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

/** OpenAI's `{"error":{"message","type","param","code"}}`; some compatible servers send a bare string. */
export function openaiErrorInfo(body: unknown): ProviderErrorInfo {
  const gateway = gatewayErrorInfo(body);
  if (gateway) return gateway;
  const error = record(body)?.error;
  const detail = record(error);
  if (!detail) return { message: str(error) ?? (typeof body === 'string' ? body : undefined) };
  const code = str(detail.code) ?? str(detail.type);
  const kind = code === 'model_not_found' ? 'unknown-model' : code === 'insufficient_quota' ? 'rate-limited' : undefined;
  return { code, message: str(detail.message), kind };
}

/** Error codes and types OpenAI and compatible servers use, by the HTTP status they stand for. */
const statusOfCode: Readonly<Record<string, number>> = {
  invalid_api_key: 401,
  authentication_error: 401,
  invalid_authentication: 401,
  unauthorized: 401,
  permission_denied: 403,
  permission_error: 403,
  model_not_found: 404,
  not_found_error: 404,
  rate_limit_exceeded: 429,
  rate_limit_error: 429,
  insufficient_quota: 429,
  tokens: 429,
  requests: 429,
  context_length_exceeded: 400,
  invalid_request_error: 400,
  string_above_max_length: 400,
  overloaded_error: 503,
  server_error: 500,
  api_error: 500,
};

/**
 * The status an error event sent inside a 200 stream stands for: by its code, then its type, then a numeric HTTP
 * code some servers (vLLM, LiteLLM) put there; a problem on the server's side only when nothing says otherwise.
 */
export function midStreamStatus(error: unknown): number {
  const detail = record(error);
  for (const name of [str(detail?.code), str(detail?.type)]) {
    const status = name === undefined ? undefined : statusOfCode[name.toLowerCase()];
    if (status !== undefined) return status;
  }
  const numeric = num(detail?.code) ?? num(detail?.status) ?? Number(str(detail?.code) ?? NaN);
  return Number.isInteger(numeric) && numeric >= 400 && numeric <= 599 ? numeric : 500;
}

export function openaiUsage(value: unknown): Usage | undefined {
  const usage = record(value);
  if (!usage) return undefined;
  const reasoning = tokenFigure(record(usage.completion_tokens_details)?.reasoning_tokens);
  return {
    input: tokenFigure(usage.prompt_tokens) ?? 0,
    output: tokenFigure(usage.completion_tokens) ?? 0,
    cached: tokenFigure(record(usage.prompt_tokens_details)?.cached_tokens) ?? 0,
    ...(reasoning === undefined ? {} : { reasoning }),
  };
}

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
};

function finish(reason: string): ChatEvent {
  return { type: 'finish', reason: finishReasonOf(finishReasons, reason), providerReason: reason };
}

/** Chat Completions, streamed or not; defineProvider maps what it throws to ProviderErrors. */
export function openaiChat(http: HttpClient, settings: OpenAIChatSettings, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncIterable<ChatEvent> {
  // An OpenAI-compatible server is held to OpenAI's image rules: the shape it claims to speak.
  return imagesChecked('openai', context.provider, request, () => (request.stream === false ? complete(http, settings, request, options, context) : stream(http, settings, request, options, context)));
}

async function* complete(http: HttpClient, settings: OpenAIChatSettings, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const body = record(await sendJson(http, { method: 'POST', url: endpoint(settings.baseUrl, '/chat/completions'), headers: settings.headers, json: openaiBody(settings, request, false), signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context));
  const choice = record(list(body?.choices)[0]);
  const message = record(choice?.message);
  const text = str(message?.content);
  if (text) yield { type: 'text', text };
  for (const raw of list(message?.tool_calls)) {
    const call = record(raw);
    const fn = record(call?.function);
    yield { type: 'tool-call', call: { id: str(call?.id) ?? '', name: str(fn?.name) ?? '', arguments: argumentsText(fn?.arguments) } };
  }
  const usage = openaiUsage(body?.usage);
  if (usage) yield { type: 'usage', usage };
  yield finish(str(choice?.finish_reason) ?? 'stop');
}

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

async function* stream(http: HttpClient, settings: OpenAIChatSettings, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const response = await send(http, { method: 'POST', url: endpoint(settings.baseUrl, '/chat/completions'), headers: settings.headers, json: openaiBody(settings, request, true), expect: 'sse', signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context);
  const calls = new Map<number, PartialCall>();
  let usage: Usage | undefined;
  let reason: string | undefined;
  let done = false;
  // Only an event that carries something resets the idle timeout: a stream of empty deltas produces nothing.
  const body = response.chunks();
  // The events of each read are taken in one synchronous loop: an async step per event would cost more than its parse.
  try {
    for await (const events of readSseChunks(body, response.limits.maxEventBytes)) {
      for (let event = events.next(); event !== undefined; event = events.next()) {
        // Read on to the end of the body after [DONE]: leaving it unread would cost the keep-alive connection.
        if (done) continue;
        if (event.data === '[DONE]') {
          done = true;
          body.progress();
          continue;
        }
        const chunk = record(parseJson(event.data, `An event of the ${context.provider} stream`));
        if (chunk?.error !== undefined) throw new HttpError('status', `${context.provider} reported an error mid-stream.`, { status: midStreamStatus(chunk.error), body: chunk });
        usage = openaiUsage(chunk?.usage) ?? usage;
        for (const rawChoice of list(chunk?.choices)) {
          const choice = record(rawChoice);
          const delta = record(choice?.delta);
          const text = str(delta?.content);
          const toolCalls = list(delta?.tool_calls);
          const finishReason = str(choice?.finish_reason);
          // DeepSeek, vLLM and others stream reasoning as reasoning_content; OpenRouter and Ollama's /v1 as reasoning.
          const reasoning = str(delta?.reasoning_content) ?? str(delta?.reasoning);
          // Empty strings, fragments without content and a repeated finish reason are not progress: an endless stream of them must time out.
          if (text || reasoning || (finishReason !== undefined && reason === undefined) || toolCalls.some(carriesContent)) body.progress();
          if (reasoning) yield { type: 'reasoning', text: reasoning };
          if (text) yield { type: 'text', text };
          for (const rawCall of toolCalls) collectCall(calls, record(rawCall));
          reason = finishReason ?? reason;
        }
      }
    }
  } catch (error) {
    // After [DONE] the answer is whole: a server that then stalls or misbehaves costs the connection, not the answer.
    if (!done || options.signal?.aborted) throw error;
  }
  if (!done && reason === undefined) throw incompleteStream(context.provider);
  for (const call of calls.values()) yield { type: 'tool-call', call: call satisfies ChatToolCall };
  if (usage) yield { type: 'usage', usage };
  yield finish(reason ?? 'stop');
}

/** Whether a tool call fragment adds anything: an id, a name or some of the arguments. */
function carriesContent(raw: unknown): boolean {
  const call = record(raw);
  const fn = record(call?.function);
  return [str(call?.id), str(fn?.name), str(fn?.arguments)].some((part) => part !== undefined && part !== '');
}

/** Tool calls arrive in pieces keyed by index: the id and name first, the arguments text spread over chunks. */
function collectCall(calls: Map<number, PartialCall>, raw: Record<string, unknown> | undefined): void {
  const index = num(raw?.index) ?? calls.size;
  const fn = record(raw?.function);
  const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
  call.id = str(raw?.id) ?? call.id;
  call.name = str(fn?.name) ?? call.name;
  call.arguments += str(fn?.arguments) ?? '';
  calls.set(index, call);
}

export async function openaiModels(http: HttpClient, baseUrl: string, headers: Readonly<Record<string, string>>, options: CallOptions, context: ErrorContext): Promise<readonly ModelInfo[]> {
  const body = record(await sendJson(http, { method: 'GET', url: endpoint(baseUrl, '/models'), headers, signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context));
  return list(body?.data).flatMap((raw) => {
    const model = record(raw);
    const id = str(model?.id);
    if (id === undefined) return [];
    const ownedBy = str(model?.owned_by);
    // Compatible servers add the context window under their own names: OpenRouter and Together context_length,
    // vLLM max_model_len, Groq context_window.
    const contextWindow = tokenLimit(model?.context_length) ?? tokenLimit(model?.max_model_len) ?? tokenLimit(model?.context_window);
    const outputModalities = list(record(model?.architecture)?.output_modalities).filter((m): m is string => typeof m === 'string');
    const inputModalities = list(record(model?.architecture)?.input_modalities).filter((m): m is string => typeof m === 'string');
    return [{
      id,
      ...(ownedBy === undefined ? {} : { ownedBy }),
      ...(contextWindow === undefined ? {} : { contextWindow }),
      ...(inputModalities.length > 0 ? { inputModalities } : {}),
      ...(outputModalities.length > 0 ? { outputModalities } : {}),
    }];
  });
}

import { HttpError, parseJson, readSse, type HttpClient } from '../http';
import { endpoint, list, num, record, retryOf, send, sendJson, str, tokenFigure, finishReasonOf } from './call';
import { incompleteStream, type ErrorContext } from './errors';
import { imagesChecked } from './images';
import { midStreamStatus } from './openaiProtocol';
import type { CallOptions, ChatEvent, ChatImage, ChatMessage, ChatRequest, FinishReason, Usage } from './types';

/** OpenAI's Responses API (POST /v1/responses): the one API some models (the codex and pro ones) are served on. */
export interface OpenAIResponsesSettings {
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly model: string;
  /** Already in the Responses API's names (reasoning, text, max_output_tokens, ...). */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** Messages as Responses input items: tool calls and their results are items of their own, not message fields. */
export function responsesInput(messages: readonly ChatMessage[]): unknown[] {
  const items: unknown[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      items.push({ type: 'function_call_output', call_id: m.toolCallId ?? '', output: m.content });
      continue;
    }
    if (m.role === 'user' && m.images?.length) items.push({ role: 'user', content: imageContent(m.content, m.images) });
    else if (m.content !== '' || !m.toolCalls?.length) items.push({ role: m.role, content: m.content });
    for (const call of m.toolCalls ?? []) items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
  }
  return items;
}

/** A user turn with images: its input_text part, then one input_image part per image as a base64 data URL (OpenAI SDK's ResponseInputImage). */
function imageContent(text: string, images: readonly ChatImage[]): unknown[] {
  return [...(text === '' ? [] : [{ type: 'input_text', text }]), ...images.map((image) => ({ type: 'input_image', image_url: `data:${image.mimeType};base64,${image.data}`, detail: 'auto' }))];
}

export function responsesBody(settings: OpenAIResponsesSettings, request: ChatRequest, stream: boolean): Record<string, unknown> {
  const instructions = request.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  return {
    ...settings.parameters,
    model: request.model ?? settings.model,
    ...(instructions === '' ? {} : { instructions }),
    input: responsesInput(request.messages),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { max_output_tokens: request.maxTokens }),
    ...(request.tools?.length ? { tools: request.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters, strict: false })) } : {}),
    // Nothing is kept on OpenAI's side: every turn sends its whole history, as with Chat Completions.
    store: false,
    stream,
  };
}

/** input_tokens counts cached ones too, output_tokens the reasoning ones: the same split as ours. */
export function responsesUsage(value: unknown): Usage | undefined {
  const usage = record(value);
  if (!usage) return undefined;
  const inputDetails = record(usage.input_tokens_details);
  const reasoning = tokenFigure(record(usage.output_tokens_details)?.reasoning_tokens);
  const cacheWrite = tokenFigure(inputDetails?.cache_write_tokens);
  return {
    input: tokenFigure(usage.input_tokens) ?? 0,
    output: tokenFigure(usage.output_tokens) ?? 0,
    cached: tokenFigure(inputDetails?.cached_tokens) ?? 0,
    ...(reasoning === undefined ? {} : { reasoning }),
    ...(cacheWrite ? { cacheWrite } : {}),
  };
}

const incompleteReasons: Record<string, FinishReason> = { max_output_tokens: 'length', content_filter: 'content-filter' };

/** A finished response's finish event: completed, or incomplete with the reason it stopped. */
function finishOf(response: Record<string, unknown> | undefined, calls: number): ChatEvent {
  const status = str(response?.status) ?? 'completed';
  if (status === 'incomplete') {
    const reason = str(record(response?.incomplete_details)?.reason) ?? 'incomplete';
    return { type: 'finish', reason: finishReasonOf(incompleteReasons, reason), providerReason: reason };
  }
  return { type: 'finish', reason: calls > 0 ? 'tool-calls' : status === 'completed' ? 'stop' : 'other', providerReason: status };
}

function failure(context: ErrorContext, error: unknown, body: unknown): HttpError {
  return new HttpError('status', `${context.provider} reported an error mid-stream.`, { status: midStreamStatus(error), body });
}

/** The events of one output item of a finished (non-streamed) response. */
function* itemEvents(item: Record<string, unknown> | undefined): Generator<ChatEvent> {
  if (item?.type === 'reasoning') {
    const summary = list(item.summary).map((part) => str(record(part)?.text) ?? '').filter((t) => t !== '');
    if (summary.length > 0) yield { type: 'reasoning', text: summary.join('\n\n') };
  } else if (item?.type === 'message') {
    for (const raw of list(item.content)) {
      const part = record(raw);
      const text = str(part?.text) ?? str(part?.refusal);
      if (text) yield { type: 'text', text };
    }
  } else if (item?.type === 'function_call') {
    yield { type: 'tool-call', call: { id: str(item.call_id) ?? '', name: str(item.name) ?? '', arguments: str(item.arguments) ?? '{}' } };
  }
}

async function* complete(http: HttpClient, settings: OpenAIResponsesSettings, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const response = record(await sendJson(http, { method: 'POST', url: endpoint(settings.baseUrl, '/responses'), headers: settings.headers, json: responsesBody(settings, request, false), signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context));
  if (str(response?.status) === 'failed') throw failure(context, response?.error, response);
  let calls = 0;
  for (const raw of list(response?.output)) {
    const item = record(raw);
    if (item?.type === 'function_call') calls++;
    yield* itemEvents(item);
  }
  const usage = responsesUsage(response?.usage);
  if (usage) yield { type: 'usage', usage };
  yield finishOf(response, calls);
}

const ANSWER_DELTAS = new Set(['response.output_text.delta', 'response.refusal.delta', 'response.reasoning_summary_text.delta', 'response.reasoning_text.delta', 'response.function_call_arguments.delta']);

async function* stream(http: HttpClient, settings: OpenAIResponsesSettings, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const response = await send(http, { method: 'POST', url: endpoint(settings.baseUrl, '/responses'), headers: settings.headers, json: responsesBody(settings, request, true), expect: 'sse', signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context);
  let calls = 0;
  let finished = false;
  const chunks = response.chunks();
  for await (const event of readSse(chunks, response.limits.maxEventBytes, false)) {
    // Read on to the end of the body after the final event, so that the connection stays in the pool.
    if (finished) continue;
    const data = record(parseJson(event.data, `An event of the ${context.provider} stream`));
    const type = str(data?.type) ?? event.event;
    const delta = str(data?.delta);
    // Only an event that carries something resets the idle timeout.
    if ((ANSWER_DELTAS.has(type) && delta) || type === 'response.output_item.done' || type.startsWith('response.completed') || type === 'response.incomplete') chunks.progress();
    switch (type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (delta) yield { type: 'text', text: delta };
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        if (delta) yield { type: 'reasoning', text: delta };
        break;
      case 'response.reasoning_summary_part.added':
        // Summary parts are paragraphs: a blank line between them.
        if ((num(data?.summary_index) ?? 0) > 0) yield { type: 'reasoning', text: '\n\n' };
        break;
      case 'response.output_item.done': {
        const item = record(data?.item);
        if (item?.type === 'function_call') {
          calls++;
          yield* itemEvents(item);
        }
        break;
      }
      case 'response.completed':
      case 'response.incomplete': {
        const final = record(data?.response);
        const usage = responsesUsage(final?.usage);
        if (usage) yield { type: 'usage', usage };
        yield finishOf(final, calls);
        finished = true;
        break;
      }
      case 'response.failed': {
        const error = record(data?.response)?.error;
        throw failure(context, error, { error });
      }
      case 'error':
        throw failure(context, data, { error: data });
      default:
        // A proxy's bare `{"error": …}` event, as Chat Completions servers send mid-stream.
        if (data?.error !== undefined && data.error !== null) throw failure(context, data.error, data);
    }
  }
  if (!finished) throw incompleteStream(context.provider);
}

/** The Responses API, streamed or not; defineProvider maps what it throws to ProviderErrors. */
export function openaiResponses(http: HttpClient, settings: OpenAIResponsesSettings, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncIterable<ChatEvent> {
  return imagesChecked('openai', context.provider, request, () => (request.stream === false ? complete(http, settings, request, options, context) : stream(http, settings, request, options, context)));
}

/** OpenAI's answer when a model is served only on the Responses API ("… only supported in v1/responses …"). */
export function needsResponses(error: unknown): boolean {
  const e = error as { status?: unknown; providerMessage?: unknown; message?: unknown } | undefined;
  const text = `${typeof e?.providerMessage === 'string' ? e.providerMessage : ''} ${typeof e?.message === 'string' ? e.message : ''}`;
  return (e?.status === 400 || e?.status === 404) && /v1\/responses/i.test(text);
}

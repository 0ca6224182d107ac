import * as z from 'zod/mini';
import { HttpError, readNdjson } from '../http';
import { argumentsText, endpoint, list, num, record, retryOf, send, sendJson, str, tokenLimit, tokenFigure, finishReasonOf } from './call';
import { defineProvider } from './defineProvider';
import { imagesChecked } from './images';
import { incompleteStream, type ErrorContext, type ProviderErrorInfo } from './errors';
import { baseUrl, modelId, priceFields, range, stopSequences, tokenCount } from './fields';
import type { AIProvider, CallOptions, ChatEvent, ChatRequest, FinishReason, ModelInfo, OllamaModelDetails, ProviderDeps, ProviderTarget, PullProgress, Usage } from './types';

export const OllamaConfig = z.strictObject({
  baseUrl: baseUrl('http://127.0.0.1:11434'),
  model: modelId(),
  temperature: range(0, 2),
  topP: range(0, 1),
  topK: tokenCount(),
  /** Context window to load the model with (Ollama's num_ctx). */
  numCtx: tokenCount(),
  /** Most tokens to generate (Ollama's num_predict). */
  numPredict: tokenCount(),
  /** How strongly repeated tokens are penalised (Ollama's repeat_penalty): 1 is none, above 1 penalises. */
  repeatPenalty: range(0, 2),
  /** The same seed with the same prompt and settings gives the same answer (Ollama's seed). */
  seed: z.optional(z.int({ error: 'must be a whole number from 0 to 4294967295' }).check(z.gte(0, 'must be at least 0'), z.lte(4_294_967_295, 'must be at most 4294967295'))),
  /** How long the model stays loaded after a request, e.g. "5m" or "1h". */
  keepAlive: z.optional(z.string().check(z.regex(/^-?\d+(\.\d+)?(ms|s|m|h)?$/, 'must be a duration such as 5m, 1h or 0'))),
  /** think: true or false, or a level for the models that take one (gpt-oss: low, medium, high); /api/show lists them. */
  think: z.optional(z.enum(['true', 'false', 'low', 'medium', 'high'], { error: 'must be true, false, low, medium or high' })),
  /** format: "json", or a JSON Schema (as JSON text) the answer must follow. */
  format: z.optional(
    z.string().check(
      z.refine((value) => {
        if (value === 'json') return true;
        try {
          const parsed = JSON.parse(value) as unknown;
          return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        } catch {
          return false;
        }
      }, 'must be json or a JSON Schema object such as {"type":"object",…}'),
    ),
  ),
  /** options.stop. */
  stop: stopSequences(),
  ...priceFields,
});
export type OllamaConfig = z.infer<typeof OllamaConfig>;

type Target = ProviderTarget<OllamaConfig>;

function headers(target: Target): Record<string, string> {
  // A plain local Ollama needs no key; one behind a proxy or Ollama's cloud takes a bearer token.
  return target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
}

/** Ollama answers errors as `{"error":"model \"x\" not found, try pulling it first"}`. */
export function ollamaErrorInfo(body: unknown): ProviderErrorInfo {
  const message = str(record(body)?.error) ?? (typeof body === 'string' ? body : undefined);
  if (message && /model .* not found/i.test(message)) return { code: 'model_not_found', message, kind: 'unknown-model' };
  return { message };
}

function toolArguments(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

function body(target: Target, request: ChatRequest, stream: boolean): Record<string, unknown> {
  const c = target.config;
  const options = {
    ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
    ...(c.topP === undefined ? {} : { top_p: c.topP }),
    ...(c.topK === undefined ? {} : { top_k: c.topK }),
    ...(c.numCtx === undefined ? {} : { num_ctx: c.numCtx }),
    ...(c.numPredict === undefined ? {} : { num_predict: c.numPredict }),
    ...(c.repeatPenalty === undefined ? {} : { repeat_penalty: c.repeatPenalty }),
    ...(c.seed === undefined ? {} : { seed: c.seed }),
    ...(c.stop?.length ? { stop: c.stop } : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { num_predict: request.maxTokens }),
  };
  // Ollama matches a result to its call by tool_name; a result from an OpenAI history has only the call's id.
  const names = new Map<string, string>();
  for (const m of request.messages) for (const call of m.toolCalls ?? []) names.set(call.id, call.name);
  return {
    model: request.model ?? c.model,
    messages: request.messages.map((m) => {
      const toolName = m.role === 'tool' ? (m.toolName ?? names.get(m.toolCallId ?? '')) : undefined;
      return {
        role: m.role,
        content: m.content,
        // Ollama takes a message's images as base64 strings beside its content (docs/api.md, "Chat request (with images)").
        ...(m.role === 'user' && m.images?.length ? { images: m.images.map((image) => image.data) } : {}),
        ...(m.toolCalls?.length ? { tool_calls: m.toolCalls.map((call) => ({ ...(call.id === '' ? {} : { id: call.id }), function: { name: call.name, arguments: toolArguments(call.arguments) } })) } : {}),
        ...(toolName ? { tool_name: toolName } : {}),
      };
    }),
    stream,
    ...(Object.keys(options).length ? { options } : {}),
    ...(c.keepAlive === undefined ? {} : { keep_alive: c.keepAlive }),
    ...(c.think === undefined ? {} : { think: c.think === 'true' ? true : c.think === 'false' ? false : c.think }),
    ...(c.format === undefined ? {} : { format: c.format === 'json' ? 'json' : (JSON.parse(c.format) as unknown) }),
    ...(request.tools?.length ? { tools: request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
  };
}

export function ollamaUsage(chunk: Record<string, unknown> | undefined): Usage {
  // Ollama reports no prompt cache hits in its counts.
  return { input: tokenFigure(chunk?.prompt_eval_count) ?? 0, output: tokenFigure(chunk?.eval_count) ?? 0, cached: 0 };
}

const finishReasons: Record<string, FinishReason> = { stop: 'stop', length: 'length' };

/** The events of one /api/chat object; a final object (`done: true`) adds usage and finish. */
function* eventsOf(chunk: Record<string, unknown> | undefined, calls: { count: number }): Generator<ChatEvent, boolean> {
  if (chunk?.error !== undefined) throw new HttpError('status', 'Ollama reported an error mid-stream.', { status: 500, body: chunk });
  const message = record(chunk?.message);
  const thinking = str(message?.thinking);
  if (thinking) yield { type: 'reasoning', text: thinking };
  const text = str(message?.content);
  if (text) yield { type: 'text', text };
  for (const raw of list(message?.tool_calls)) {
    const fn = record(record(raw)?.function);
    calls.count++;
    yield { type: 'tool-call', call: { id: str(record(raw)?.id) ?? `call_${String(calls.count)}`, name: str(fn?.name) ?? '', arguments: argumentsText(fn?.arguments) } };
  }
  if (chunk?.done !== true) return false;
  yield { type: 'usage', usage: ollamaUsage(chunk) };
  const reason = str(chunk.done_reason) ?? 'stop';
  yield { type: 'finish', reason: calls.count > 0 && reason === 'stop' ? 'tool-calls' : finishReasonOf(finishReasons, reason), providerReason: reason };
  return true;
}

/** Text, thinking or tool calls in the message, an error, or the end. */
function carriesContent(chunk: Record<string, unknown> | undefined): boolean {
  const message = record(chunk?.message);
  const some = (value: unknown): boolean => typeof value === 'string' && value !== '';
  return chunk?.done === true || chunk?.error !== undefined || some(message?.content) || some(message?.thinking) || list(message?.tool_calls).length > 0;
}

async function* chat(deps: ProviderDeps, target: Target, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const streamed = request.stream !== false;
  const response = await send(deps.http, { method: 'POST', url: endpoint(target.config.baseUrl, '/api/chat'), headers: headers(target), json: body(target, request, streamed), expect: 'ndjson', signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context);
  const calls = { count: 0 };
  let done = false;
  // Only a line that carries something resets the idle timeout: a stream of empty messages produces nothing.
  const chunks = response.chunks();
  for await (const chunk of readNdjson(chunks, response.limits.maxEventBytes, false)) {
    if (carriesContent(record(chunk))) chunks.progress();
    // Read on to the end of the body after the final object, so that the connection stays in the pool.
    if (!done) done = yield* eventsOf(record(chunk), calls);
  }
  if (!done) throw incompleteStream('Ollama');
}

function details(show: Record<string, unknown> | undefined): OllamaModelDetails {
  const info = record(show?.model_info) ?? {};
  // The context length key is named after the architecture: llama.context_length, gemma3.context_length, ...
  const architecture = str(info['general.architecture']);
  const contextKey = architecture ? `${architecture}.context_length` : Object.keys(info).find((k) => k.endsWith('.context_length'));
  const d = record(show?.details);
  return {
    contextLength: contextKey === undefined ? undefined : tokenLimit(info[contextKey]),
    family: str(d?.family),
    parameterSize: str(d?.parameter_size),
    quantization: str(d?.quantization_level),
    capabilities: list(show?.capabilities).filter((c): c is string => typeof c === 'string'),
    license: str(show?.license),
    modifiedAt: str(show?.modified_at),
  };
}

async function show(deps: ProviderDeps, target: Target, model: string, options: CallOptions, context: ErrorContext): Promise<OllamaModelDetails> {
  return details(record(await sendJson(deps.http, { method: 'POST', url: endpoint(target.config.baseUrl, '/api/show'), headers: headers(target), json: { model }, signal: options.signal, retry: retryOf(options) }, context)));
}

async function listAll(deps: ProviderDeps, target: Target, options: CallOptions & { details?: boolean }, context: ErrorContext): Promise<readonly ModelInfo[]> {
  const tags = record(await sendJson(deps.http, { method: 'GET', url: endpoint(target.config.baseUrl, '/api/tags'), headers: headers(target), signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context));
  const installed = list(tags?.models).flatMap((m) => {
    const id = str(record(m)?.name) ?? str(record(m)?.model);
    const size = num(record(m)?.size);
    return id === undefined ? [] : [{ id, ...(size === undefined ? {} : { sizeBytes: size }) }];
  });
  if (options.details === false) return installed.map(({ id }) => ({ id }));
  return Promise.all(
    installed.map(async ({ id, ...size }) => {
      // A model whose details cannot be read is still listed, without its context length.
      const found = await show(deps, target, id, options, context).then((d) => d, () => undefined);
      const contextWindow = found?.contextLength;
      const capabilities = found?.capabilities ?? [];
      return { id, ...size, ...(contextWindow === undefined ? {} : { contextWindow }), ...(capabilities.length > 0 ? { capabilities } : {}) };
    }),
  );
}

async function* pull(deps: ProviderDeps, target: Target, model: string, options: CallOptions, context: ErrorContext): AsyncGenerator<PullProgress> {
  const response = await send(deps.http, { method: 'POST', url: endpoint(target.config.baseUrl, '/api/pull'), headers: headers(target), json: { model, stream: true }, expect: 'ndjson', signal: options.signal, retry: retryOf(options) }, context);
  const layers = new Map<string, { completed: number; total: number }>();
  let succeeded = false;
  for await (const raw of readNdjson(response.chunks(), response.limits.maxEventBytes)) {
    const line = record(raw);
    if (line?.error !== undefined) throw new HttpError('status', 'Ollama could not pull the model.', { status: 500, body: line });
    const status = str(line?.status) ?? '';
    const digest = str(line?.digest);
    const total = num(line?.total);
    if (digest && total !== undefined) layers.set(digest, { total, completed: num(line?.completed) ?? 0 });
    let completed = 0;
    let sum = 0;
    for (const layer of layers.values()) {
      completed += layer.completed;
      sum += layer.total;
    }
    if (succeeded) continue;
    yield { status, completed, total: sum };
    succeeded = status === 'success';
  }
  if (!succeeded) throw incompleteStream('Ollama');
}

export function createProvider(given: ProviderDeps): AIProvider<OllamaConfig> {
  // At most 30 s whatever the setting says: models pulled or removed with the ollama CLI show up without a refresh.
  const deps: ProviderDeps = { ...given, modelsTtlMs: Math.min(given.modelsTtlMs ?? 30_000, 30_000) };
  return defineProvider(deps, {
    id: 'ollama',
    displayName: 'Ollama',
    configSchema: OllamaConfig,
    apiKey: 'optional',
    errorName: 'Ollama',
    extract: ollamaErrorInfo,
    // Models come and go with pulls on the same machine: a short freshness.
    modelsTtlMs: 30_000,
    listDetails: true,
    listModels: (target, options, context) => listAll(deps, target, options, context),
    chat: (target, request, options, context) => imagesChecked('ollama', context.provider, request, () => chat(deps, target, request, options, context)),
    pullModel: (target, model, options, context) => pull(deps, target, model, options, context),
    deleteModel: async (target, model, options, context) => {
      const response = await send(deps.http, { method: 'DELETE', url: endpoint(target.config.baseUrl, '/api/delete'), headers: headers(target), json: { model }, expect: 'none', signal: options.signal, retry: retryOf(options) }, context);
      // Drained so the socket returns to the pool.
      await response.json().catch(() => undefined);
    },
    showModel: (target, model, options, context) => show(deps, target, model, options, context),
  });
}

import * as z from 'zod/mini';
import { HttpError, parseJson, readSse } from '../http';
import { argumentsText, endpoint, list, num, record, retryOf, send, sendJson, str, tokenLimit, tokenFigure, finishReasonOf } from './call';
import { defineProvider } from './defineProvider';
import { imagesChecked } from './images';
import { incompleteStream, type ErrorContext, type ProviderErrorInfo } from './errors';
import { baseUrl, modelId, priceFields, range, tokenCount } from './fields';
import { geminiOptionFields, geminiOptionRules, geminiGenerationOptions } from './geminiOptions';
import { SignedParts, signaturesOf } from './geminiSignatures';
import type { Logger } from '../logger';
import type { AIProvider, CallOptions, ChatEvent, ChatRequest, FinishReason, ModelInfo, ProviderDeps, ProviderTarget, Usage } from './types';

/** The harm categories and block thresholds https://ai.google.dev/gemini-api/docs/safety-settings documents. */
export const geminiHarmCategories = [
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_CIVIC_INTEGRITY',
] as const;
export const geminiBlockThresholds = ['BLOCK_NONE', 'BLOCK_ONLY_HIGH', 'BLOCK_MEDIUM_AND_ABOVE', 'BLOCK_LOW_AND_ABOVE', 'OFF'] as const;

const SafetySetting = z.strictObject({ category: z.enum(geminiHarmCategories), threshold: z.enum(geminiBlockThresholds) });

export const GeminiConfig = z.strictObject({
  baseUrl: baseUrl('https://generativelanguage.googleapis.com/v1beta'),
  /** A model id as models.list names it, without the "models/" prefix (e.g. gemini-2.5-flash). */
  model: z.pipe(modelId(), z.transform((id: string) => id.replace(/^models\//, ''))),
  temperature: range(0, 2),
  topP: range(0, 1),
  topK: tokenCount(),
  maxOutputTokens: tokenCount(),
  /** One threshold per category; a category left out keeps Gemini's default. */
  safetySettings: z.optional(z.array(SafetySetting).check(z.maxLength(geminiHarmCategories.length))),
  ...geminiOptionFields,
  ...priceFields,
}).check(...geminiOptionRules);
export type GeminiConfig = z.infer<typeof GeminiConfig>;

type Target = ProviderTarget<GeminiConfig>;

const maxPages = 50;

function headers(target: Target): Record<string, string> {
  // The key goes in a header, never in the URL where proxies and logs would keep it.
  return { 'x-goog-api-key': target.apiKey ?? '' };
}

/** Google's `{"error":{"code","message","status","details":[...]}}`. */
export function geminiErrorInfo(body: unknown): ProviderErrorInfo {
  const error = record(record(Array.isArray(body) ? body[0] : body)?.error);
  if (!error) return { message: typeof body === 'string' ? body : undefined };
  const message = str(error.message);
  const reason = list(error.details).map((d) => str(record(d)?.reason)).find((r) => r !== undefined);
  const status = str(error.status);
  if (reason === 'API_KEY_INVALID') return { code: reason, message, kind: 'auth' };
  if (status === 'NOT_FOUND' && message?.includes('models/')) return { code: status, message, kind: 'unknown-model' };
  return { code: reason ?? status, message };
}

/** google.rpc.RetryInfo's retryDelay ("34.4s") in milliseconds. */
export function geminiRetryDelay(body: unknown): number | undefined {
  const details = list(record(record(body)?.error)?.details);
  for (const detail of details) {
    const delay = str(record(detail)?.retryDelay);
    const match = delay === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(delay);
    if (match?.[1] !== undefined) return Math.ceil(Number(match[1]) * 1000);
  }
  return undefined;
}

function toolResponse(content: string): unknown {
  try {
    const parsed = JSON.parse(content) as unknown;
    return record(parsed) ?? { result: parsed };
  } catch {
    return { result: content };
  }
}

/**
 * Gemini 2.5+ gives each functionCall an `id` and matches functionResponses by it: ids are kept both ways. The
 * responses to one turn's parallel calls go together in one user content; a result without a tool name (an OpenAI
 * history) takes its call's name.
 */
function contentsOf(request: ChatRequest, model: string, logger?: Logger): unknown[] {
  const signatures = signaturesOf(request, model, logger);
  const names = new Map<string, string>();
  for (const m of request.messages) for (const call of m.toolCalls ?? []) names.set(call.id, call.name);
  const contents: { role: string; parts: unknown[] }[] = [];
  let responses: unknown[] | undefined;
  for (const m of request.messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      const id = m.toolCallId ?? '';
      const part = { functionResponse: { ...(id === '' ? {} : { id }), name: m.toolName ?? names.get(id) ?? '', response: toolResponse(m.content) } };
      if (responses) responses.push(part);
      else {
        responses = [part];
        contents.push({ role: 'user', parts: responses });
      }
      continue;
    }
    responses = undefined;
    const signed = m.role === 'assistant' ? signatures(m) : undefined;
    const calls = (m.toolCalls ?? []).map((call, index) => {
      const thoughtSignature = signed?.call(call.id, index);
      return { functionCall: { ...(call.id === '' ? {} : { id: call.id }), name: call.name, args: toolResponse(call.arguments) }, ...(thoughtSignature === undefined ? {} : { thoughtSignature }) };
    });
    const images = (m.role === 'user' ? (m.images ?? []) : []).map((image) => ({ inlineData: { mimeType: image.mimeType, data: image.data } }));
    const text = m.content === '' ? [] : [{ text: m.content, ...(signed?.text === undefined ? {} : { thoughtSignature: signed.text }) }];
    contents.push({ role: m.role === 'assistant' ? 'model' : 'user', parts: [...text, ...images, ...calls] });
  }
  return contents;
}

function body(target: Target, request: ChatRequest, logger?: Logger): Record<string, unknown> {
  const c = target.config;
  const system = request.messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content }));
  const contents = contentsOf(request, request.model ?? c.model, logger);
  const generationConfig = {
    ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
    ...(c.topP === undefined ? {} : { topP: c.topP }),
    ...(c.topK === undefined ? {} : { topK: c.topK }),
    ...(c.maxOutputTokens === undefined ? {} : { maxOutputTokens: c.maxOutputTokens }),
    ...geminiGenerationOptions(c),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { maxOutputTokens: request.maxTokens }),
  };
  return {
    contents,
    ...(system.length ? { systemInstruction: { parts: system } } : {}),
    ...(Object.keys(generationConfig).length ? { generationConfig } : {}),
    ...(c.safetySettings?.length ? { safetySettings: c.safetySettings } : {}),
    ...(request.tools?.length ? { tools: [{ functionDeclarations: request.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })) }] } : {}),
  };
}

export function geminiUsage(value: unknown): Usage | undefined {
  const usage = record(value);
  if (!usage) return undefined;
  const reasoning = tokenFigure(usage.thoughtsTokenCount);
  return {
    input: (tokenFigure(usage.promptTokenCount) ?? 0) + (tokenFigure(usage.toolUsePromptTokenCount) ?? 0),
    // Thinking tokens are billed as output, and candidatesTokenCount leaves them out.
    output: (tokenFigure(usage.candidatesTokenCount) ?? 0) + (reasoning ?? 0),
    cached: tokenFigure(usage.cachedContentTokenCount) ?? 0,
    ...(reasoning === undefined ? {} : { reasoning }),
  };
}

const finishReasons: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content-filter',
  RECITATION: 'content-filter',
  BLOCKLIST: 'content-filter',
  PROHIBITED_CONTENT: 'content-filter',
  SPII: 'content-filter',
  IMAGE_SAFETY: 'content-filter',
};

/** The events one GenerateContentResponse carries; returns its finish reason if it has one. */
function* partsOf(response: Record<string, unknown> | undefined, calls: { count: number; readonly signed: SignedParts }): Generator<ChatEvent, string | undefined> {
  const candidate = record(list(response?.candidates)[0]);
  for (const raw of list(record(candidate?.content)?.parts)) {
    const part = record(raw);
    const text = str(part?.text);
    // includeThoughts: the thought summaries arrive as parts marked thought.
    if (text) yield part?.thought === true ? { type: 'reasoning', text } : { type: 'text', text };
    const call = record(part?.functionCall);
    if (call) {
      calls.count++;
      const id = str(call.id) ?? `call_${String(calls.count)}`;
      calls.signed.add(part, id);
      yield { type: 'tool-call', call: { id, name: str(call.name) ?? '', arguments: argumentsText(call.args) } };
    } else if (part?.thought !== true) {
      calls.signed.add(part, undefined);
    }
  }
  const blocked = str(record(response?.promptFeedback)?.blockReason);
  return str(candidate?.finishReason) ?? (blocked === undefined ? undefined : 'SAFETY');
}

/** Text (thoughts too), a function call, a finish or block reason, or an error. */
function carriesContent(chunk: Record<string, unknown> | undefined): boolean {
  if (chunk?.error !== undefined || record(chunk?.promptFeedback)?.blockReason !== undefined) return true;
  const candidate = record(list(chunk?.candidates)[0]);
  if (str(candidate?.finishReason) !== undefined) return true;
  return list(record(candidate?.content)?.parts).some((raw) => {
    const part = record(raw);
    const text = str(part?.text);
    return (text !== undefined && text !== '') || part?.functionCall !== undefined;
  });
}

function finish(reason: string, calls: number): ChatEvent {
  return { type: 'finish', reason: calls > 0 && reason === 'STOP' ? 'tool-calls' : finishReasonOf(finishReasons, reason), providerReason: reason };
}

async function* complete(deps: ProviderDeps, target: Target, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const url = endpoint(target.config.baseUrl, `/models/${encodeURIComponent(request.model ?? target.config.model)}:generateContent`);
  const response = record(await sendJson(deps.http, { method: 'POST', url, headers: headers(target), json: body(target, request, deps.logger), signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders, retryAfterFromBody: geminiRetryDelay }, context));
  const calls = { count: 0, signed: new SignedParts() };
  const reason = yield* partsOf(response, calls);
  const replay = calls.signed.replay();
  if (replay) yield { type: 'replay', replay };
  const usage = geminiUsage(response?.usageMetadata);
  if (usage) yield { type: 'usage', usage };
  yield finish(reason ?? 'STOP', calls.count);
}

async function* stream(deps: ProviderDeps, target: Target, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const url = endpoint(target.config.baseUrl, `/models/${encodeURIComponent(request.model ?? target.config.model)}:streamGenerateContent?alt=sse`);
  const response = await send(deps.http, { method: 'POST', url, headers: headers(target), json: body(target, request, deps.logger), expect: 'sse', signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders, retryAfterFromBody: geminiRetryDelay }, context);
  const calls = { count: 0, signed: new SignedParts() };
  let reason: string | undefined;
  let usage: Usage | undefined;
  // Only an event that carries something resets the idle timeout: a stream of empty candidates produces nothing.
  const chunks = response.chunks();
  for await (const event of readSse(chunks, response.limits.maxEventBytes, false)) {
    const chunk = record(parseJson(event.data, 'An event of the Gemini stream'));
    if (carriesContent(chunk)) chunks.progress();
    if (chunk?.error !== undefined) throw new HttpError('status', 'Gemini reported an error mid-stream.', { status: num(record(chunk.error)?.code) ?? 500, body: chunk });
    reason = (yield* partsOf(chunk, calls)) ?? reason;
    // Every chunk repeats the running totals; the last one is the answer's.
    usage = geminiUsage(chunk?.usageMetadata) ?? usage;
  }
  if (reason === undefined) throw incompleteStream('Gemini');
  const replay = calls.signed.replay();
  if (replay) yield { type: 'replay', replay };
  if (usage) yield { type: 'usage', usage };
  yield finish(reason, calls.count);
}

async function listAll(deps: ProviderDeps, target: Target, options: CallOptions, context: ErrorContext): Promise<readonly ModelInfo[]> {
  const models: ModelInfo[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const url = endpoint(target.config.baseUrl, '/models');
    url.searchParams.set('pageSize', '1000');
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    const response = record(await sendJson(deps.http, { method: 'GET', url, headers: headers(target), signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders, retryAfterFromBody: geminiRetryDelay }, context));
    for (const raw of list(response?.models)) {
      const model = record(raw);
      const name = str(model?.name);
      if (!name || !list(model?.supportedGenerationMethods).includes('generateContent')) continue;
      const displayName = str(model?.displayName);
      const contextWindow = tokenLimit(model?.inputTokenLimit);
      const maxOutputTokens = tokenLimit(model?.outputTokenLimit);
      models.push({
        id: name.replace(/^models\//, ''),
        ...(displayName === undefined ? {} : { displayName }),
        ...(contextWindow === undefined ? {} : { contextWindow }),
        ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
      });
    }
    pageToken = str(response?.nextPageToken);
    if (!pageToken) return models;
  }
  return models;
}

export function createProvider(deps: ProviderDeps): AIProvider<GeminiConfig> {
  return defineProvider(deps, {
    id: 'gemini',
    displayName: 'Google Gemini',
    configSchema: GeminiConfig,
    apiKey: 'required',
    errorName: 'Gemini',
    extract: geminiErrorInfo,
    listModels: (target, options, context) => listAll(deps, target, options, context),
    chat: (target, request, options, context) => imagesChecked('gemini', context.provider, request, () => (request.stream === false ? complete(deps, target, request, options, context) : stream(deps, target, request, options, context))),
    countTokens: async (target, request, options, context) => {
      const model = request.model ?? target.config.model;
      // countTokens takes the prompt only; generation settings do not change the count.
      const { contents, systemInstruction, tools } = body(target, request);
      const content = { contents, ...(systemInstruction === undefined ? {} : { systemInstruction }), ...(tools === undefined ? {} : { tools }) };
      const url = endpoint(target.config.baseUrl, `/models/${encodeURIComponent(model)}:countTokens`);
      const json = { generateContentRequest: { model: `models/${model}`, ...content } };
      const response = record(await sendJson(deps.http, { method: 'POST', url, headers: headers(target), json, signal: options.signal, retry: retryOf(options) }, context));
      return tokenFigure(response?.totalTokens) ?? 0;
    },
  });
}

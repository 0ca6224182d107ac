import * as z from 'zod/mini';
import { HttpError, parseJson, readSse } from '../http';
import { argumentsText, endpoint, list, num, record, retryOf, send, sendJson, str, tokenLimit, tokenFigure, finishReasonOf } from './call';
import { defineProvider } from './defineProvider';
import { imagesChecked } from './images';
import { incompleteStream, type ErrorContext, type ProviderErrorInfo } from './errors';
import { baseUrl, modelId, priceFields, range, tokenCount } from './fields';
import { worthCaching, withCacheBreakpoints } from './anthropicCache';
import { anthropicOptionBody, anthropicOptionFields, anthropicOptionRules, thinkingMode } from './anthropicOptions';
import { ThinkingBlocks, replayedBlocks, thinkingOfContent, unthoughtToolTurn } from './anthropicThinking';
import type { Logger } from '../logger';
import type { AIProvider, CallOptions, ChatEvent, ChatRequest, FinishReason, ModelInfo, ProviderDeps, ProviderTarget, Usage } from './types';

export const AnthropicConfig = z.strictObject({
  baseUrl: baseUrl('https://api.anthropic.com'),
  model: modelId(),
  /** The Messages API requires max_tokens on every request. */
  maxTokens: z._default(z.int({ error: 'must be a whole number of tokens' }).check(z.gte(1, 'must be at least 1 token')), 8192),
  temperature: range(0, 1),
  topP: range(0, 1),
  topK: tokenCount(),
  anthropicVersion: z._default(z.string(), '2023-06-01'),
  ...anthropicOptionFields,
  ...priceFields,
}).check(...anthropicOptionRules);
export type AnthropicConfig = z.infer<typeof AnthropicConfig>;

type Target = ProviderTarget<AnthropicConfig>;

const maxPages = 20;

function headers(target: Target): Record<string, string> {
  return { 'x-api-key': target.apiKey ?? '', 'anthropic-version': target.config.anthropicVersion };
}

/** `{"type":"error","error":{"type":"not_found_error","message":"model: ..."}}`. */
export function anthropicErrorInfo(body: unknown): ProviderErrorInfo {
  const error = record(record(body)?.error);
  if (!error) return { message: typeof body === 'string' ? body : undefined };
  const code = str(error.type);
  const message = str(error.message);
  if (code === 'not_found_error' && message?.startsWith('model:')) return { code, message, kind: 'unknown-model' };
  if (code === 'overloaded_error') return { code, message, kind: 'server' };
  return { code, message };
}

function inputOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

/** Anthropic wants every result of one assistant turn's parallel tool calls in a single user turn, in order. */
function messages(request: ChatRequest): unknown[] {
  const turns: { role: string; content: unknown }[] = [];
  let results: unknown[] | undefined;
  for (const m of request.messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      const block = { type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content };
      if (results) results.push(block);
      else {
        results = [block];
        turns.push({ role: 'user', content: results });
      }
      continue;
    }
    results = undefined;
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const text = m.content === '' ? [] : [{ type: 'text', text: m.content }];
      turns.push({ role: 'assistant', content: [...replayedBlocks(m), ...text, ...m.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: inputOf(c.arguments) }))] });
      continue;
    }
    if (m.role === 'assistant' && replayedBlocks(m).length > 0) {
      turns.push({ role: 'assistant', content: [...replayedBlocks(m), ...(m.content === '' ? [] : [{ type: 'text', text: m.content }])] });
      continue;
    }
    if (m.role === 'user' && m.images?.length) {
      // Images before the text, as Anthropic's vision guide recommends.
      const images = m.images.map((image) => ({ type: 'image', source: { type: 'base64', media_type: image.mimeType, data: image.data } }));
      turns.push({ role: 'user', content: [...images, ...(m.content === '' ? [] : [{ type: 'text', text: m.content }])] });
      continue;
    }
    turns.push({ role: m.role, content: m.content });
  }
  return turns;
}

function prompt(request: ChatRequest): Record<string, unknown> {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  return {
    messages: messages(request),
    ...(system ? { system } : {}),
    ...(request.tools?.length ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters })) } : {}),
  };
}

/** The prompt with cache breakpoints when caching is on and the prompt is long enough to gain from it. */
function cachedPrompt(target: Target, request: ChatRequest): Record<string, unknown> {
  const plain = prompt(request);
  const system = typeof plain.system === 'string' ? plain.system : '';
  const turns = plain.messages as { role: string; content: unknown }[];
  if (target.config.promptCaching === 'off' || !worthCaching(system, turns, plain.tools)) return plain;
  const { system: cachedSystem, messages: cachedMessages } = withCacheBreakpoints(system, turns);
  return { ...plain, messages: cachedMessages, ...(system === '' ? {} : { system: cachedSystem }) };
}

function body(target: Target, request: ChatRequest, stream: boolean, logger?: Logger): Record<string, unknown> {
  const c = thoughtConfig(target.config, request, logger);
  // Extended thinking refuses any temperature but 1: a caller's (VS Code's model options) is left out then.
  const temperature = thinkingMode(c) === undefined ? (request.temperature ?? c.temperature) : c.temperature;
  const maxTokens = request.maxTokens ?? c.maxTokens;
  return {
    model: request.model ?? c.model,
    max_tokens: maxTokens,
    ...cachedPrompt(target, request),
    ...(c.topP === undefined ? {} : { top_p: c.topP }),
    ...(c.topK === undefined ? {} : { top_k: c.topK }),
    ...(temperature === undefined ? {} : { temperature }),
    ...anthropicOptionBody(c, maxTokens),
    ...(stream ? { stream: true } : {}),
  };
}

/**
 * The configuration for this request: thinking left off (with a log line) when the request ends in the results of a
 * tool turn whose thinking blocks were not kept (VS Code's chat after a reload, another model's turn, a client of the
 * endpoint), since the API refuses that turn with thinking on.
 */
function thoughtConfig(c: AnthropicConfig, request: ChatRequest, logger?: Logger): AnthropicConfig {
  if (thinkingMode(c) === undefined) return c;
  const turn = unthoughtToolTurn(request);
  if (!turn) return c;
  logger?.info(`Anthropic: extended thinking is off for this request: the tool calls it answers (${(turn.toolCalls ?? []).map((call) => call.name).join(', ')}) came without the thinking blocks the API requires with them.`);
  return { ...c, thinking: 'disabled', thinkingBudget: undefined };
}

interface UsageCounts {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  thinking?: number;
}

function addUsage(counts: UsageCounts, value: unknown): void {
  const usage = record(value);
  if (!usage) return;
  // message_delta repeats cumulative totals; only the fields present replace the earlier ones.
  counts.input = tokenFigure(usage.input_tokens) ?? counts.input;
  counts.cacheRead = tokenFigure(usage.cache_read_input_tokens) ?? counts.cacheRead;
  counts.cacheWrite = tokenFigure(usage.cache_creation_input_tokens) ?? counts.cacheWrite;
  counts.output = tokenFigure(usage.output_tokens) ?? counts.output;
  const thinking = tokenFigure(record(usage.output_tokens_details)?.thinking_tokens);
  if (thinking !== undefined) counts.thinking = thinking;
}

/** Anthropic's input_tokens leaves out cache reads and writes; ours counts every prompt token. */
export function anthropicUsage(counts: UsageCounts): Usage {
  return {
    input: counts.input + counts.cacheRead + counts.cacheWrite,
    output: counts.output,
    cached: counts.cacheRead,
    ...(counts.cacheWrite > 0 ? { cacheWrite: counts.cacheWrite } : {}),
    ...(counts.thinking === undefined ? {} : { reasoning: counts.thinking }),
  };
}

const finishReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

function finish(reason: string): ChatEvent {
  return { type: 'finish', reason: finishReasonOf(finishReasons, reason), providerReason: reason };
}

async function* complete(deps: ProviderDeps, target: Target, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const message = record(await sendJson(deps.http, { method: 'POST', url: endpoint(target.config.baseUrl, '/v1/messages'), headers: headers(target), json: body(target, request, false, deps.logger), signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context));
  const content = list(message?.content);
  for (const raw of content) {
    const block = record(raw);
    const text = str(block?.text);
    const thinking = str(block?.thinking);
    if (block?.type === 'thinking' && thinking) yield { type: 'reasoning', text: thinking };
    if (block?.type === 'text' && text) yield { type: 'text', text };
    if (block?.type === 'tool_use') yield { type: 'tool-call', call: { id: str(block.id) ?? '', name: str(block.name) ?? '', arguments: argumentsText(block.input) } };
  }
  const replay = thinkingOfContent(content);
  if (replay) yield { type: 'replay', replay };
  const counts = { input: 0, cacheRead: 0, cacheWrite: 0, output: 0 };
  addUsage(counts, message?.usage);
  yield { type: 'usage', usage: anthropicUsage(counts) };
  yield finish(str(message?.stop_reason) ?? 'end_turn');
}

interface ToolBlock {
  readonly id: string;
  readonly name: string;
  json: string;
}

async function* stream(deps: ProviderDeps, target: Target, request: ChatRequest, options: CallOptions, context: ErrorContext): AsyncGenerator<ChatEvent> {
  const response = await send(deps.http, { method: 'POST', url: endpoint(target.config.baseUrl, '/v1/messages'), headers: headers(target), json: body(target, request, true, deps.logger), expect: 'sse', signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context);
  const tools = new Map<number, ToolBlock>();
  const thinking = new ThinkingBlocks();
  const counts = { input: 0, cacheRead: 0, cacheWrite: 0, output: 0 };
  let reason: string | undefined;
  let stopped = false;
  // Only an event that carries something resets the idle timeout: a stream of empty block starts produces nothing.
  const chunks = response.chunks();
  for await (const event of readSse(chunks, response.limits.maxEventBytes, false)) {
    // Read on to the end of the body after message_stop, so that the connection stays in the pool.
    if (stopped) continue;
    const data = record(parseJson(event.data, 'An event of the Anthropic stream'));
    const type = str(data?.type) ?? event.event;
    if (carriesContent(type, data)) chunks.progress();
    if (type === 'message_start') {
      addUsage(counts, record(data?.message)?.usage);
    } else if (type === 'content_block_start') {
      const block = record(data?.content_block);
      thinking.start(num(data?.index) ?? 0, block);
      if (block?.type === 'tool_use') tools.set(num(data?.index) ?? 0, { id: str(block.id) ?? '', name: str(block.name) ?? '', json: '' });
    } else if (type === 'content_block_delta') {
      const delta = record(data?.delta);
      const text = str(delta?.text);
      if (delta?.type === 'text_delta' && text) yield { type: 'text', text };
      const reasoning = str(delta?.thinking);
      if (delta?.type === 'thinking_delta' && reasoning) yield { type: 'reasoning', text: reasoning };
      thinking.delta(num(data?.index) ?? 0, delta);
      const tool = tools.get(num(data?.index) ?? 0);
      if (delta?.type === 'input_json_delta' && tool) tool.json += str(delta.partial_json) ?? '';
    } else if (type === 'content_block_stop') {
      const index = num(data?.index) ?? 0;
      const tool = tools.get(index);
      if (tool) yield { type: 'tool-call', call: { id: tool.id, name: tool.name, arguments: tool.json === '' ? '{}' : tool.json } };
      tools.delete(index);
    } else if (type === 'message_delta') {
      reason = str(record(data?.delta)?.stop_reason) ?? reason;
      addUsage(counts, data?.usage);
    } else if (type === 'message_stop') {
      stopped = true;
    } else if (type === 'error') {
      const code = str(record(data?.error)?.type);
      throw new HttpError('status', 'Anthropic reported an error mid-stream.', { status: code === 'overloaded_error' ? 529 : 500, body: data });
    }
  }
  if (!stopped) throw incompleteStream('Anthropic');
  const replay = thinking.replay();
  if (replay) yield { type: 'replay', replay };
  yield { type: 'usage', usage: anthropicUsage(counts) };
  yield finish(reason ?? 'end_turn');
}

/** Text, thinking or tool input in a delta, a finished block, a stop reason or the end: what makes an answer progress. */
function carriesContent(type: string, data: Record<string, unknown> | undefined): boolean {
  if (type === 'content_block_delta') {
    const delta = record(data?.delta);
    return ['text', 'partial_json', 'thinking', 'signature'].some((field) => { const value = str(delta?.[field]); return value !== undefined && value !== ''; });
  }
  if (type === 'message_delta') return str(record(data?.delta)?.stop_reason) !== undefined;
  return type === 'content_block_stop' || type === 'message_stop' || type === 'error';
}

async function listAll(deps: ProviderDeps, target: Target, options: CallOptions, context: ErrorContext): Promise<readonly ModelInfo[]> {
  const models: ModelInfo[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const url = endpoint(target.config.baseUrl, '/v1/models');
    url.searchParams.set('limit', '1000');
    if (after) url.searchParams.set('after_id', after);
    const response = record(await sendJson(deps.http, { method: 'GET', url, headers: headers(target), signal: options.signal, retry: retryOf(options), onHeaders: options.onHeaders }, context));
    for (const raw of list(response?.data)) {
      const model = record(raw);
      const id = str(model?.id);
      if (id === undefined) continue;
      const displayName = str(model?.display_name);
      const contextWindow = tokenLimit(model?.max_input_tokens);
      const maxOutputTokens = num(model?.max_tokens);
      // capabilities.image_input.supported (Models API): the model's own word on images.
      const images = record(record(model?.capabilities)?.image_input)?.supported;
      models.push({
        id,
        ...(displayName === undefined ? {} : { displayName }),
        ...(typeof images === 'boolean' ? { inputModalities: images ? ['text', 'image'] : ['text'] } : {}),
        ...(contextWindow === undefined ? {} : { contextWindow }),
        ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
      });
    }
    after = str(response?.last_id);
    if (response?.has_more !== true || !after) return models;
  }
  return models;
}

export function createProvider(deps: ProviderDeps): AIProvider<AnthropicConfig> {
  return defineProvider(deps, {
    id: 'anthropic',
    displayName: 'Anthropic',
    configSchema: AnthropicConfig,
    apiKey: 'required',
    errorName: 'Anthropic',
    extract: anthropicErrorInfo,
    listModels: (target, options, context) => listAll(deps, target, options, context),
    chat: (target, request, options, context) => imagesChecked('anthropic', context.provider, request, () => (request.stream === false ? complete(deps, target, request, options, context) : stream(deps, target, request, options, context))),
    countTokens: async (target, request, options, context) => {
      const json = { model: request.model ?? target.config.model, ...prompt(request) };
      const response = record(await sendJson(deps.http, { method: 'POST', url: endpoint(target.config.baseUrl, '/v1/messages/count_tokens'), headers: headers(target), json, signal: options.signal, retry: retryOf(options) }, context));
      return tokenFigure(response?.input_tokens) ?? 0;
    },
  });
}

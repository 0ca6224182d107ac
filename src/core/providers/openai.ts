import * as z from 'zod/mini';
import { defineProvider } from './defineProvider';
import { beforeFirstEvent } from './fallbackStream';
import { baseUrl, jsonSchemaText, modelId, parsedSchema, priceFields, range, seed, stopSequences, tokenCount } from './fields';
import { openaiChat, openaiErrorInfo, openaiModels, type OpenAIChatSettings } from './openaiProtocol';
import { isResponsesOnly } from './openaiModelSpecs';
import { needsResponses, openaiResponses, type OpenAIResponsesSettings } from './openaiResponses';
import type { AIProvider, ChatEvent, ChatRequest, ProviderDeps, ProviderTarget } from './types';

/** openai 7.59 Shared.ReasoningEffort; not every model takes every level (the API says which it refuses). */
export const openaiReasoningEfforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

export const OpenAIConfig = z
  .strictObject({
    baseUrl: baseUrl('https://api.openai.com/v1'),
    model: modelId(),
    /** Which API: auto picks the Responses API for models OpenAI serves only there (gpt-tokenizer's model specs). */
    protocol: z.optional(z.enum(['auto', 'chat', 'responses'], { error: 'must be auto, chat or responses' })),
    organization: z.optional(z.string()),
    project: z.optional(z.string()),
    temperature: range(0, 2),
    topP: range(0, 1),
    frequencyPenalty: range(-2, 2),
    presencePenalty: range(-2, 2),
    /** Sent as max_completion_tokens (max_output_tokens on the Responses API), which reasoning models require. */
    maxTokens: tokenCount(),
    /** reasoning_effort (Chat Completions) or reasoning.effort (Responses), for reasoning models. */
    reasoningEffort: z.optional(z.enum(openaiReasoningEfforts, { error: `must be one of ${openaiReasoningEfforts.join(', ')}` })),
    /** reasoning.summary: the Responses API streams a summary of the reasoning (Chat Completions shows none). */
    reasoningSummary: z.optional(z.enum(['auto', 'concise', 'detailed'], { error: 'must be auto, concise or detailed' })),
    /** text: plain answers; json_object: any JSON; json_schema: JSON that follows jsonSchema (strict). */
    responseFormat: z.optional(z.enum(['text', 'json_object', 'json_schema'], { error: 'must be text, json_object or json_schema' })),
    jsonSchema: jsonSchemaText(),
    /** Chat Completions only (the Responses API has no stop sequences). */
    stop: stopSequences(4),
    /** Chat Completions only. */
    seed: seed(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    ...priceFields,
  })
  .check(z.refine((c) => c.responseFormat !== 'json_schema' || c.jsonSchema !== undefined, { error: 'json_schema needs a JSON Schema in jsonSchema', path: ['jsonSchema'] }));
export type OpenAIConfig = z.infer<typeof OpenAIConfig>;

type Target = ProviderTarget<OpenAIConfig>;

function headers(target: Target): Record<string, string> {
  const { organization, project } = target.config;
  return {
    authorization: `Bearer ${target.apiKey ?? ''}`,
    ...(organization ? { 'openai-organization': organization } : {}),
    ...(project ? { 'openai-project': project } : {}),
  };
}

function chatSettings(target: Target): OpenAIChatSettings {
  const c = target.config;
  const schema = parsedSchema(c.jsonSchema);
  return {
    baseUrl: c.baseUrl,
    headers: headers(target),
    model: c.model,
    maxTokensField: 'max_completion_tokens',
    parameters: {
      ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
      ...(c.topP === undefined ? {} : { top_p: c.topP }),
      ...(c.frequencyPenalty === undefined ? {} : { frequency_penalty: c.frequencyPenalty }),
      ...(c.presencePenalty === undefined ? {} : { presence_penalty: c.presencePenalty }),
      ...(c.maxTokens === undefined ? {} : { max_completion_tokens: c.maxTokens }),
      ...(c.reasoningEffort === undefined ? {} : { reasoning_effort: c.reasoningEffort }),
      ...(c.responseFormat === 'json_object' ? { response_format: { type: 'json_object' } } : {}),
      ...(c.responseFormat === 'json_schema' && schema ? { response_format: { type: 'json_schema', json_schema: { name: 'response', schema, strict: true } } } : {}),
      ...(c.stop === undefined ? {} : { stop: c.stop }),
      ...(c.seed === undefined ? {} : { seed: c.seed }),
    },
  };
}

function responsesSettings(target: Target): OpenAIResponsesSettings {
  const c = target.config;
  const schema = parsedSchema(c.jsonSchema);
  const reasoning = { ...(c.reasoningEffort === undefined ? {} : { effort: c.reasoningEffort }), ...(c.reasoningSummary === undefined ? {} : { summary: c.reasoningSummary }) };
  const format = c.responseFormat === 'json_object' ? { type: 'json_object' } : c.responseFormat === 'json_schema' && schema ? { type: 'json_schema', name: 'response', schema, strict: true } : undefined;
  return {
    baseUrl: c.baseUrl,
    headers: headers(target),
    model: c.model,
    parameters: {
      ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
      ...(c.topP === undefined ? {} : { top_p: c.topP }),
      ...(c.maxTokens === undefined ? {} : { max_output_tokens: c.maxTokens }),
      ...(Object.keys(reasoning).length > 0 ? { reasoning } : {}),
      ...(format ? { text: { format } } : {}),
    },
  };
}

/**
 * Chat Completions unless the configuration or the model's spec says Responses; a model that OpenAI answers is only
 * on v1/responses (one the specs do not know yet) is remembered and asked there from then on. Decided when the stream
 * is first read, as a generator would.
 */
function chat(deps: ProviderDeps, learned: Set<string>, target: Target, request: ChatRequest, options: Parameters<AIProvider['chat']>[2], context: Parameters<typeof openaiChat>[4]): AsyncIterable<ChatEvent> {
  const pick = (): AsyncIterable<ChatEvent> => {
    const model = request.model ?? target.config.model;
    const protocol = target.config.protocol ?? 'auto';
    const viaResponses = (): AsyncIterable<ChatEvent> => openaiResponses(deps.http, responsesSettings(target), request, options ?? {}, context);
    if (protocol === 'responses' || (protocol === 'auto' && (isResponsesOnly(model) || learned.has(model)))) return viaResponses();
    const viaChat = (): AsyncIterable<ChatEvent> => openaiChat(deps.http, chatSettings(target), request, options ?? {}, context);
    if (protocol !== 'auto') return viaChat();
    return beforeFirstEvent(viaChat, (error) => {
      if (!needsResponses(error)) return undefined;
      learned.add(model);
      return viaResponses();
    });
  };
  return { [Symbol.asyncIterator]: () => pick()[Symbol.asyncIterator]() };
}

export function createProvider(deps: ProviderDeps): AIProvider<OpenAIConfig> {
  const learned = new Set<string>();
  return defineProvider(deps, {
    id: 'openai',
    displayName: 'OpenAI',
    configSchema: OpenAIConfig,
    apiKey: 'required',
    errorName: 'OpenAI',
    extract: openaiErrorInfo,
    listModels: (target, options, context) => openaiModels(deps.http, target.config.baseUrl, headers(target), options, context),
    chat: (target, request, options, context) => chat(deps, learned, target, request, options, context),
  });
}

import * as z from 'zod/mini';
import { secretsOf } from './call';
import { runConnectionTest } from './connectionTest';
import type { ErrorContext } from './errors';
import { baseUrl, modelId, priceFields, range, tokenCount } from './fields';
import { ModelCache } from './modelCache';
import { openaiChat, openaiErrorInfo, openaiModels, type OpenAIChatSettings } from './openaiProtocol';
import type { AIProvider, ProviderDeps, ProviderTarget } from './types';

export const OpenAIConfig = z.strictObject({
  baseUrl: baseUrl('https://api.openai.com/v1'),
  model: modelId(),
  organization: z.optional(z.string()),
  project: z.optional(z.string()),
  temperature: range(0, 2),
  topP: range(0, 1),
  frequencyPenalty: range(-2, 2),
  presencePenalty: range(-2, 2),
  /** Sent as max_completion_tokens, which reasoning models require. */
  maxTokens: tokenCount(),
  ...priceFields,
});
export type OpenAIConfig = z.infer<typeof OpenAIConfig>;

function headers(target: ProviderTarget<OpenAIConfig>): Record<string, string> {
  const { organization, project } = target.config;
  return {
    authorization: `Bearer ${target.apiKey ?? ''}`,
    ...(organization ? { 'openai-organization': organization } : {}),
    ...(project ? { 'openai-project': project } : {}),
  };
}

function settings(target: ProviderTarget<OpenAIConfig>): OpenAIChatSettings {
  const c = target.config;
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
    },
  };
}

export function createProvider(deps: ProviderDeps): AIProvider<OpenAIConfig> {
  const cache = new ModelCache(deps.modelsTtlMs ?? 300_000, deps.now);
  const context = (target: ProviderTarget<OpenAIConfig>, model?: string): ErrorContext => ({
    provider: 'OpenAI',
    secrets: secretsOf(target.apiKey),
    model: model ?? target.config.model,
    extract: openaiErrorInfo,
  });
  const provider: AIProvider<OpenAIConfig> = {
    id: 'openai',
    displayName: 'OpenAI',
    configSchema: OpenAIConfig,
    apiKey: 'required',
    testConnection: (target, options) => runConnectionTest(provider, target, { model: target.config.model }, options),
    listModels: (target, options = {}) =>
      cache.get(ModelCache.key(target.config.baseUrl, target.apiKey), () => openaiModels(deps.http, target.config.baseUrl, headers(target), { retry: options.retry, onHeaders: options.onHeaders }, context(target)), options),
    chat: (target, request, options = {}) => openaiChat(deps.http, settings(target), request, options, context(target, request.model)),
  };
  return provider;
}

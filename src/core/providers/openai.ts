import * as z from 'zod/mini';
import { defineProvider } from './defineProvider';
import { baseUrl, modelId, priceFields, range, tokenCount } from './fields';
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
  return defineProvider(deps, {
    id: 'openai',
    displayName: 'OpenAI',
    configSchema: OpenAIConfig,
    apiKey: 'required',
    errorName: 'OpenAI',
    extract: openaiErrorInfo,
    listModels: (target, options, context) => openaiModels(deps.http, target.config.baseUrl, headers(target), options, context),
    chat: (target, request, options, context) => openaiChat(deps.http, settings(target), request, options, context),
  });
}

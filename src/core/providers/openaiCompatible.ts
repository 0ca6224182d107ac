import * as z from 'zod/mini';
import { defineProvider } from './defineProvider';
import { baseUrl, headerMap, modelId, priceFields, range, tokenCount } from './fields';
import { openaiChat, openaiErrorInfo, openaiModels } from './openaiProtocol';
import { compatiblePresets } from './presets';
import { secretHeaderValues } from './secretHeaders';
import type { AIProvider, ProviderDeps, ProviderTarget } from './types';

/** The seed's "Custom HTTP API": any server speaking OpenAI's Chat Completions. */
export const CustomAPIConfig = z.strictObject({
  /** Which known server this is (LM Studio, vLLM, ...); only fills in defaults. */
  preset: z.optional(z.enum(compatiblePresets.map((p) => p.id) as [string, ...string[]], { error: 'must be one of the listed servers' })),
  baseUrl: baseUrl(),
  model: modelId(),
  /** Sent with every request (e.g. OpenRouter's HTTP-Referer and X-Title). */
  headers: headerMap(),
  /** Merged into every request body (e.g. vLLM's top_k or repetition_penalty). */
  extraParams: z.optional(z.record(z.string(), z.unknown())),
  temperature: range(0, 2),
  topP: range(0, 1),
  maxTokens: tokenCount(),
  /** The model's window in tokens, where neither the server's model list nor the catalog states the right one. */
  contextWindow: tokenCount(),
  ...priceFields,
});
export type CustomAPIConfig = z.infer<typeof CustomAPIConfig>;

type Target = ProviderTarget<CustomAPIConfig>;

function headers(target: Target): Record<string, string> {
  return { ...target.config.headers, ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}) };
}

export function createProvider(deps: ProviderDeps): AIProvider<CustomAPIConfig> {
  return defineProvider(deps, {
    id: 'openai-compatible',
    displayName: 'OpenAI-compatible API',
    configSchema: CustomAPIConfig,
    apiKey: 'optional',
    errorName: (target) => compatiblePresets.find((p) => p.id === target.config.preset)?.displayName ?? new URL(target.config.baseUrl).host,
    extract: openaiErrorInfo,
    secrets: (target) => secretHeaderValues(target.config.headers),
    listOptional: true,
    listModels: (target, options, context) => openaiModels(deps.http, target.config.baseUrl, headers(target), options, context),
    chat: (target, request, options, context) => {
      const c = target.config;
      const parameters = {
        ...c.extraParams,
        ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
        ...(c.topP === undefined ? {} : { top_p: c.topP }),
        ...(c.maxTokens === undefined ? {} : { max_tokens: c.maxTokens }),
      };
      const settings = { baseUrl: c.baseUrl, headers: headers(target), model: c.model, maxTokensField: 'max_tokens' as const, parameters };
      return openaiChat(deps.http, settings, request, options, context);
    },
  });
}

import { withoutSecrets, withoutUserInfo } from '../importExport/secrets';
import type { AIConfiguration } from '../store/types';
import { defaultBaseUrls } from './litellmParams';

/** Portkey's provider slug for each of ours; an OpenAI-compatible server is "openai" with a custom_host. */
const portkeyProvider: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  ollama: 'ollama',
  'openai-compatible': 'openai',
};

/** Our settings under the OpenAI-style names Portkey's override_params take (it translates them per provider). */
const overrideNames: Readonly<Record<string, string>> = {
  temperature: 'temperature',
  topP: 'top_p',
  topK: 'top_k',
  maxTokens: 'max_tokens',
  maxOutputTokens: 'max_tokens',
  numPredict: 'max_tokens',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  seed: 'seed',
};

/** Settings that only shape Model Manager's own form and mean nothing to a gateway. */
const FORM_ONLY = new Set(['preset', 'contextWindow', 'inputPricePerMTok', 'outputPricePerMTok', 'cachedInputPricePerMTok']);

export type PortkeyTarget = Record<string, unknown>;

function setField(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** A placeholder the user replaces with the key: visibly not a key, and named after the variable the message lists. */
export function keyPlaceholder(variable: string): string {
  return `<${variable}>`;
}

/** One configuration as a Portkey target; settings Portkey's config cannot carry come back as sentences. */
export function portkeyTarget(c: AIConfiguration, model: string, keyVariable: string | undefined): { target: PortkeyTarget; notCarried: string[] } {
  const notCarried: string[] = [];
  const { config, removed } = withoutSecrets(c.config);
  for (const path of removed) notCarried.push(`"${c.name}": ${path} carries a credential and is not written; add it to the target yourself.`);
  const target: PortkeyTarget = { provider: portkeyProvider[c.provider] ?? 'openai' };
  if (keyVariable !== undefined) target.api_key = keyPlaceholder(keyVariable);
  const baseUrl = c.baseUrl === null ? undefined : withoutUserInfo(c.baseUrl);
  // Portkey appends the API's path to custom_host: Anthropic's /messages after /v1, which our address leaves out.
  if (baseUrl !== undefined && baseUrl !== defaultBaseUrls[c.provider]) target.custom_host = c.provider === 'anthropic' ? `${baseUrl}/v1` : baseUrl;
  const override: Record<string, unknown> = { model };
  for (const [field, value] of Object.entries(config)) {
    if (field === 'model' || field === 'baseUrl' || value === undefined || FORM_ONLY.has(field)) continue;
    const name = overrideNames[field];
    if (name !== undefined) setField(override, name, value);
    else if (field === 'headers' && typeof value === 'object' && value !== null) {
      if (Object.keys(value).length > 0) notCarried.push(`"${c.name}": its request headers (${Object.keys(value).join(', ')}) are not part of a Portkey config; send them with each request.`);
    } else if (!(field === 'anthropicVersion' && value === '2023-06-01')) {
      notCarried.push(`"${c.name}": ${field} (${JSON.stringify(value)}) has no place in a Portkey config and is not written.`);
    }
  }
  target.override_params = override;
  return { target, notCarried };
}

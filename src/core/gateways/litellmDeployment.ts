import { withoutSecrets, withoutUserInfo } from '../importExport/secrets';
import type { AIConfiguration } from '../store/types';
import { defaultBaseUrls, litellmParamNames, litellmPrefix, litellmPriceNames, PER_MILLION } from './litellmParams';

/** One entry of LiteLLM's model_list. */
export interface LiteLLMDeployment {
  model_name: string;
  litellm_params: Record<string, unknown>;
  model_info?: Record<string, unknown>;
}

/** Settings that only shape Model Manager's own form or requests and mean nothing to a gateway. */
const DEFAULTS_ONLY: Readonly<Record<string, unknown>> = { anthropicVersion: '2023-06-01' };

function setField(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A configuration as a LiteLLM deployment named `modelName`; its key is the environment variable `keyVariable`
 * (never the key). Settings LiteLLM has no name for are returned as sentences, never dropped in silence.
 */
export function litellmDeployment(c: AIConfiguration, modelName: string, model: string, keyVariable: string | undefined, weight?: number): { deployment: LiteLLMDeployment; notCarried: string[] } {
  const notCarried: string[] = [];
  const { config, removed } = withoutSecrets(c.config);
  for (const path of removed) notCarried.push(`"${c.name}": ${path} carries a credential and is not written; set it on the gateway yourself.`);
  const names = litellmParamNames[c.provider] ?? {};
  const params: Record<string, unknown> = { model: `${litellmPrefix[c.provider] ?? 'openai'}/${model}` };
  const baseUrl = c.baseUrl === null ? undefined : withoutUserInfo(c.baseUrl);
  if (baseUrl !== undefined && baseUrl !== defaultBaseUrls[c.provider]) params.api_base = baseUrl;
  if (keyVariable !== undefined) params.api_key = `os.environ/${keyVariable}`;
  const info: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(config)) {
    if (field === 'model' || field === 'baseUrl' || value === undefined) continue;
    const name = names[field];
    const price = litellmPriceNames[field];
    if (name !== undefined) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) continue;
      setField(params, name, value);
    } else if (price !== undefined && typeof value === 'number') {
      setField(params, price, value / PER_MILLION);
    } else if (field === 'contextWindow') {
      info.max_input_tokens = value;
    } else if (field === 'project' && typeof value === 'string') {
      params.extra_headers = { ...(params.extra_headers as Record<string, unknown> | undefined), 'OpenAI-Project': value };
    } else if (field === 'preset') {
      notCarried.push(`"${c.name}": preset ${JSON.stringify(value)} only fills in Model Manager's form; the address it stands for is written as api_base.`);
    } else if (DEFAULTS_ONLY[field] !== value) {
      notCarried.push(`"${c.name}": ${field} (${JSON.stringify(value)}) has no LiteLLM setting here and is not written.`);
    }
  }
  if (weight !== undefined) params.weight = weight;
  const deployment: LiteLLMDeployment = { model_name: modelName, litellm_params: params, ...(Object.keys(info).length > 0 ? { model_info: info } : {}) };
  return { deployment, notCarried };
}

import { SecretText } from '../importExport/SecretText';
import { looksSecret, withoutSecrets, withoutUserInfo } from '../importExport/secrets';
import { isRecord, ownValue } from '../importExport/safeInput';
import { defaultBaseUrls, litellmParamNames, litellmPriceNames, PER_MILLION } from './litellmParams';

/** Where a LiteLLM model string points, in our providers. */
interface Target {
  readonly provider: string;
  readonly preset?: string;
  /** The address used when the entry has no api_base. */
  readonly baseUrl?: string;
}

/** LiteLLM prefixes Model Manager can speak; the rest are named in the rejection. */
const PREFIXES: Readonly<Record<string, Target>> = {
  openai: { provider: 'openai' },
  anthropic: { provider: 'anthropic' },
  gemini: { provider: 'gemini' },
  ollama: { provider: 'ollama' },
  ollama_chat: { provider: 'ollama' },
  groq: { provider: 'openai-compatible', preset: 'groq', baseUrl: 'https://api.groq.com/openai/v1' },
  openrouter: { provider: 'openai-compatible', preset: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1' },
  together_ai: { provider: 'openai-compatible', preset: 'together', baseUrl: 'https://api.together.xyz/v1' },
  hosted_vllm: { provider: 'openai-compatible', preset: 'vllm' },
  lm_studio: { provider: 'openai-compatible', preset: 'lmstudio', baseUrl: 'http://localhost:1234/v1' },
};

/** Values the documentation writes where a server needs no key, and placeholders such as <your-api-key>. */
const NOT_A_KEY = /^(?:none|null|dummy|fake|x|-|<[^>]*>)$/i;

/** LiteLLM reads any value after os.environ/ from the environment, whatever it looks like. */
const ENV_REFERENCE = /^os\.environ\/(.*)$/s;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,99}$/;

/** How a note names the variable: by its name, unless that is no variable name or is shaped like a key pasted after os.environ/. */
function variableText(reference: RegExpExecArray): string {
  const name = reference[1] ?? '';
  return ENV_NAME.test(name) && !looksSecret('', name) ? `the environment variable ${name}` : 'an environment variable (os.environ/…)';
}

/** Params that tune the proxy itself rather than the model: left out with a note. */
const PROXY_ONLY = new Set(['rpm', 'tpm', 'timeout', 'stream_timeout', 'max_retries', 'order', 'tags', 'mock_response', 'max_parallel_requests', 'region_name', 'use_in_pass_through', 'merge_reasoning_content_in_choices', 'weight']);

export interface EntryDraft {
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string | null;
  readonly config: Record<string, unknown>;
  readonly apiKey?: SecretText;
  readonly weight?: number;
  readonly notes: string[];
}

function set(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** 2.5e-6 per token back to 2.5 per million, without float noise. */
function perMillion(value: number): number {
  return Number((value * PER_MILLION).toPrecision(12));
}

function splitModel(model: string): { prefix: string; rest: string } {
  const slash = model.indexOf('/');
  if (slash > 0) return { prefix: model.slice(0, slash), rest: model.slice(slash + 1) };
  // LiteLLM guesses the provider of a bare model id from its name.
  if (/^claude/i.test(model)) return { prefix: 'anthropic', rest: model };
  if (/^gemini/i.test(model)) return { prefix: 'gemini', rest: model };
  return { prefix: 'openai', rest: model };
}

/**
 * One litellm_params block as our provider, model and settings, or the reasons it cannot be. A key is taken only when
 * written literally; an `os.environ/NAME` reference stays a note: the environment is never read.
 */
export function entryDraft(params: Readonly<Record<string, unknown>>, modelInfo: unknown): EntryDraft | { reasons: string[] } {
  const model = typeof params.model === 'string' ? params.model.trim() : '';
  if (model === '') return { reasons: ['has no litellm_params.model: add the provider-prefixed model, e.g. openai/gpt-4o'] };
  for (const [name, value] of Object.entries(params)) {
    const env = typeof value === 'string' ? ENV_REFERENCE.exec(value.trim()) : null;
    if (env && name !== 'api_key') return { reasons: [`its ${name} comes from ${variableText(env)}, which Model Manager does not read: write the value itself and import again`] };
  }
  if (model.includes('*')) return { reasons: ['is a wildcard route (*), which passes any model through the proxy: add the models you use one by one'] };
  const { prefix, rest } = splitModel(model);
  const known = ownValue(PREFIXES, prefix);
  if (known === undefined) return { reasons: [`LiteLLM provider "${prefix}" is not one Model Manager speaks (OpenAI, Anthropic, Gemini, Ollama and OpenAI-compatible servers): add it by hand as an OpenAI-compatible server if it has one`] };
  const written = typeof params.api_base === 'string' && params.api_base.trim() !== '' ? params.api_base.trim().replace(/\/+$/, '') : undefined;
  // A "user:password@" in the address is a credential: it would be stored in plain text with the address.
  const apiBase = written === undefined ? undefined : withoutUserInfo(written);
  let target: Target = known;
  // LiteLLM reaches any OpenAI-compatible server as "openai/" with its own api_base.
  if (known.provider === 'openai' && apiBase !== undefined && apiBase !== defaultBaseUrls.openai) target = { provider: 'openai-compatible' };
  const baseUrl = apiBase ?? target.baseUrl ?? null;
  if (target.provider === 'openai-compatible' && baseUrl === null) return { reasons: [`"${prefix}/" needs an api_base (the server's address) in litellm_params`] };
  const notes: string[] = [];
  if (written !== apiBase) notes.push('api_base carries a user name and password (user:password@), which were not imported: enter the credential as the API key if the server needs it.');
  const config: Record<string, unknown> = { model: rest, ...(baseUrl === null ? {} : { baseUrl }), ...(target.preset === undefined ? {} : { preset: target.preset }) };
  const fields = Object.fromEntries(Object.entries(litellmParamNames[target.provider] ?? {}).map(([ours, theirs]) => [theirs, ours]));
  const prices = Object.fromEntries(Object.entries(litellmPriceNames).map(([ours, theirs]) => [theirs, ours]));
  let apiKey: SecretText | undefined;
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (name === 'model' || name === 'api_base') continue;
    if (name === 'api_key') {
      const env = typeof value === 'string' ? ENV_REFERENCE.exec(value.trim()) : null;
      if (env) notes.push(`API key needed: the proxy reads it from ${variableText(env)}. Enter the key after import.`);
      else if (typeof value === 'string' && NOT_A_KEY.test(value.trim())) notes.push('config.yaml gives no real API key for it (a placeholder or "none"). Enter one after import if the server needs it.');
      else if (typeof value === 'string' && value.trim() !== '') {
        apiKey = new SecretText(value.trim());
        notes.push('The API key written in config.yaml will be stored encrypted. Remove it from config.yaml and use os.environ/NAME there.');
      }
      continue;
    }
    const field = ownValue(fields, name);
    const price = ownValue(prices, name);
    if (name === 'extra_headers' && isRecord(value) && target.provider === 'openai') {
      const { 'OpenAI-Project': project, ...others } = value;
      if (typeof project === 'string') config.project = project;
      if (Object.keys(others).length > 0) skipped.push(`extra_headers (${Object.keys(others).join(', ')})`);
    } else if (name === 'extra_headers' && isRecord(value) && field !== undefined) {
      const headers: Record<string, unknown> = {};
      for (const [header, v] of Object.entries(value)) {
        if (looksSecret(header, v)) notes.push(`Header ${header} looks like a credential and was not imported in plain text. Enter it as the API key if the server needs it.`);
        else set(headers, header, v);
      }
      if (Object.keys(headers).length > 0) set(config, field, headers);
    } else if (field !== undefined) {
      set(config, field, value);
    } else if (price !== undefined && typeof value === 'number') {
      set(config, price, perMillion(value));
    } else if (name !== 'weight') {
      skipped.push(name);
    }
  }
  if (isRecord(modelInfo) && typeof modelInfo.max_input_tokens === 'number' && target.provider === 'openai-compatible') config.contextWindow = modelInfo.max_input_tokens;
  // A key written in another field (extra_body's api_key, a key pasted as the organization) would be stored in plain text.
  const { config: settings, removed } = withoutSecrets(config);
  if (removed.length > 0) notes.push(`${removed.join(', ')} ${removed.length > 1 ? 'look like credentials and were' : 'looks like a credential and was'} not imported: enter the key as the API key after import.`);
  const proxyOnly = skipped.filter((s) => PROXY_ONLY.has(s));
  const others = skipped.filter((s) => !PROXY_ONLY.has(s));
  if (proxyOnly.length > 0) notes.push(`${proxyOnly.join(', ')} tune${proxyOnly.length > 1 ? '' : 's'} the proxy, not the model, and ${proxyOnly.length > 1 ? 'were' : 'was'} left out.`);
  if (others.length > 0) notes.push(`${others.join(', ')} ${others.length > 1 ? 'have' : 'has'} no equivalent setting here and ${others.length > 1 ? 'were' : 'was'} left out.`);
  const weight = typeof params.weight === 'number' && Number.isFinite(params.weight) && params.weight > 0 ? params.weight : undefined;
  return { provider: target.provider, model: rest, baseUrl, config: settings, ...(apiKey ? { apiKey } : {}), ...(weight === undefined ? {} : { weight }), notes };
}

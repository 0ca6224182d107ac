import { SEALED_HEADER_VALUE, type ConfigFieldError } from '../providers';
import { looksSecret, withoutUserInfo } from '../importExport/secrets';

/** Words of a setting's name that say it holds a credential ("apiKey", "x-auth-token", "client_secret"). */
const CREDENTIAL_WORDS = new Set(['secret', 'password', 'passwd', 'passphrase', 'authorization', 'auth', 'credential', 'credentials', 'cookie', 'bearer', 'apikey']);
/** "…_key" names that are identifiers, not credentials (OpenAI's prompt_cache_key, an idempotency key). */
const NOT_A_KEY_BEFORE = new Set(['cache', 'idempotency', 'partition', 'sort', 'dedup', 'dedupe', 'routing', 'lookup', 'metadata', 'primary', 'foreign']);
/** "…token…" names that are counts or markers, not credentials (max_tokens, stop_token, token_limit). */
const NOT_A_TOKEN_WITH = new Set(['max', 'min', 'count', 'limit', 'budget', 'usage', 'stop', 'eos', 'bos', 'pad', 'logprobs']);

/** "promptCacheKey", "prompt_cache_key", "X-Api-Key" → ["prompt", "cache", "key"], ... */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** Whether a setting's name says it holds a credential: key, token, secret, authorization, password; not prompt_cache_key or max_tokens. */
export function isCredentialName(name: string): boolean {
  const words = wordsOf(name);
  return words.some((word, i) => {
    if (CREDENTIAL_WORDS.has(word)) return true;
    if (word === 'key' || word === 'keys') return !NOT_A_KEY_BEFORE.has(words[i - 1] ?? '');
    if (word === 'token') return !words.some((w) => NOT_A_TOKEN_WITH.has(w));
    return false;
  });
}

/** Whether a value is shaped like a provider key or a bearer token, whatever its setting is called. */
function isCredentialValue(value: unknown): boolean {
  return typeof value === 'string' && looksSecret('', value.trim());
}

function hasUserInfo(value: unknown): boolean {
  return typeof value === 'string' && withoutUserInfo(value) !== value;
}

function problem(field: string, what: 'name' | 'value' | 'url'): ConfigFieldError {
  const message =
    what === 'url'
      ? 'the address carries a user name and password (user:password@), which would be stored in plain text: remove them and enter the password as the API key or in a custom header (stored encrypted)'
      : what === 'name'
        ? 'this setting holds a credential, which would be stored in plain text: remove it and enter the key as the API key or in a custom header (stored encrypted)'
        : 'this value looks like an API key, which would be stored in plain text: remove it and enter the key as the API key or in a custom header (stored encrypted)';
  return { field, message };
}

function scan(value: unknown, field: string, name: string, found: ConfigFieldError[]): void {
  // A sealed header's placeholder: its value is already sealed.
  if (value === SEALED_HEADER_VALUE) return;
  if (hasUserInfo(value)) {
    found.push(problem(field, 'url'));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) scan(inner, Array.isArray(value) ? `${field}[${key}]` : `${field}.${key}`, key, found);
  } else if (value !== undefined && value !== null && value !== '' && isCredentialName(name)) {
    found.push(problem(field, 'name'));
  } else if (isCredentialValue(value)) {
    found.push(problem(field, 'value'));
  }
}

/**
 * The settings that would carry a credential into the plain-text settings: a parameter named like a key, a value
 * shaped like one, an address with user:password@. Run on settings whose credential headers are already sealed
 * (their placeholders pass). Each names its field so the form can show it; a message never repeats the value.
 */
export function plainCredentialFields(settings: Readonly<Record<string, unknown>>): ConfigFieldError[] {
  const found: ConfigFieldError[] = [];
  for (const [name, value] of Object.entries(settings)) scan(value, name, name, found);
  return found;
}

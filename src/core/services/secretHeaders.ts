import { SEALED_HEADER_VALUE, isSecretHeader } from '../providers';
import { ConfigurationError } from './errors';

/** The field a configuration's sealed headers are bound to (the API key's is "api_key"). */
export const HEADERS_FIELD = 'headers';

type Headers = Readonly<Record<string, string>>;

function headersOf(config: Readonly<Record<string, unknown>>): Headers | undefined {
  const headers = config.headers;
  return typeof headers === 'object' && headers !== null && !Array.isArray(headers) ? (headers as Headers) : undefined;
}

function storedValue(name: string, stored: Headers): string {
  const value = stored[name] ?? Object.entries(stored).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  if (value === undefined) {
    throw new ConfigurationError('validation', `The header "${name}" has no stored value to keep: enter its value again.`, {
      fieldErrors: [{ field: `headers.${name}`, message: 'enter the value again' }],
    });
  }
  return value;
}

/**
 * Takes the credential-carrying values out of the custom headers of parsed settings, leaving a placeholder in their
 * place. A placeholder given back (a form or the palette kept it) stands for the value stored before.
 */
export function separateSecretHeaders(
  config: Readonly<Record<string, unknown>>,
  stored: () => Headers,
): { config: Record<string, unknown>; secrets: Record<string, string> | undefined } {
  const headers = headersOf(config);
  if (!headers) return { config: { ...config }, secrets: undefined };
  const plain: [string, string][] = [];
  const secrets: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    const secret = value === SEALED_HEADER_VALUE ? storedValue(name, stored()) : isSecretHeader(name, value) ? value : undefined;
    if (secret !== undefined) secrets.push([name, secret]);
    plain.push([name, secret === undefined ? value : SEALED_HEADER_VALUE]);
  }
  // fromEntries defines own properties: a header named __proto__ stays a header.
  return { config: { ...config, headers: Object.fromEntries(plain) }, secrets: secrets.length > 0 ? Object.fromEntries(secrets) : undefined };
}

/** The settings a request is sent with: each placeholder replaced by its stored value. */
export function withSecretHeaders<C>(config: C, stored: Headers): C {
  const headers = headersOf(config as Readonly<Record<string, unknown>>);
  if (!headers || !Object.values(headers).includes(SEALED_HEADER_VALUE)) return config;
  const opened = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value === SEALED_HEADER_VALUE ? storedValue(name, stored) : value]));
  return { ...config, headers: opened };
}

/** Whether settings hold a credential header value in plain text (stored by a version before sealed headers). */
export function hasPlainSecretHeaders(config: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(headersOf(config) ?? {}).some(([name, value]) => value !== SEALED_HEADER_VALUE && isSecretHeader(name, value));
}

/** Whether settings hold a placeholder for a sealed header (so the stored values must be opened). */
export function hasSealedHeaders(config: unknown): boolean {
  const headers = typeof config === 'object' && config !== null ? headersOf(config as Readonly<Record<string, unknown>>) : undefined;
  return headers !== undefined && Object.values(headers).includes(SEALED_HEADER_VALUE);
}

/** The sealed JSON back into header values; anything else is damage. */
export function parseSealedHeaders(json: string): Record<string, string> {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new Error('the sealed headers are not a list of header values');
  }
  return value as Record<string, string>;
}

// How a failure is put in words. Only a type import: the host uses it without loading the core bundle.
import type { ProviderErrorKind } from './errorKind';

/** What the provider did, after its name: "OpenAI rejected the key". */
export const verb: Record<ProviderErrorKind, string> = {
  dns: 'could not be found',
  refused: 'refused the connection',
  tls: 'failed the TLS handshake',
  timeout: 'timed out',
  auth: 'rejected the key',
  forbidden: 'denied access',
  'unknown-model': 'does not know the model',
  'not-found': 'has no such endpoint',
  'rate-limited': 'is rate limiting',
  server: 'had a server error',
  'bad-request': 'refused the request',
  redirect: 'redirected the request',
  'bad-response': 'sent an unexpected response',
  'too-large': 'sent too much data',
  network: 'dropped the connection',
  cancelled: 'call was cancelled',
};

/**
 * A failure in a few words for a parenthesis: the provider's status and code ("401 invalid_api_key", "500"), or,
 * when no server answered, the kind in words ("connection refused"), never a system code such as ECONNREFUSED.
 */
export function failureLabel(failure: { readonly kind: string; readonly status?: number | undefined; readonly code?: string | undefined }): string {
  return statusLabel(failure) ?? words(failure.kind);
}

function statusLabel(failure: { readonly status?: number | undefined; readonly code?: string | undefined }): string | undefined {
  return failure.status === undefined ? undefined : [String(failure.status), failure.code].filter(Boolean).join(' ');
}

function words(kind: string): string {
  // Own keys only: a kind read back from the audit log such as "constructor" must not find Object's prototype.
  return (Object.hasOwn(kindWords, kind) ? kindWords[kind] : undefined) ?? kind.replace(/-/g, ' ');
}

const kindWords: Readonly<Record<string, string>> = {
  dns: 'host not found',
  refused: 'connection refused',
  tls: 'TLS handshake failed',
  timeout: 'timeout',
  auth: 'key rejected',
  forbidden: 'access denied',
  'unknown-model': 'model not found',
  'not-found': 'no such endpoint',
  'rate-limited': 'rate limited',
  server: 'server error',
  'bad-request': 'request refused',
  redirect: 'redirected',
  'bad-response': 'unexpected response',
  'too-large': 'response too large',
  network: 'connection dropped',
  cancelled: 'cancelled',
};

/** What a failed test or call means, for a hover or a list: "rejected the key (401 invalid_api_key). Check the key or its project." */
export function describeFailure(failure: { readonly kind: string; readonly status?: number | undefined; readonly code?: string | undefined }, hint: string): string {
  const words = (Object.hasOwn(verb, failure.kind) ? (verb as Readonly<Record<string, string>>)[failure.kind] : undefined) ?? 'failed';
  return `${words} (${failureLabel(failure)}).${hint ? ` ${hint}` : ''}`;
}


/** A failure in a few words with its status and code once: "server error (500 server_error)", "connection refused". */
export function failureSummary(failure: { readonly kind: string; readonly status?: number | undefined; readonly code?: string | undefined }): string {
  const label = statusLabel(failure);
  return label === undefined ? words(failure.kind) : `${words(failure.kind)} (${label})`;
}

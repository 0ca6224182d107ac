import { HttpError, redact } from '../http';
import { errorMessage } from '../errors';

export type ProviderErrorKind =
  | 'dns'
  | 'refused'
  | 'tls'
  | 'timeout'
  | 'auth'
  | 'forbidden'
  | 'unknown-model'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'bad-request'
  | 'redirect'
  | 'bad-response'
  | 'too-large'
  | 'network'
  | 'cancelled';

/** What an adapter reads out of its provider's error body. */
export interface ProviderErrorInfo {
  readonly code?: string | undefined;
  readonly message?: string | undefined;
  /** Set when the body says more than the status (Gemini reports a bad key as 400 API_KEY_INVALID). */
  readonly kind?: ProviderErrorKind | undefined;
}

export interface ProviderErrorDetails {
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly providerMessage?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly hint: string;
}

/** A provider call that failed, said so the user can act on it; never carries a key. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly providerMessage: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly hint: string;

  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    details: ProviderErrorDetails,
  ) {
    super(message);
    this.status = details.status;
    this.code = details.code;
    this.providerMessage = details.providerMessage;
    this.retryAfterMs = details.retryAfterMs;
    this.hint = details.hint;
  }
}

export interface ErrorContext {
  /** The provider's display name, e.g. "OpenAI". */
  readonly provider: string;
  readonly secrets: readonly string[];
  readonly model?: string | undefined;
  readonly extract: (body: unknown) => ProviderErrorInfo;
}

const transport: Partial<Record<string, ProviderErrorKind>> = {
  dns: 'dns',
  refused: 'refused',
  tls: 'tls',
  timeout: 'timeout',
  reset: 'network',
  network: 'network',
  'too-large': 'too-large',
  'content-type': 'bad-response',
  'invalid-json': 'bad-response',
  incomplete: 'bad-response',
  aborted: 'cancelled',
};

function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'bad-request';
}

/** Turns anything a call threw into a ProviderError with the provider's own code and message and a hint. */
export function toProviderError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!(error instanceof HttpError)) {
    const text = redact(errorMessage(error), context.secrets);
    return new ProviderError('bad-response', `${context.provider}: ${text}`, { hint: hintFor('bad-response', {}) });
  }
  if (error.kind !== 'status' || error.status === undefined) {
    const kind = transport[error.kind] ?? 'network';
    const message = redact(error.message, context.secrets);
    return new ProviderError(kind, message, { hint: hintFor(kind, { model: context.model }), code: safeCode(error.code, context.secrets) });
  }
  if (error.status >= 300 && error.status < 400) return redirected(error.status, error.location, context);
  const info = context.extract(error.body);
  const status = error.status;
  const kind = info.kind ?? kindOfStatus(status);
  const code = safeCode(info.code, context.secrets);
  const providerMessage = info.message === undefined ? undefined : redact(info.message, context.secrets).slice(0, 500);
  const facts = { status, code, retryAfterMs: error.retryAfterMs, model: context.model };
  const hint = hintFor(kind, facts);
  const label = [String(status), code].filter(Boolean).join(' ');
  const message = `${context.provider} ${verb[kind]} (${label})${providerMessage ? `: ${providerMessage}` : '.'}`;
  return new ProviderError(kind, message, { status, code, providerMessage, retryAfterMs: error.retryAfterMs, hint });
}

/** A 3xx answer: the request was not followed to the new address, so the key went nowhere but the configured server. */
function redirected(status: number, location: string | undefined, context: ErrorContext): ProviderError {
  const to = location ?? 'another address';
  const message = `${context.provider} redirected the request (${String(status)}) to ${to}. Redirects are not followed, so the key was not sent there.`;
  return new ProviderError('redirect', message, { status, hint: hintFor('redirect', { status, location }) });
}

/** The only shape of error code kept: a short identifier such as invalid_api_key or RESOURCE_EXHAUSTED. */
const CODE_SHAPE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * A provider's error code as it may be stored, logged and shown: a bounded identifier with nothing secret in it,
 * else nothing (the error's kind then stands for it). A hostile server controls this text like any other.
 */
export function safeCode(code: string | undefined, secrets: readonly string[]): string | undefined {
  if (code === undefined || !CODE_SHAPE.test(code)) return undefined;
  return redact(code, secrets) === code ? code : undefined;
}

const verb: Record<ProviderErrorKind, string> = {
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

interface HintFacts {
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly model?: string | undefined;
  readonly location?: string | undefined;
}

/** One plain sentence saying what to do, prefixed with the status and code when there is one. */
export function hintFor(kind: ProviderErrorKind, facts: HintFacts): string {
  const prefix = facts.status === undefined ? '' : `${[String(facts.status), facts.code].filter(Boolean).join(' ')}: `;
  const wait = facts.retryAfterMs === undefined ? 'retry later' : `retry in ${String(Math.ceil(facts.retryAfterMs / 1000))} s`;
  const advice: Record<ProviderErrorKind, string> = {
    dns: "the host name could not be resolved: check the base URL's host and your network or proxy.",
    refused: "nothing is listening there: check that the server is running and the base URL's port.",
    tls: 'the secure connection failed: check http vs https in the base URL, and any proxy or certificate.',
    timeout: 'no answer in time: check the base URL and your network, or raise the timeout.',
    auth: 'check the key or its project.',
    forbidden: 'the key is not allowed to use this API or model: check its permissions and that the API is enabled.',
    'unknown-model': `the model${facts.model ? ` "${facts.model}"` : ''} is not available to this key: pick one from the model list.`,
    'not-found': 'check the base URL.',
    'rate-limited': `rate limit or quota reached: ${wait}, or check your plan and billing.`,
    server: 'the provider had a problem on its side: try again shortly.',
    'bad-request': 'the provider refused the request: check the parameters.',
    redirect: `the server redirected the request${facts.location ? ` to ${facts.location}` : ''} and the key was not sent there: check the base URL, and use the new address only if you trust it.`,
    'bad-response': "the server did not answer like the provider's API: check the base URL.",
    'too-large': 'the response was larger than allowed: check the base URL.',
    network: 'the connection dropped: try again.',
    cancelled: 'the call was cancelled.',
  };
  return `${prefix}${advice[kind]}`;
}

/** A stream that stopped before its final event: a dropped connection, not a short answer. */
export function incompleteStream(provider: string): HttpError {
  return new HttpError('incomplete', `${provider} ended the stream before its final event (the connection dropped).`);
}

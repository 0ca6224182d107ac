import { GATEWAY_BUDGET_EXCEEDED, GATEWAY_CONFIG_ERROR } from './gatewayErrors';
import { HttpError, redact } from '../http';
import { verb } from './failureText';
import { errorMessage } from '../errors';
import type { ProviderErrorKind } from './errorKind';

export type { ProviderErrorKind } from './errorKind';

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


interface HintFacts {
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly model?: string | undefined;
  readonly location?: string | undefined;
}

/**
 * One plain sentence saying what to do. It never repeats the status, the code or what went wrong: the message it
 * follows already says those ("OpenAI rejected the key (401 invalid_api_key). Check the key or its project.").
 */
export function hintFor(kind: ProviderErrorKind, facts: HintFacts): string {
  const wait = facts.retryAfterMs === undefined ? 'Retry later' : `Retry in ${String(Math.ceil(facts.retryAfterMs / 1000))} s`;
  const advice: Record<ProviderErrorKind, string> = {
    dns: "Check the host name in the base URL, and your network or proxy.",
    refused: "Check that the server is running and the port in the base URL.",
    tls: 'Check http vs https in the base URL, and any proxy or certificate.',
    timeout: 'Check the base URL and your network, or raise modelManager.requestTimeoutSeconds.',
    auth: 'Check the key or its project.',
    forbidden: 'The key is not allowed to use this API or model: check its permissions and that the API is enabled.',
    'unknown-model': `The model${facts.model ? ` "${facts.model}"` : ''} is not available to this key: pick one from the model list.`,
    'not-found': 'Check the base URL.',
    'rate-limited': `${wait}, or check your plan and billing.`,
    server: 'The provider had a problem on its side: try again shortly.',
    'bad-request': 'Check the parameters.',
    redirect: `Check the base URL${facts.location ? `, and use ${facts.location} only if you trust it` : ''}.`,
    'bad-response': "The server did not answer like the provider's API: check the base URL.",
    'too-large': 'The response was larger than allowed: check the base URL.',
    network: 'The connection dropped: try again.',
    cancelled: '',
  };
  // The team gateway's own refusals: what to do is about the gateway, whatever the status says.
  if (facts.code === GATEWAY_BUDGET_EXCEEDED) return "The gateway's budget for this key is used up: ask the gateway's admin to raise it, or wait until the budget resets.";
  if (facts.code === GATEWAY_CONFIG_ERROR) return 'The gateway refused the request itself (its config, x-portkey-config): check the config and the keys in it.';
  // A kind read back from the audit log is only text: own keys, so "constructor" finds no advice rather than a function.
  return Object.hasOwn(advice, kind) ? advice[kind] : '';
}

/** A stream that stopped before its final event: a dropped connection, not a short answer. */
export function incompleteStream(provider: string): HttpError {
  return new HttpError('incomplete', `${provider} ended the stream before its final event (the connection dropped).`);
}

import { errorMessage } from '../errors';
/** What went wrong on the wire, in terms a user can act on. */
export type HttpFailureKind =
  | 'dns'
  | 'refused'
  | 'tls'
  | 'timeout'
  | 'reset'
  | 'network'
  | 'status'
  | 'too-large'
  | 'content-type'
  | 'invalid-json'
  | 'incomplete'
  | 'aborted';

export interface HttpErrorDetails {
  readonly status?: number;
  /** How long the server asked us to wait (Retry-After, retry-after-ms, or a body's RetryInfo). */
  readonly retryAfterMs?: number;
  /** The parsed JSON error body, or its text when it is not JSON. */
  readonly body?: unknown;
  /** The system or undici error code, e.g. ENOTFOUND or UND_ERR_HEADERS_TIMEOUT. */
  readonly code?: string;
  /** Where a 3xx answer pointed: origin and path only, keys redacted. */
  readonly location?: string;
}

/** A failed HTTP exchange; its message never carries a key, a query string or a request body. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly body: unknown;
  readonly code: string | undefined;
  readonly location: string | undefined;

  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    details: HttpErrorDetails = {},
  ) {
    super(message);
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.body = details.body;
    this.code = details.code;
    this.location = details.location;
  }
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
  }
  return undefined;
}

function isTlsCode(code: string): boolean {
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.includes('CERT') || code === 'EPROTO' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
}

/** Turns whatever undici, node:net or node:zlib threw into an HttpError that says what happened to `where`. */
export function classifyNetworkError(error: unknown, where: string): HttpError {
  if (error instanceof HttpError) return error;
  const code = codeOf(error);
  const details = code === undefined ? {} : { code };
  if (code !== undefined) {
    if (dnsCodes.has(code)) return new HttpError('dns', `Could not resolve the host of ${where} (${code}).`, details);
    if (code === 'ECONNREFUSED') return new HttpError('refused', `Connection refused by ${where}: nothing is listening there.`, details);
    if (timeoutCodes.has(code)) {
      const phase = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect' : code === 'UND_ERR_HEADERS_TIMEOUT' ? 'answer' : code === 'UND_ERR_BODY_TIMEOUT' ? 'send more data' : 'respond';
      return new HttpError('timeout', `${where} did not ${phase} in time (${code}).`, details);
    }
    if (isTlsCode(code)) return new HttpError('tls', `TLS handshake with ${where} failed (${code}).`, details);
    if (resetCodes.has(code)) return new HttpError('reset', `${where} closed the connection unexpectedly (${code}).`, details);
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR__ERROR_FORMAT_PADDING_1') {
      return new HttpError('network', `The compressed response from ${where} is corrupt (${code}).`, details);
    }
  }
  if (error instanceof Error && error.name === 'AbortError') return new HttpError('aborted', `Request to ${where} was cancelled.`, details);
  const text = errorMessage(error);
  return new HttpError('network', `Request to ${where} failed: ${text.slice(0, 200)}`, details);
}

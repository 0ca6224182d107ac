import { isErrorNamed } from '../errors';

/** How a failure is told to an endpoint client: an HTTP status, a message, OpenAI's error code where it has one. */
export interface EndpointFailure {
  readonly status: number;
  readonly message: string;
  readonly code?: string;
  readonly retryAfterMs?: number;
}

interface RoutingLike {
  readonly kind: string;
  readonly message: string;
  readonly details?: { readonly retryAfterMs?: number; readonly cause?: unknown };
}

interface ProviderLike {
  readonly kind: string;
  readonly message: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
}

/**
 * A failed upstream call in the words of the client's API. A key the provider refused is the configuration's
 * problem, not the client's: it is a 502, never a 401 that would make the client doubt its own token.
 */
export function endpointFailure(error: unknown): EndpointFailure {
  if (isErrorNamed<RoutingLike & Error>(error, 'RoutingError')) {
    const e = error;
    const retry = e.details?.retryAfterMs;
    switch (e.kind) {
      case 'unknown-group':
        return { status: 404, message: e.message, code: 'model_not_found' };
      case 'budget':
        return { status: 429, message: e.message, code: 'insufficient_quota', ...(retry !== undefined ? { retryAfterMs: retry } : {}) };
      case 'unavailable':
        return { status: 503, message: e.message, ...(retry !== undefined ? { retryAfterMs: retry } : {}) };
      case 'no-fit':
      case 'request':
        return { status: 400, message: e.message };
      case 'cancelled':
        return { status: 499, message: e.message };
      default: {
        const cause = e.details?.cause;
        if (isErrorNamed<ProviderLike & Error>(cause, 'ProviderError')) {
          const mapped = providerFailure(cause);
          return { ...mapped, message: e.message };
        }
        return { status: 502, message: e.message };
      }
    }
  }
  if (isErrorNamed<ProviderLike & Error>(error, 'ProviderError')) return providerFailure(error);
  return { status: 500, message: 'Model Manager could not answer this request; its log says why.' };
}

function providerFailure(e: ProviderLike): EndpointFailure {
  const retry = e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {};
  switch (e.kind) {
    case 'rate-limited':
      return { status: 429, message: e.message, code: 'rate_limit_exceeded', ...retry };
    case 'bad-request':
      return { status: 400, message: e.message };
    case 'unknown-model':
      return { status: 404, message: e.message, code: 'model_not_found' };
    case 'too-large':
      return { status: 413, message: e.message };
    case 'timeout':
      return { status: 504, message: e.message };
    case 'cancelled':
      return { status: 499, message: e.message };
    default:
      return { status: 502, message: e.message, ...retry };
  }
}

import { HttpError } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  readonly maxTotalMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000, maxTotalMs: 60_000 };

const retryableKinds = new Set(['refused', 'reset', 'network', 'timeout']);

/** 429, 5xx and transient network failures are worth another try; 400/401/403/404 and friends never are. */
export function isRetryable(error: unknown): error is HttpError {
  if (!(error instanceof HttpError)) return false;
  if (error.kind === 'status') return error.status === 429 || error.status === 408 || (error.status ?? 0) >= 500;
  return retryableKinds.has(error.kind);
}

/**
 * For a request that must not run twice (a chat is billed): only failures that prove the provider never started it.
 * A refused or timed-out connect never reached it; a 429 or 503 that names its Retry-After was refused before any
 * work. A timeout after the request was sent, a reset or a 5xx may come after the provider began (and billed) it.
 */
export function isSafeToRepeat(error: unknown): error is HttpError {
  if (!(error instanceof HttpError)) return false;
  if (error.kind === 'refused') return true;
  if (error.kind === 'timeout') return error.code === 'UND_ERR_CONNECT_TIMEOUT';
  return error.kind === 'status' && (error.status === 429 || error.status === 503) && error.retryAfterMs !== undefined;
}

/** Full jitter (AWS architecture blog): a uniform delay in [0, min(cap, base·2^attempt)). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** Parses Retry-After (seconds or an HTTP date) and OpenAI's retry-after-ms into milliseconds. */
export function parseRetryAfter(headers: Readonly<Record<string, string | string[] | undefined>>, now = Date.now()): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = first(headers['retry-after'])?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Waits, unless the signal fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new HttpError('aborted', 'Request was cancelled while waiting to retry.'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new HttpError('aborted', 'Request was cancelled while waiting to retry.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy's budget is spent. A server's Retry-After is
 * honoured as the delay; when it asks for more than the remaining budget we stop and report it instead. An error
 * after several attempts says how many and how long they took, so "within 5 s" is never all the user reads.
 */
export async function withRetry<T>(
  attempt: (index: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  random: () => number = Math.random,
  retryable: (error: unknown) => error is HttpError = isRetryable,
): Promise<T> {
  // Elapsed time on the monotonic clock: a wall-clock step must not end or stretch the retry budget.
  const started = performance.now();
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      const last = (): unknown => (index === 0 ? error : afterAttempts(error, index + 1, performance.now() - started));
      if (!retryable(error) || index + 1 >= policy.maxAttempts || signal?.aborted) throw last();
      const delay = error.retryAfterMs ?? backoffDelay(policy, index, random);
      if (performance.now() - started + delay > policy.maxTotalMs) throw last();
      await sleep(delay, signal);
    }
  }
}

/** The last error of several attempts, its message completed with the count and the real time they took. */
function afterAttempts(error: unknown, attempts: number, elapsedMs: number): unknown {
  if (!(error instanceof HttpError) || error.kind === 'aborted') return error;
  const took = elapsedMs < 1_000 ? 'under a second' : `${String(Math.round(elapsedMs / 1_000))} s`;
  return new HttpError(error.kind, `${error.message.replace(/\.?$/, '.')} Tried ${String(attempts)} times over ${took}.`, {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.body === undefined ? {} : { body: error.body }),
    ...(error.code === undefined ? {} : { code: error.code }),
  });
}

import * as assert from 'node:assert/strict';
import { backoffDelay, HttpError, isRetryable, parseRetryAfter, withRetry, type RetryPolicy } from '../../../src/core/http';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 40, maxTotalMs: 1_000 };
const status = (code: number, retryAfterMs?: number): HttpError => new HttpError('status', `HTTP ${String(code)}`, { status: code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

describe('retry', () => {
  it('retries 429, 5xx and network failures, never 400, 401, 403 or 404', () => {
    for (const code of [429, 500, 502, 503, 504, 529]) assert.equal(isRetryable(status(code)), true, String(code));
    for (const code of [400, 401, 403, 404, 422]) assert.equal(isRetryable(status(code)), false, String(code));
    for (const kind of ['refused', 'reset', 'network', 'timeout'] as const) assert.equal(isRetryable(new HttpError(kind, kind)), true, kind);
    for (const kind of ['dns', 'tls', 'aborted', 'too-large', 'invalid-json'] as const) assert.equal(isRetryable(new HttpError(kind, kind)), false, kind);
  });

  it('draws full-jitter delays below min(cap, base·2^attempt)', () => {
    assert.equal(backoffDelay(policy, 0, () => 0.999), 9);
    assert.equal(backoffDelay(policy, 1, () => 0.999), 19);
    assert.equal(backoffDelay(policy, 5, () => 0.999), 39);
    assert.equal(backoffDelay(policy, 3, () => 0), 0);
  });

  it('reads Retry-After as seconds, as a date, and retry-after-ms', () => {
    assert.equal(parseRetryAfter({ 'retry-after': '7' }), 7_000);
    assert.equal(parseRetryAfter({ 'retry-after': new Date(10_000 + 3_000).toUTCString() }, 10_000), 3_000);
    assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '7' }), 250);
    assert.equal(parseRetryAfter({ 'retry-after': 'soon' }), undefined);
    assert.equal(parseRetryAfter({}), undefined);
  });

  it('waits what Retry-After asks, then succeeds', async () => {
    let calls = 0;
    const started = performance.now();
    const result = await withRetry(() => {
      calls++;
      return calls === 1 ? Promise.reject(status(429, 120)) : Promise.resolve('ok');
    }, policy);
    assert.equal(result, 'ok');
    assert.ok(performance.now() - started >= 115);
  });

  it('does not retry a 401', async () => {
    let calls = 0;
    await assert.rejects(withRetry(() => {
      calls++;
      return Promise.reject(status(401));
    }, policy));
    assert.equal(calls, 1);
  });

  it('stops after maxAttempts', async () => {
    let calls = 0;
    await assert.rejects(withRetry(() => {
      calls++;
      return Promise.reject(status(503));
    }, policy, undefined, () => 0));
    assert.equal(calls, 5);
  });

  it('gives up at once when Retry-After exceeds the time left, and keeps the wait for the user', async () => {
    let calls = 0;
    const error = await withRetry(() => {
      calls++;
      return Promise.reject(status(429, 60_000));
    }, policy).catch((e: unknown) => e);
    assert.equal(calls, 1);
    assert.ok(error instanceof HttpError);
    assert.equal(error.retryAfterMs, 60_000);
  });

  it('bounds the total time', async () => {
    const started = performance.now();
    await assert.rejects(withRetry(async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      throw status(500);
    }, { maxAttempts: 100, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 200 }));
    // Unbounded, 100 attempts of 60 ms take 6 s; the slack is for a loaded machine.
    assert.ok(performance.now() - started < 3_000);
  });

  it('stops waiting when cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => { controller.abort(); }, 20);
    const started = performance.now();
    await assert.rejects(withRetry(() => Promise.reject(status(429, 30_000)), { ...policy, maxTotalMs: 60_000 }, controller.signal), (e: unknown) => e instanceof HttpError && e.kind === 'aborted');
    assert.ok(performance.now() - started < 10_000, 'did not wait out the 30 s Retry-After');
  });
});

import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { HttpClient } from '../../../src/core/http';
import { ProviderError, type AIProvider, type ChatEvent, type ChatRequest, type ProviderTarget, type Usage } from '../../../src/core/providers';

/**
 * Short limits so that every failure shows within a second, yet long enough that an answer on a loaded 2-core
 * machine is never cut off by them.
 */
export const testTimeouts = { connectMs: 2_000, headersMs: 750, bodyMs: 750, totalMs: 6_000 };
/** What a loaded 2-core machine may add to a measured time (a stalled event loop, GC): upper bounds add it. */
export const LOAD_SLACK_MS = 4_000;
export const testLimits = { maxResponseBytes: 1024 * 1024, maxEventBytes: 256 * 1024 };

export function testClient(): HttpClient {
  return new HttpClient({ timeouts: testTimeouts, limits: testLimits, retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 2_000 } });
}

export const hello: ChatRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }] };

export interface ChatOutcome {
  readonly text: string;
  readonly events: readonly ChatEvent[];
  readonly usage: Usage | undefined;
  readonly finish: Extract<ChatEvent, { type: 'finish' }> | undefined;
}

export async function collectChat<C>(provider: AIProvider<C>, target: ProviderTarget<C>, request: ChatRequest, options: { signal?: AbortSignal; retry?: boolean } = {}): Promise<ChatOutcome> {
  const events: ChatEvent[] = [];
  for await (const event of provider.chat(target, request, options)) events.push(event);
  const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const usage = events.find((e) => e.type === 'usage')?.usage;
  const finish = events.find((e): e is Extract<ChatEvent, { type: 'finish' }> => e.type === 'finish');
  return { text, events, usage, finish };
}

/** Asserts the promise rejects with a ProviderError of `kind`, within `withinMs`, and returns it. */
export async function rejectsWith(promise: Promise<unknown>, kind: ProviderError['kind'], withinMs = testTimeouts.totalMs + LOAD_SLACK_MS): Promise<ProviderError> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.ok(performance.now() - started < withinMs, `took ${String(Math.round(performance.now() - started))} ms`);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return typeof address === 'object' && address ? address.port : 0;
}

import * as assert from 'node:assert/strict';
import { parseRateLimitHeaders, remainingAt } from '../../../src/core/usage';
import { dotnetEntry } from '../../emulators/recordings';
import { usageFixture } from './setup';

const now = new Date('2026-11-27T12:00:00.000Z');

describe('rate-limit headers', () => {
  it('reads the x-ratelimit headers of the recorded OpenAI HelloWorldChat response', () => {
    const { headers } = dotnetEntry('recorded/openai/openai-dotnet__ChatTests__HelloWorldChat.json');
    const state = parseRateLimitHeaders(headers as Record<string, string>, now);
    assert.deepEqual(state, {
      observedAt: '2026-11-27T12:00:00.000Z',
      requests: { limit: 30000, remaining: 29999, resetsAt: '2026-11-27T12:00:00.002Z' },
      tokens: { limit: 150000000, remaining: 149999992, resetsAt: '2026-11-27T12:00:00.000Z' },
    });
  });

  it("reads Anthropic's anthropic-ratelimit headers and retry-after", () => {
    const state = parseRateLimitHeaders({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2026-11-27T12:00:30Z',
      'anthropic-ratelimit-input-tokens-limit': '30000',
      'anthropic-ratelimit-input-tokens-remaining': '12000',
      'anthropic-ratelimit-input-tokens-reset': '2026-11-27T12:01:00Z',
      'retry-after': '30',
    }, now);
    assert.deepEqual(state, {
      observedAt: '2026-11-27T12:00:00.000Z',
      requests: { limit: 50, remaining: 0, resetsAt: '2026-11-27T12:00:30.000Z' },
      inputTokens: { limit: 30000, remaining: 12000, resetsAt: '2026-11-27T12:01:00.000Z' },
      retryAt: '2026-11-27T12:00:30.000Z',
    });
    assert.ok(state);
    assert.deepEqual(remainingAt(state, new Date('2026-11-27T12:00:45Z')), {
      observedAt: '2026-11-27T12:00:00.000Z',
      requests: { limit: 50, remaining: 50 },
      inputTokens: { limit: 30000, remaining: 12000, resetsAt: '2026-11-27T12:01:00.000Z' },
    });
  });

  it('reads OpenAI reset durations with minutes and fractions, and ignores responses without rate-limit headers', () => {
    const state = parseRateLimitHeaders({ 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-reset-tokens': '6m0.5s' }, now);
    assert.equal(state?.tokens?.resetsAt, '2026-11-27T12:06:00.500Z');
    assert.equal(parseRateLimitHeaders({ 'content-type': 'application/json' }, now), undefined);
  });

  it('keeps the remaining quota per configuration in memory and in the request log', async () => {
    const f = await usageFixture();
    try {
      const configuration = await f.addConfiguration({ name: 'Mini', provider: 'openai', model: 'gpt-4o-mini' });
      const { headers } = dotnetEntry('recorded/openai/openai-dotnet__ChatTests__HelloWorldChat.json');
      await f.tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 11, output: 9 }, headers: headers as Record<string, string> });
      assert.equal(f.tracker.rateLimitFor(configuration.id)?.requests?.remaining, 29999);
      // "x-ratelimit-reset-tokens: 0s": that window has already refilled.
      assert.equal(f.tracker.rateLimitFor(configuration.id)?.tokens?.remaining, 150000000);
      await f.store.flush();
      const restarted = f.restart().tracker;
      const after = restarted.rateLimitFor(configuration.id);
      assert.equal(after?.requests?.limit, 30000);
      // The 2 ms request window has long reset: the whole limit is available again.
      f.clock.now += 1000;
      assert.equal(restarted.rateLimitFor(configuration.id)?.requests?.remaining, 30000);
    } finally {
      await f.close();
    }
  });
});

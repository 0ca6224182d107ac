import * as assert from 'node:assert/strict';
import { badgeText, compactTokens } from '../../../src/core/chat/badge';
import { storedBadge } from '../../../src/core/chat/conversations';
import type { TurnBadge } from '../../../src/core/chat';

const turn = (usage: TurnBadge['usage']): TurnBadge => ({ member: { configurationId: 'c', name: 'Claude work', provider: 'anthropic', model: 'claude-sonnet-4-5' }, usage, costUsd: 0.0153, latencyMs: 812.4, ttftMs: 200, fallbackReason: undefined, finish: 'stop' });

describe('a turn’s badge with its cache and reasoning figures', () => {
  it('says "cached 12k" (and the cache write and reasoning, where there are some) in its summary', () => {
    const usage = { input: 12_400 + 3337 + 6, output: 198, cached: 12_400, cacheWrite: 3337, reasoning: 64 };
    assert.equal(badgeText(turn(usage)), 'Claude work · claude-sonnet-4-5 · 15743 in / 198 out tokens · cached 12.4k · cache write 3.3k · reasoning 64 · $0.02 · 812 ms');
    assert.equal(badgeText(turn({ input: 16, output: 300, cached: 0 })), 'Claude work · claude-sonnet-4-5 · 16 in / 300 out tokens · $0.02 · 812 ms');
  });

  it('keeps the figures and the reasoning text for the panel, and leaves out the zeros', () => {
    const badge = storedBadge(turn({ input: 100, output: 20, cached: 12_000, cacheWrite: 0, reasoning: 5 }), 'summary', 'Thinking it over.');
    assert.equal(badge.cachedTokens, 12_000);
    assert.equal(badge.cacheWriteTokens, undefined);
    assert.equal(badge.reasoningTokens, 5);
    assert.equal(badge.reasoning, 'Thinking it over.');
  });

  it('writes token counts the short way', () => {
    assert.deepEqual([950, 1000, 12_000, 12_449, 999_999, 1_200_000].map(compactTokens), ['950', '1k', '12k', '12.4k', '1000k', '1.2M']);
  });
});

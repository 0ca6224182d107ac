import * as assert from 'node:assert/strict';
import { costOf } from '../../../src/core/catalog/cost';
import { packageCatalog } from './packageCatalog';

describe('prompt-cache writes in the catalog and the cost', () => {
  it('keeps the package’s cache-write price of a Claude model next to its input and cache-read prices', () => {
    const prices = packageCatalog(() => new Date('2026-12-01T00:00:00Z')).pricesFor('anthropic', 'claude-sonnet-4-5');
    assert.equal(prices?.inputPerMTok, 3);
    assert.equal(prices.cachedInputPerMTok, 0.3);
    assert.equal(prices.cacheWritePerMTok, 3.75);
    assert.equal(prices.tiers?.[0]?.cacheWritePerMTok, 7.5);
  });

  it('bills reads, writes and the rest of the prompt each at its own rate (the recorded 6289 read, 3337 written, 6 plain, 198 out)', () => {
    const prices = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75, source: 'test' };
    const usage = { input: 6 + 6289 + 3337, output: 198, cached: 6289, cacheWrite: 3337 };
    const expected = (6 * 3 + 6289 * 0.3 + 3337 * 3.75 + 198 * 15) / 1_000_000;
    assert.ok(Math.abs(costOf(usage, prices) - expected) < 1e-12);
    // Without a write price the writes cost what input costs.
    assert.ok(Math.abs(costOf(usage, { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, source: 'test' }) - (6 * 3 + 6289 * 0.3 + 3337 * 3 + 198 * 15) / 1_000_000) < 1e-12);
  });
});

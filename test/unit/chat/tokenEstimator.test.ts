import * as assert from 'node:assert/strict';
import { TokenEstimator } from '../../../src/core/chat';

describe('TokenEstimator (local token counts)', () => {
  it('counts ~4 characters a token for a model it has not learned', () => {
    assert.equal(new TokenEstimator().count('m', 'x'.repeat(4000)), 1000);
  });

  it('learns a model\'s characters per token from the input tokens its provider reported, for that model only', () => {
    const tokens = new TokenEstimator();
    // 84 characters of prompt + 16 of framing, reported as 50 tokens: 2 characters a token.
    tokens.learn('a', { messages: [{ role: 'user', content: 'y'.repeat(84) }] }, { input: 50, output: 3, cached: 0 });
    assert.equal(tokens.count('a', 'x'.repeat(4000)), 2000);
    assert.equal(tokens.count('b', 'x'.repeat(4000)), 1000);
    tokens.learn('a', { messages: [{ role: 'user', content: 'y'.repeat(284) }] }, { input: 100, output: 3, cached: 0 });
    assert.equal(tokens.charsPerToken('a'), 400 / 150);
  });

  it('ignores a usage report no tokenizer could produce (no tokens, or far too many characters a token)', () => {
    const tokens = new TokenEstimator();
    tokens.learn('a', { messages: [{ role: 'user', content: 'y'.repeat(84) }] }, { input: 0, output: 0, cached: 0 });
    tokens.learn('a', { messages: [{ role: 'user', content: 'y'.repeat(10_000) }] }, { input: 5, output: 0, cached: 0 });
    assert.equal(tokens.charsPerToken('a'), 4);
  });

  it('keeps counting whole tokens whatever usage a hostile provider reports (NaN, infinite, negative, huge)', () => {
    const tokens = new TokenEstimator();
    const request = { messages: [{ role: 'user' as const, content: 'y'.repeat(84) }] };
    for (const input of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -50, Number.MAX_VALUE, Number.MIN_VALUE]) {
      tokens.learn('a', request, { input, output: 0, cached: 0 });
    }
    assert.equal(tokens.charsPerToken('a'), 4);
    assert.equal(tokens.count('a', 'x'.repeat(4000)), 1000);
  });
});

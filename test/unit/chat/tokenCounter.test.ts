import * as assert from 'node:assert/strict';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { CACHE_ENTRIES, SEED_RATIO, TokenCounter } from '../../../src/core/chat/TokenCounter';

const code = 'function add(a: number, b: number): number {\n  return a + b; // the sum\n}\n'.repeat(20);
const prose = 'Model Manager keeps every provider configuration in one place, with keys encrypted at rest. '.repeat(30);
/** Text the two encodings split differently (o200k has more non-English pieces). */
const multilingual = 'Привет! Как дела? こんにちは、世界。Grüße aus München. '.repeat(10);

/** A counter whose worker has loaded o200k: every count is exact from the first. */
async function exactCounter(): Promise<TokenCounter> {
  const counter = new TokenCounter();
  counters.push(counter);
  assert.equal(await counter.whenExact(), true, 'the worker loads o200k');
  return counter;
}
const counters: TokenCounter[] = [];

describe('TokenCounter (local token counts)', () => {
  after(() => { for (const counter of counters.splice(0)) counter.dispose(); });

  it('counts an o200k OpenAI model exactly; the cl100k generation (gpt-4), whose encoding is not shipped, by estimate', async () => {
    const counter = await exactCounter();
    assert.equal(await counter.count('a', { provider: 'openai', model: 'gpt-4o' }, multilingual), o200k(multilingual));
    assert.equal(await counter.count('c', { provider: 'openai', model: 'gpt-4o-2024-08-06' }, prose), o200k(prose));
    assert.equal(await counter.count('d', { provider: 'openai', model: 'gpt-oss-20b' }, prose), o200k(prose));
    assert.equal(await counter.exactEncoding({ provider: 'openai', model: 'gpt-4-0613' }), undefined);
    const estimate = await counter.count('b', { provider: 'openai', model: 'gpt-4-0613' }, multilingual);
    assert.equal(estimate, Math.ceil(o200k(multilingual) * (SEED_RATIO.openai ?? 0)));
    assert.ok(Math.abs(estimate - cl100k(multilingual)) / cl100k(multilingual) < 0.25, `the estimate ${String(estimate)} is within 25 % of cl100k's ${String(cl100k(multilingual))}`);
  });

  it('counts a long run without a break (200,000 letters, a pasted blob) in moments, not the minutes byte-pair merging takes; close to the encoder\'s count', async function () {
    // The encoder merges a run as one piece, in time that grows faster than its square: 80,000 'a's took 27 s.
    this.timeout(60_000);
    const counter = await exactCounter();
    const run = 'a'.repeat(200_000);
    const counted = await counter.count('a', { provider: 'openai', model: 'gpt-4o' }, run);
    const exact = o200k('a'.repeat(8_000)) * 25;
    assert.ok(Math.abs(counted - exact) / exact < 0.05, `${String(counted)} tokens against about ${String(exact)}`);
    // Text with breaks is counted exactly as before.
    const withSurrogates = `${'😀'.repeat(300)} ${prose}`;
    assert.equal(await counter.count('b', { provider: 'openai', model: 'gpt-4o' }, prose + code), o200k(prose + code));
    assert.ok(Math.abs((await counter.count('c', { provider: 'openai', model: 'gpt-4o' }, withSurrogates)) - o200k(withSurrogates)) <= 3);
  });

  it('counts an OpenAI-compatible id that gpt-tokenizer knows exactly, an unknown one by estimate', async () => {
    const counter = await exactCounter();
    assert.equal(await counter.count('a', { provider: 'openai-compatible', model: 'openai/gpt-4o-mini' }, prose), o200k(prose));
    assert.equal(await counter.count('b', { provider: 'openai-compatible', model: 'qwen2.5-coder:7b' }, prose), Math.ceil(o200k(prose) * (SEED_RATIO['openai-compatible'] ?? 0)));
  });

  it('estimates Anthropic, Gemini and Ollama from the o200k count times the provider\'s seed ratio', async () => {
    const counter = await exactCounter();
    for (const provider of ['anthropic', 'gemini', 'ollama']) {
      assert.equal(await counter.count(provider, { provider, model: 'm' }, prose), Math.ceil(o200k(prose) * (SEED_RATIO[provider] ?? 0)), provider);
    }
  });

  it('calibrates an estimated model from the input tokens its provider reported, and leaves exact ones alone', async () => {
    const counter = await exactCounter();
    const claude = { provider: 'anthropic', model: 'claude-opus-4-6' };
    const request = { messages: [{ role: 'user' as const, content: prose }] };
    // The provider said the prompt was 1.3 times its o200k count.
    await counter.learn('claude', claude, request, { input: Math.round(o200k(prose) * 1.3), output: 5, cached: 0 });
    assert.equal(counter.ratio('claude', claude), Math.round(o200k(prose) * 1.3) / o200k(prose));
    assert.equal(await counter.count('claude', claude, code), Math.ceil(o200k(code) * counter.ratio('claude', claude)));
    const gpt = { provider: 'openai', model: 'gpt-4o' };
    await counter.learn('gpt', gpt, request, { input: o200k(prose) * 2, output: 5, cached: 0 });
    assert.equal(await counter.count('gpt', gpt, code), o200k(code));
  });

  it('ignores an odd usage report (a refusal, a cached prompt) and a request with images', async () => {
    const counter = await exactCounter();
    const model = { provider: 'gemini', model: 'gemini-2.5-flash' };
    await counter.learn('g', model, { messages: [{ role: 'user', content: prose }] }, { input: 1, output: 0, cached: 0 });
    await counter.learn('g', model, { messages: [{ role: 'user', content: prose, images: [{ mimeType: 'image/png', data: 'AAAA' }] }] }, { input: o200k(prose) * 2, output: 0, cached: 0 });
    assert.equal(counter.ratio('g', model), SEED_RATIO.gemini);
  });

  it('keeps at most CACHE_ENTRIES counts, dropping the least recently used first', async () => {
    const counter = await exactCounter();
    const model = { provider: 'openai', model: 'gpt-4o' };
    await counter.count('k', model, 'kept');
    for (let i = 0; i < CACHE_ENTRIES + 50; i++) {
      await counter.count('k', model, `text number ${String(i)}`);
      // Used again and again: stays the most recently used.
      if (i % 100 === 0) await counter.count('k', model, 'kept');
    }
    assert.equal(counter.cacheSize, CACHE_ENTRIES);
    assert.equal(await counter.count('k', model, 'kept'), o200k('kept'));
  });

  it('adds the provider\'s upper figure per image', () => {
    const counter = new TokenCounter();
    assert.equal(counter.imageTokens({ provider: 'anthropic', model: 'm' }, 2), 3200);
    assert.equal(counter.imageTokens({ provider: 'openai', model: 'gpt-4o' }, 1), 765);
  });
});

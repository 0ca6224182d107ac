import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import ranks from 'gpt-tokenizer/bpeRanks/o200k_base';

const root = resolve(__dirname, '..', '..', '..', '..');
const vendor = join(root, 'dist', 'vendor');

describe('the tokenizer the build ships in dist/vendor', () => {
  it('carries o200k\'s ranks as brotli-compressed JSON beside a small bundle, not as 2.7 MB of JavaScript', () => {
    // The bundle the token counter imports holds gpt-tokenizer's code only; the ranks are the compact file.
    assert.ok(statSync(join(vendor, 'tokenizer-o200k_base.js')).size < 100 * 1024, 'the ranks are still inside the JavaScript bundle');
    const packed = readFileSync(join(vendor, 'o200k_base.ranks.json.br'));
    assert.ok(packed.length < 850 * 1024, `${String(packed.length)} bytes`);
    // The very array gpt-tokenizer ships: every token, in rank order, byte arrays kept as arrays.
    assert.deepEqual(JSON.parse(brotliDecompressSync(packed).toString('utf8')), ranks);
  });

  it('counts with those ranks as gpt-tokenizer does, loading them from beside itself', async function () {
    this.timeout(120_000);
    const shipped = (await import(join(vendor, 'tokenizer-o200k_base.js'))) as { countTokens(text: string): number; encode(text: string): number[] };
    assert.equal(shipped.countTokens('hello world'), 2);
    // As gpt-tokenizer's own o200k_base module encodes it.
    assert.deepEqual(shipped.encode('Model Manager zählt 日本語 🙂'), [2239, 13415, 118598, 17428, 40909, 26192]);
  });
});

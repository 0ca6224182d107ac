import * as assert from 'node:assert/strict';
import { seeded } from '../../helpers/seeded';
import { redact } from '../../../src/core/http/redact';
import { SecretMatcher } from '../../../src/core/http/secretMatcher';
import { redactSecrets, StreamRedactor } from '../../../src/core/http/streamRedactor';

const KEY = 'sk-canary-attack-9Tq4Wz7Lp2Xv';

/** The text in random pieces through one redactor, flushed (as another kind of event forces) after some pieces. */
function withFlushes(text: string, secrets: readonly string[], random: () => number): string {
  const redactor = new StreamRedactor(secrets);
  let out = '';
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(random() * 9);
    out += redactor.push(text.slice(i, i + n));
    if (random() < 0.4) out += redactor.flush();
    i += n;
  }
  return out + redactor.flush();
}

/** The text one UTF-16 unit per delta. */
function streamedByChar(text: string, secrets: readonly string[]): string {
  const redactor = new StreamRedactor(secrets);
  let out = '';
  for (let i = 0; i < text.length; i++) out += redactor.push(text.charAt(i));
  return out + redactor.flush();
}

describe('StreamRedactor attacked (stream redactor attack)', () => {
  it('hides the rest of a key that goes on after a flush, so a flush gives out less than a piece of it', () => {
    const redactor = new StreamRedactor([KEY]);
    let out = '';
    for (let i = 0; i < KEY.length; i += 7) out += redactor.push(KEY.slice(i, i + 7)) + redactor.flush();
    assert.equal(out, `${KEY.slice(0, 7)}[redacted]`);
  });

  it('gives ordinary text back exactly as it came however often it is flushed, and holds nothing after a flush', () => {
    const random = seeded(7);
    const text = 'Skål! The sky is clear; a canary sang 9 times at 7:42, then "attack" was called off. ';
    for (let round = 0; round < 200; round++) assert.equal(withFlushes(text.repeat(2), [KEY], random), text.repeat(2));
    const redactor = new StreamRedactor([KEY]);
    assert.equal(redactor.push('ends with sk-can') + redactor.flush(), 'ends with sk-can');
    assert.equal(redactor.flush(), '');
    assert.equal(redactor.push(' and on.') + redactor.flush(), ' and on.');
  });

  it('hides every whole key whatever the pieces and flushes, writing each one stretch as one "[redacted]"', () => {
    const random = seeded(11);
    const text = `a ${KEY} b ${KEY.toUpperCase()} c`;
    for (let round = 0; round < 200; round++) {
      const out = withFlushes(text, [KEY], random);
      assert.match(out, /^a .{0,7}\[redacted\] b .{0,7}\[redacted\] c$/, out);
      assert.doesNotMatch(out, /attack-9|9Tq4Wz7L|\[redacted\]\[redacted\]/i, out);
    }
  });

  it('hides a short key (4 to 7 characters) in hex, percent-encoded and base64 in a stream, as redact() does in an error', () => {
    for (const key of ['Zq9!', 'a1B2c3', 'k3y-7Qx']) {
      const hex = Buffer.from(key).toString('hex');
      for (const form of [hex, hex.toUpperCase(), hex.replace(/(..)/g, '%$1')]) {
        const text = `echo: ${form} .`;
        assert.equal(redactSecrets(text, [key]), 'echo: [redacted] .', `${key} as ${form}`);
        assert.equal(streamedByChar(text, [key]), 'echo: [redacted] .', `${key} as ${form}, one character per delta`);
        assert.equal(redact(text, [key]), 'echo: [redacted] .', `${key} as ${form} (redact)`);
      }
    }
    // Seven bytes in base64: the nine characters that depend on the key alone are hidden, the padding stays.
    const base64 = Buffer.from('k3y-7Qx').toString('base64');
    assert.equal(redactSecrets(`echo: ${base64} .`, ['k3y-7Qx']), redact(`echo: ${base64} .`, ['k3y-7Qx']));
    assert.equal(redactSecrets(`echo: ${base64} .`, ['k3y-7Qx']), `echo: [redacted]${base64.slice(9)} .`);
  });

  it('hides a key with reserved characters (an AWS-style secret with "/" and "+") as encodeURIComponent writes it', () => {
    const key = 'wJalrXUt/K7MDENG+bPxRfiCY/EXAMPLEKEY';
    const text = `GET /v1/models?key=${encodeURIComponent(key)} failed`;
    const out = redactSecrets(text, [key]);
    assert.equal(out, 'GET /v1/models?key=[redacted] failed');
    assert.equal(streamedByChar(text, [key]), out);
  });

  it('hides a key with characters outside the Basic Multilingual Plane', () => {
    const key = 'key😀canary😀12345678';
    assert.equal(redactSecrets(`a ${key} b`, [key]), 'a [redacted] b');
    assert.equal(streamedByChar(`a ${key} b`, [key]), 'a [redacted] b');
  });

  it("leaves a key's public prefix (sk-proj-, sk-ant-api03-, sk-or-v1-, github_pat_) alone in ordinary text, and still hides the key", () => {
    const keys = ['sk-proj-Rk7Qz2Lm9Pw4Xt8Vb1', 'sk-ant-api03-Hq3Jx8Nc5Tw2Ky7Pd0', 'sk-or-v1-4f8a2c9e1b7d3f6a0c5e', 'github_pat_11ABCDEFG0123456789_xyz'];
    const prose = 'OpenAI project keys start with sk-proj-, Anthropic ones with sk-ant-api03-, OpenRouter ones with sk-or-v1- and GitHub tokens with github_pat_. ';
    for (const key of keys) {
      assert.equal(redactSecrets(prose, [key]), prose, key);
      assert.equal(streamedByChar(prose, [key]), prose, `${key}, one character per delta`);
      const echoed = redactSecrets(`your key ${key} works`, [key]);
      assert.doesNotMatch(echoed, new RegExp(key.slice(-12), 'i'), echoed);
      assert.match(echoed, /^your key \S*\[redacted\] works$/, echoed);
    }
  });

  it('keeps a matcher of a long secret (a 4 KB cookie or token header) to a few dozen strings per character, and still hides pieces of it', () => {
    const random = seeded(3);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const secret = Array.from({ length: 4096 }, () => alphabet.charAt(Math.floor(random() * alphabet.length))).join('');
    const matcher = new SecretMatcher(secret);
    // Every piece of every form shorter than its window was kept before: some 200 strings per character.
    assert.ok(matcher.storedStrings < 50 * secret.length, `${String(matcher.storedStrings)} strings`);
    const piece = secret.slice(2000, 2012);
    assert.equal(redactSecrets(`x ${piece} y ${Buffer.from(piece).toString('hex')} z`, [secret]), 'x [redacted] y [redacted] z');
    const redactor = new StreamRedactor([secret]);
    let out = '';
    for (const c of `x ${piece} y`) out += redactor.push(c);
    assert.equal(out + redactor.flush(), 'x [redacted] y');
  });
});

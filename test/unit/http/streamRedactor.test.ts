import * as assert from 'node:assert/strict';
import { seeded } from '../../helpers/seeded';
import { redactSecrets, StreamRedactor } from '../../../src/core/http/streamRedactor';
import { FRAGMENT_BYTES, SecretMatcher } from '../../../src/core/http/secretMatcher';

const KEY = 'sk-canary-stream-7Qx2Lm9Pz4Rt8Vw1';

/** The text in random pieces (one character at a time among them), through a redactor, then its flush. */
function streamed(text: string, secrets: readonly string[], random: () => number, maxPiece: number): { out: string; pieces: number; emptyOutputs: number } {
  const redactor = new StreamRedactor(secrets);
  let out = '';
  let pieces = 0;
  let emptyOutputs = 0;
  for (let i = 0; i < text.length; pieces++) {
    const n = 1 + Math.floor(random() * maxPiece);
    const given = redactor.push(text.slice(i, i + n));
    if (given === '') emptyOutputs++;
    out += given;
    i += n;
  }
  return { out: out + redactor.flush(), pieces, emptyOutputs };
}

/** Every FRAGMENT_BYTES-long piece of the key, any case: none may be left in what was given out. */
function leaked(out: string, key = KEY): string | undefined {
  const folded = out.toLowerCase();
  for (let i = 0; i + FRAGMENT_BYTES <= key.length; i++) {
    const piece = key.slice(i, i + FRAGMENT_BYTES).toLowerCase();
    if (folded.includes(piece)) return piece;
  }
  return undefined;
}

describe('hiding a key in text that streams in pieces (StreamRedactor)', () => {
  const forms: Record<string, string> = {
    'as is': KEY,
    'without its prefix': KEY.slice(3),
    'upper-cased': KEY.toUpperCase(),
    'in hex': Buffer.from(KEY).toString('hex'),
    'in base64': Buffer.from(`user:${KEY}`).toString('base64'),
    'percent-encoded byte by byte': Buffer.from(KEY).toString('hex').replace(/(..)/g, '%$1'),
  };

  for (const [name, form] of Object.entries(forms)) {
    it(`hides the key ${name}, however the stream splits it (one character per delta too)`, () => {
      const random = seeded(name.length * 7919);
      const text = `Your key is ${form}, and again: ${form}. Done.`;
      for (let round = 0; round < 200; round++) {
        const { out } = streamed(text, [KEY], random, round % 4 === 0 ? 1 : 12);
        const plainPiece = name === 'in hex' || name.startsWith('percent') ? leakedHex(out) : name === 'in base64' ? leakedBase64(out) : leaked(out);
        assert.equal(plainPiece, undefined, `round ${String(round)} gave out a piece of the key: ${out}`);
        assert.match(out, /^Your key is .*\[redacted\].*, and again: .*\[redacted\].*\. Done\.$/);
      }
    });
  }

  it('gives ordinary text back exactly as it came, whatever the splits, and keeps text that only looks like a key', () => {
    const random = seeded(42);
    const text = 'Set OPENAI_API_KEY=sk-your-key-here (an example), then run `npm start`. Skål! 7Qx2 is not a key. ';
    for (let round = 0; round < 300; round++) {
      assert.equal(streamed(text.repeat(3), [KEY], random, round % 3 === 0 ? 1 : 9).out, text.repeat(3));
    }
  });

  it('holds back no more than a piece of a key: each delta of ordinary text gives out all but its last few characters', () => {
    const matcher = new SecretMatcher(KEY);
    const redactor = new StreamRedactor([KEY]);
    let given = '';
    for (const word of ['Hello', ' there', ', how', ' are', ' you', ' doing', ' today?']) {
      given += redactor.push(word);
      const sent = ['Hello', ' there', ', how', ' are', ' you', ' doing', ' today?'].join('').slice(0, given.length);
      assert.equal(given, sent);
    }
    assert.ok(given.length >= 'Hello there, how are you doing today?'.length - matcher.maxHold, given);
    assert.equal(given + redactor.flush(), 'Hello there, how are you doing today?');
  });

  it('writes a key split over many deltas as one "[redacted]", and an endless key holds no more than a piece', () => {
    const redactor = new StreamRedactor([KEY]);
    let out = '';
    let longestHeld = 0;
    let sent = 0;
    for (let i = 0; i < 50; i++) {
      for (const c of KEY) {
        out += redactor.push(c);
        sent++;
        longestHeld = Math.max(longestHeld, sent - out.replace(/\[redacted\]/g, '').length);
      }
    }
    out += redactor.flush();
    assert.equal(out, '[redacted]');
    assert.ok(new SecretMatcher(KEY).maxHold < 24, 'a piece is at most 8 bytes percent-encoded');
  });

  it('passes text through untouched when there is no secret, or only one too short to hide', () => {
    assert.equal(new StreamRedactor([]).push('sk-anything'), 'sk-anything');
    assert.equal(new StreamRedactor(['abc']).active, false);
    assert.equal(redactSecrets('a short key 12345 here', ['12345']), 'a short key [redacted] here');
  });
});

function leakedHex(out: string): string | undefined {
  const hex = Buffer.from(KEY).toString('hex');
  const flat = out.replace(/%/g, '').toLowerCase();
  for (let i = 0; i + FRAGMENT_BYTES * 2 <= hex.length; i += 2) if (flat.includes(hex.slice(i, i + FRAGMENT_BYTES * 2))) return hex.slice(i, i + FRAGMENT_BYTES * 2);
  return leaked(out);
}

function leakedBase64(out: string): string | undefined {
  const encoded = Buffer.from(`user:${KEY}`).toString('base64');
  // The base64 characters that depend on the key alone: any 12 of them in a row would give 8 bytes of it.
  for (let i = 8; i + 12 <= encoded.length - 4; i++) if (out.includes(encoded.slice(i, i + 12))) return encoded.slice(i, i + 12);
  return leaked(out);
}

import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { badgeForPage, fitText, textPieces } from '../../../src/core/chat';
import { CHAT_TEXT_MAX, chatBadgeSchema, chatNotificationSchema } from '../../../src/protocol/chat';

describe('chat text fitted to what the chat page\'s protocol carries', () => {
  it('keeps a text within the limit as it is, and cuts a longer one to the limit with a note of how much was left out', () => {
    assert.equal(fitText('short', 10), 'short');
    const note = (left: number): string => ` [${String(left)} more]`;
    const fitted = fitText('a'.repeat(300_000), CHAT_TEXT_MAX, note);
    assert.equal(fitted.length <= CHAT_TEXT_MAX, true);
    const kept = fitted.indexOf(' [');
    assert.equal(fitted.slice(kept), ` [${String(300_000 - kept)} more]`, 'the note counts exactly what is not shown');
    assert.equal(fitText('abcdefghij', 5), 'abcd…');
  });

  it('never cuts or splits a character in two (a surrogate pair stays whole)', () => {
    const emoji = '😀'.repeat(10); // two UTF-16 units each
    const fitted = fitText(emoji, 6);
    assert.equal(fitted, '😀😀…');
    const pieces = textPieces(emoji, 5);
    assert.equal(pieces.join(''), emoji);
    for (const piece of pieces) {
      assert.ok(piece.length <= 5);
      assert.ok(!/[\ud800-\udbff]$/.test(piece), `a piece ends in half a character: ${JSON.stringify(piece)}`);
    }
  });

  it('splits a streamed delta longer than one message into deltas the page accepts, which join back to the text', () => {
    const text = 'x'.repeat(450_001);
    const pieces = textPieces(text);
    assert.deepEqual(pieces.map((p) => p.length), [CHAT_TEXT_MAX, CHAT_TEXT_MAX, 50_001]);
    assert.equal(pieces.join(''), text);
    for (const piece of pieces) assert.ok(z.safeParse(chatNotificationSchema, { kind: 'notification', event: 'delta', turnId: 't', text: piece }).success);
    assert.deepEqual(textPieces(''), []);
  });

  it('fits a badge whose model id, fallback reason and summary are any length, keeping its figures', () => {
    const long = 'y'.repeat(20_000);
    const badge = { configuration: long, model: long, fallbackReason: long, summary: long, latencyMs: 12, inputTokens: 3, outputTokens: 4 };
    assert.ok(!z.safeParse(chatBadgeSchema, badge).success, 'the badge as it came would be dropped by the page');
    const fitted = badgeForPage(badge);
    assert.ok(z.safeParse(chatBadgeSchema, fitted).success);
    assert.deepEqual([fitted.latencyMs, fitted.inputTokens, fitted.outputTokens], [12, 3, 4]);
    assert.ok(fitted.model.startsWith('yyy') && fitted.model.endsWith('…'));
  });
});

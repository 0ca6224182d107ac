// Text for Model Manager Chat's page, cut or split to what its protocol carries: one field over its limit drops the whole message.
import { CHAT_LABEL_MAX, CHAT_NOTE_MAX, CHAT_SUMMARY_MAX, CHAT_TEXT_MAX } from '../../protocol/chat';
import type { StoredBadge } from './conversations';

/** Where a cut at `at` would leave half of a surrogate pair, one character earlier. */
function cutPoint(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  const before = text.charCodeAt(at - 1);
  return before >= 0xd800 && before <= 0xdbff ? at - 1 : at;
}

/**
 * `text` in at most `max` characters: a longer one keeps its start and ends with `note(how many were left out)`
 * (an ellipsis by default), never in the middle of a character.
 */
export function fitText(text: string, max: number, note: (leftOut: number) => string = () => '…'): string {
  if (text.length <= max) return text;
  // The note for the whole length is the longest it can be, so the cut leaves room for whichever note is written.
  const keep = cutPoint(text, max - note(text.length).length);
  const fitted = text.slice(0, keep) + note(text.length - keep);
  return fitted.length <= max ? fitted : text.slice(0, cutPoint(text, max));
}

/** `text` in pieces of at most `max` characters (a stream's delta may be longer than one message carries). */
export function textPieces(text: string, max = CHAT_TEXT_MAX): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.length - start <= max ? text.length : cutPoint(text, start + max);
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** A badge whose names, reason and summary fit the chat protocol (a model id or a provider's error can be any length). */
export function badgeForPage<B extends StoredBadge>(badge: B): B {
  return {
    ...badge,
    ...(badge.configuration === undefined ? {} : { configuration: fitText(badge.configuration, CHAT_LABEL_MAX) }),
    ...(badge.model === undefined ? {} : { model: fitText(badge.model, CHAT_LABEL_MAX) }),
    ...(badge.fallbackReason === undefined ? {} : { fallbackReason: fitText(badge.fallbackReason, CHAT_NOTE_MAX) }),
    summary: fitText(badge.summary, CHAT_SUMMARY_MAX),
  };
}

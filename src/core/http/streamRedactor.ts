import { REDACTED, renderCovered } from './redact';
import { matcherFor, type SecretMatcher } from './secretMatcher';

/** Secrets shorter than this are not hidden (redact() skips them too): they would shred ordinary words. */
const MIN_SECRET = 4;

/**
 * Hides secrets in text that arrives in pieces (an answer streamed delta by delta), including a key a hostile server
 * splits across deltas, one character per delta at worst. It holds back only what could be the start of a piece of a
 * secret (fewer characters than a piece, until the next delta shows whether it is one), so ordinary text streams as it
 * comes and an endless stream holds no more than that. Ordinary text that merely looks like a key ("sk-…" in an example) is
 * left alone: only the configured secrets are hidden.
 */
export class StreamRedactor {
  private readonly matchers: readonly SecretMatcher[];
  /**
   * Text already given out that a piece of a key at the end may have started in (after a flush, which gives out what
   * was held): the next delta is matched against it too, so a key split by other events is hidden from there on.
   */
  private given = '';
  /** Text held back, at most a window short of one character, and which of its characters are already known secret. */
  private carry = '';
  private carryMask = new Uint8Array(0);
  /** The last text given out ended with "[redacted]": a stretch that goes on in the next delta is not marked twice. */
  private endedRedacted = false;

  constructor(secrets: readonly string[]) {
    this.matchers = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET).map(matcherFor);
  }

  /** Whether there is anything to hide: a stream without secrets passes its text through untouched. */
  get active(): boolean {
    return this.matchers.length > 0;
  }

  /**
   * The part of `text` (after what was held back) that is safe to give out now. `after` is the text that came just
   * before in another stream (the reasoning before the answer): a key dealt out between the two is matched across.
   */
  push(text: string, after = ''): string {
    if (!this.active) return text;
    const all = this.given + this.carry + text;
    const from = this.given.length;
    const covered = this.coverage(all, from);
    if (after !== '' && this.carry === '') this.coverAfter(after, text, covered, from);
    const start = all.length - this.heldSuffix(all);
    const cut = Math.max(from, start);
    this.given = all.slice(Math.min(start, cut), cut);
    this.carry = all.slice(cut);
    this.carryMask = covered.slice(cut);
    return this.render(all, covered, from, cut);
  }

  /**
   * What is still held, hidden where it is a secret: the stream has ended, or another kind of event must come next.
   * Text pushed after a flush goes on from what it gave out.
   */
  flush(): string {
    const all = this.given + this.carry;
    const from = this.given.length;
    const covered = this.coverage(all, from);
    this.given = all.slice(all.length - this.heldSuffix(all));
    this.carry = '';
    this.carryMask = new Uint8Array(0);
    return this.render(all, covered, from, all.length);
  }

  /** How many characters at the end of `all` could start a piece of a secret. */
  private heldSuffix(all: string): number {
    let held = 0;
    for (const m of this.matchers) held = Math.max(held, m.heldSuffix(all));
    return held;
  }

  /** Which characters are secret: those the held text was already known to be, and every window found now. */
  private coverage(all: string, carryAt: number): Uint8Array {
    const covered = new Uint8Array(all.length);
    covered.set(this.carryMask, carryAt);
    for (const m of this.matchers) m.cover(all, covered);
    return covered;
  }

  /** Marks the characters of `text` (at `at` in `covered`) that a window starting in `after` reaches. */
  private coverAfter(after: string, text: string, covered: Uint8Array, at: number): void {
    const joined = after + text;
    const mask = new Uint8Array(joined.length);
    for (const m of this.matchers) m.cover(joined, mask);
    for (let i = 0; i < text.length; i++) if (mask[after.length + i] === 1) covered[at + i] = 1;
  }

  /** The characters from `from` (the first not given out yet) to `cut`, each covered stretch as one "[redacted]". */
  private render(all: string, covered: Uint8Array, from: number, cut: number): string {
    if (cut === from) return '';
    let out = renderCovered(all, covered, from, cut);
    if (this.endedRedacted && covered[from] === 1) out = out.slice(REDACTED.length);
    this.endedRedacted = covered[cut - 1] === 1;
    return out;
  }
}

/** Hides the secrets in a text that arrives whole (a tool call's arguments, a finish reason). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const redactor = new StreamRedactor(secrets);
  return redactor.push(text) + redactor.flush();
}

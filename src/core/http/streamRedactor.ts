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

  /** The part of `text` (after what was held back) that is safe to give out now. */
  push(text: string): string {
    if (!this.active) return text;
    const all = this.carry + text;
    const covered = this.coverage(all);
    let held = 0;
    for (const m of this.matchers) held = Math.max(held, m.heldSuffix(all));
    const cut = all.length - held;
    this.carry = all.slice(cut);
    this.carryMask = covered.slice(cut);
    return this.render(all, covered, cut);
  }

  /** What is still held, hidden where it is a secret: the stream has ended. */
  flush(): string {
    const all = this.carry;
    const covered = this.coverage(all);
    this.carry = '';
    this.carryMask = new Uint8Array(0);
    return this.render(all, covered, all.length);
  }

  /** Which characters are secret: those the held text was already known to be, and every window found now. */
  private coverage(all: string): Uint8Array {
    const covered = new Uint8Array(all.length);
    covered.set(this.carryMask);
    for (const m of this.matchers) m.cover(all, covered);
    return covered;
  }

  private render(all: string, covered: Uint8Array, cut: number): string {
    if (cut === 0) return '';
    let out = renderCovered(all, covered, 0, cut);
    if (this.endedRedacted && covered[0] === 1) out = out.slice(REDACTED.length);
    this.endedRedacted = covered[cut - 1] === 1;
    return out;
  }
}

/** Hides the secrets in a text that arrives whole (a tool call's arguments, a finish reason). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const redactor = new StreamRedactor(secrets);
  return redactor.push(text) + redactor.flush();
}

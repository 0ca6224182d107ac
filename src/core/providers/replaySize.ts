import type { ReasoningReplay } from './types';

/**
 * The most characters of reasoning kept to send back in a tool loop (about 16 MB of UTF-16): far above any answer's
 * thinking budget, so it only stops an endless or hostile reasoning stream from exhausting the extension host's memory.
 */
export const KEPT_REASONING_CHARS = 8_000_000;

/** Characters a replay holds: every string in its blocks (thinking text, signatures, redacted data, type names). */
export function replayChars(replay: ReasoningReplay): number {
  let chars = 0;
  for (const block of replay.blocks) {
    for (const value of Object.values(block)) if (typeof value === 'string') chars += value.length;
  }
  return chars;
}

// Exact token counts of text that may hold long runs without a break, in time that grows linearly.
/** A run without whitespace longer than this is counted in slices of this length (a token is rarely over 30 characters). */
const MAX_RUN = 200;
const LONG_RUN = new RegExp(`\\S{${String(MAX_RUN)},}`, 'gu');

/**
 * The encoder's count, with every run of more than MAX_RUN characters without whitespace counted slice by slice: the
 * encoder merges a run as one piece, in time that grows faster than its square (80,000 letters took 27 s of the
 * extension host), so a pasted blob or a hostile request to the local endpoint would freeze it. Text with breaks
 * counts exactly as before; a long run may differ by a token per slice.
 */
export function countInRuns(countTokens: (text: string) => number, text: string): number {
  let total = 0;
  let from = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    total += from < match.index ? countTokens(text.slice(from, match.index)) : 0;
    const run = match[0];
    for (let start = 0; start < run.length; ) {
      let end = Math.min(start + MAX_RUN, run.length);
      // Never between the two halves of a surrogate pair.
      if (end < run.length && /[\uD800-\uDBFF]/.test(run.charAt(end - 1))) end++;
      total += countTokens(run.slice(start, end));
      start = end;
    }
    from = match.index + run.length;
  }
  return from === 0 ? countTokens(text) : total + (from < text.length ? countTokens(text.slice(from)) : 0);
}


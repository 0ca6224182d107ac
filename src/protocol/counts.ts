// How a count and its noun are written, in the host, the core and the webview alike: "1 request", "3 requests".

/** "1 request", "2 requests", "1,204 requests"; `many` for nouns whose plural is not the singular plus "s". */
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** The noun alone, agreeing with a count written elsewhere (a formatted figure such as "1,204"). */
export function nounFor(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/**
 * A bound as a person reads it: JavaScript's largest safe whole number (the seed's range) is "2^53 − 1", not
 * 9007199254740991, and the smallest "−(2^53 − 1)".
 */
export function boundText(value: number): string {
  if (value === Number.MAX_SAFE_INTEGER) return '2^53 − 1';
  if (value === Number.MIN_SAFE_INTEGER) return '−(2^53 − 1)';
  return String(value);
}

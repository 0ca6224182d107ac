/** What a probe returns while its condition does not hold yet. */
type NotYet = undefined | false;

export interface UntilOptions {
  /** How long to keep asking; default 10 s, generous for a loaded 2-core machine. */
  readonly timeoutMs?: number;
  /** The pause between two questions; default 25 ms. */
  readonly intervalMs?: number;
}

/**
 * The one polling loop of the tests: asks `probe` until it returns something other than `undefined` or `false`, and
 * returns that; fails naming `what` after the timeout. Measured on the monotonic clock, so a shifted or stepped wall
 * clock (faketime, the tests' injected clocks) cannot stretch or cut the wait.
 */
export async function until<T>(what: string, probe: () => T | NotYet | Promise<T | NotYet>, options: UntilOptions | number = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 25 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`Timed out after ${String(timeoutMs)} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

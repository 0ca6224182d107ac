/**
 * Holds what the host says to a page until the page has loaded and said `ready`, then delivers it in order. Closed
 * again whenever the page is replaced (its HTML set again, or a hidden page discarded), so nothing is posted into a
 * page that is not listening; what waits meanwhile goes to the next page.
 */
export class ReadyGate<T> {
  private readonly queue: T[] = [];
  private keys = new Set<string>();
  private version: number | undefined;
  private opened!: Promise<number>;
  private resolveOpened!: (version: number) => void;

  constructor(
    private readonly deliver: (message: T) => void,
    /** The most messages kept for a page not ready yet; the oldest go first (the page loads fresh state anyway). */
    private readonly maxQueued = 100,
  ) {
    this.close();
  }

  get isOpen(): boolean {
    return this.version !== undefined;
  }

  /** Resolves with the page's protocol version once the current page is ready. */
  whenOpen(): Promise<number> {
    return this.opened;
  }

  /** Delivers now if the page listens, else keeps it (once: the same message twice is one message) until it does. */
  send(message: T): void {
    if (this.version !== undefined) {
      this.deliver(message);
      return;
    }
    const key = JSON.stringify(message);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.queue.push(message);
    if (this.queue.length > this.maxQueued) this.keys.delete(JSON.stringify(this.queue.shift()));
  }

  /** The page said `ready`: what waited is delivered first, in order, then the waiters learn the page is ready. */
  open(version: number): void {
    if (this.version !== undefined) return;
    this.version = version;
    const waiting = this.queue.splice(0);
    this.keys = new Set();
    for (const message of waiting) this.deliver(message);
    this.resolveOpened(version);
  }

  /** A new page is loading: nothing is delivered until it says `ready`. */
  reset(): void {
    if (this.version === undefined) return;
    this.close();
  }

  private close(): void {
    this.version = undefined;
    this.opened = new Promise((resolve) => (this.resolveOpened = resolve));
  }
}

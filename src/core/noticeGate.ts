/**
 * A notice shown once at a time, and not at all while muted: for the "stored API keys cannot be opened" notice, which
 * many paths meet at once (the store opening, the tree, VS Code's chat listing models, the editor's requests) and
 * which must not come back while the start-over the user chose from it is under way.
 */
export class NoticeGate {
  private open: Promise<unknown> | undefined;
  private muted = 0;

  /** Shows the notice with `show` unless one is already open or the gate is muted (then: undefined). */
  async show<T>(show: () => PromiseLike<T | undefined>): Promise<T | undefined> {
    if (this.open || this.muted > 0) return undefined;
    const shown = Promise.resolve(show());
    this.open = shown;
    try {
      return await shown;
    } finally {
      if (this.open === shown) this.open = undefined;
    }
  }

  /** Runs `run` with the notice held back for its whole length. */
  async whileMuted<T>(run: () => Promise<T>): Promise<T> {
    this.muted++;
    try {
      return await run();
    } finally {
      this.muted--;
    }
  }
}

const slot = Symbol.for('model-manager.key-notice-gate');

/**
 * The extension host's one gate for the key notice. It is kept on globalThis, not in a module variable: the activation
 * bundle and the commands bundle each carry a copy of this module, and both must see the same gate.
 */
export function keyNoticeGate(): NoticeGate {
  const global = globalThis as { [slot]?: NoticeGate | undefined };
  const gate = global[slot] ?? new NoticeGate();
  global[slot] = gate;
  return gate;
}

/**
 * The "stored API keys cannot be opened" notice, shown once at a time. Many paths meet locked keys at once (the
 * store opening, the tree, VS Code's chat listing models, the editor's requests): the user needs one notice with its
 * way out, not a stack of the same one. While a start-over is under way (the user has just answered the notice),
 * none is shown: the keys it replaces are about to be gone.
 */
let open: Promise<unknown> | undefined;
let muted = 0;

/** Shows the notice with `show` unless one is already open or a start-over is under way (then: undefined). */
export async function showKeyNotice<T>(show: () => Thenable<T | undefined>): Promise<T | undefined> {
  if (open || muted > 0) return undefined;
  const shown = Promise.resolve(show());
  open = shown;
  try {
    return await shown;
  } finally {
    if (open === shown) open = undefined;
  }
}

/** Runs a start-over with the notice held back for its whole length. */
export async function withKeyNoticesMuted<T>(run: () => Promise<T>): Promise<T> {
  muted++;
  try {
    return await run();
  } finally {
    muted--;
  }
}

import { DisposableStore, toDisposable, type IDisposable } from './lifecycle';

/** Called with each session as it opens; what it adds to `scope` is released when that session closes. */
export type SessionWatcher<S> = (session: S, scope: DisposableStore) => void;

/**
 * The watchers of a reopenable session: each runs for the session open when it subscribes and again for every one
 * opened later, and what it subscribed to the previous session is released first. One watcher that throws is
 * reported and does not keep the others from running.
 */
export class SessionScopes<S> implements IDisposable {
  private readonly watchers = new Set<{ readonly fn: SessionWatcher<S>; readonly scope: DisposableStore }>();
  private disposed = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  watch(current: S | undefined, fn: SessionWatcher<S>): IDisposable {
    if (this.disposed) return toDisposable(() => undefined);
    const watcher = { fn, scope: new DisposableStore() };
    this.watchers.add(watcher);
    if (current !== undefined) this.run(watcher, current);
    return toDisposable(() => {
      this.watchers.delete(watcher);
      this.end(watcher.scope);
    });
  }

  /** A session opened: every watcher lets go of the last one and runs for this one. */
  opened(session: S): void {
    for (const watcher of [...this.watchers]) {
      // An earlier watcher may have unsubscribed this one (a view closed as the store reopened).
      if (!this.watchers.has(watcher)) continue;
      this.release(watcher.scope);
      this.run(watcher, session);
    }
  }

  /** The session closed: every watcher lets go of what it held on it. */
  closed(): void {
    for (const watcher of this.watchers) this.release(watcher.scope);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const watcher of this.watchers) this.end(watcher.scope);
    this.watchers.clear();
  }

  private run(watcher: { readonly fn: SessionWatcher<S>; readonly scope: DisposableStore }, session: S): void {
    try {
      watcher.fn(session, watcher.scope);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Releases a watcher's scope for good: what it adds later (after an await) is released at once, not held. */
  private end(scope: DisposableStore): void {
    try {
      scope.dispose();
    } catch (error) {
      this.onError(error);
    }
  }

  private release(scope: DisposableStore): void {
    try {
      scope.clear();
    } catch (error) {
      this.onError(error);
    }
  }
}

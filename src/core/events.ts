import type { IDisposable } from './lifecycle';

/** What a listener that threw is reported to; the other listeners still get the event. */
export type ListenerErrorHandler = (error: unknown) => void;

const reportToConsole: ListenerErrorHandler = (error) => {
  console.error('A listener failed:', error);
};

/**
 * An event source shared by the core services (core cannot use vscode.EventEmitter). Each listener is called in its
 * own try/catch: one that throws is reported and the rest still hear the event.
 */
export class Emitter<T> implements IDisposable {
  private readonly listeners = new Set<{ readonly fn: (event: T) => void }>();
  private disposed = false;

  constructor(private readonly onListenerError: ListenerErrorHandler = reportToConsole) {}

  readonly event = (listener: (event: T) => void): IDisposable => {
    if (this.disposed) return { dispose: () => undefined };
    const entry = { fn: listener };
    this.listeners.add(entry);
    return {
      dispose: () => {
        this.listeners.delete(entry);
      },
    };
  };

  fire(event: T): void {
    for (const entry of [...this.listeners]) {
      // A listener an earlier one removed during this fire (its owner disposed) hears nothing more.
      if (!this.listeners.has(entry)) continue;
      try {
        entry.fn(event);
      } catch (error) {
        try {
          this.onListenerError(error);
        } catch {
          // A failing reporter must not stop the delivery either.
        }
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

export type Event<T> = Emitter<T>['event'];

/** Anything that holds a resource (a subscription, a timer, a handle) until it is disposed. */
export interface IDisposable {
  dispose(): void;
}

/** Wraps a clean-up function; calling dispose() more than once runs it once. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Disposes each one even when an earlier one throws; the first error is thrown afterwards. */
export function disposeAll(disposables: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const d of disposables) {
    try {
      d.dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several resources failed to dispose.');
}

/** A bag of disposables released together; anything added after the bag was disposed is released at once. */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Releases what it holds and stays usable (a new session's subscriptions go into the same bag). */
  clear(): void {
    const items = [...this.items];
    this.items.clear();
    disposeAll(items);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** Holds one disposable at a time: setting a new one disposes the one it replaces. */
export class MutableDisposable<T extends IDisposable> implements IDisposable {
  private current: T | undefined;
  private disposed = false;

  get value(): T | undefined {
    return this.current;
  }

  set value(next: T | undefined) {
    if (this.disposed) {
      next?.dispose();
      return;
    }
    if (next === this.current) return;
    const previous = this.current;
    this.current = next;
    previous?.dispose();
  }

  /** Disposes the held value and holds nothing, staying usable. */
  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const previous = this.current;
    this.current = undefined;
    previous?.dispose();
  }
}

/** A base for classes that own resources: register each as it is made, and dispose() releases them all once. */
export abstract class Disposable implements IDisposable {
  private readonly owned = new DisposableStore();

  protected _register<T extends IDisposable>(item: T): T {
    return this.owned.add(item);
  }

  protected get isDisposed(): boolean {
    return this.owned.isDisposed;
  }

  dispose(): void {
    this.owned.dispose();
  }
}

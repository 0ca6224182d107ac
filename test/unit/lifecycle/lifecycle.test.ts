import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/events';
import { Disposable, DisposableStore, MutableDisposable, disposeAll, toDisposable, type IDisposable } from '../../../src/core/lifecycle';
import { SessionScopes } from '../../../src/core/sessionScopes';

/** A disposable that counts how often it was disposed. */
function counted(): IDisposable & { count: number } {
  const d = { count: 0, dispose: () => { d.count++; } };
  return d;
}

describe('the lifecycle kit', () => {
  it('toDisposable runs its clean-up once however often it is disposed', () => {
    let runs = 0;
    const d = toDisposable(() => { runs++; });
    d.dispose();
    d.dispose();
    assert.equal(runs, 1);
  });

  it('a DisposableStore disposes everything once, even past one that throws, and then the error', () => {
    const store = new DisposableStore();
    const first = store.add(counted());
    store.add(toDisposable(() => { throw new Error('boom'); }));
    const last = store.add(counted());
    assert.throws(() => { store.dispose(); }, /boom/);
    store.dispose();
    assert.deepEqual([first.count, last.count], [1, 1]);
    assert.equal(store.isDisposed, true);
  });

  it('a DisposableStore releases at once what is added after it was disposed (no leak)', () => {
    const store = new DisposableStore();
    store.dispose();
    const late = store.add(counted());
    assert.equal(late.count, 1);
  });

  it('a cleared DisposableStore released its contents and keeps taking new ones', () => {
    const store = new DisposableStore();
    const before = store.add(counted());
    store.clear();
    const after = store.add(counted());
    assert.deepEqual([before.count, after.count], [1, 0]);
    store.dispose();
    assert.equal(after.count, 1);
  });

  it('disposeAll throws every error together when several fail', () => {
    const failing = (message: string) => toDisposable(() => { throw new Error(message); });
    assert.throws(() => { disposeAll([failing('a'), counted(), failing('b')]); }, (error: unknown) => error instanceof AggregateError && error.errors.length === 2);
  });

  it('a MutableDisposable disposes the value it replaces, and what it is given after it was disposed', () => {
    const holder = new MutableDisposable<IDisposable & { count: number }>();
    const first = counted();
    const second = counted();
    holder.value = first;
    holder.value = first;
    assert.equal(first.count, 0, 'setting the same value again keeps it');
    holder.value = second;
    assert.deepEqual([first.count, second.count], [1, 0]);
    holder.dispose();
    holder.dispose();
    assert.equal(second.count, 1);
    assert.equal(holder.value, undefined);
    const late = counted();
    holder.value = late;
    assert.equal(late.count, 1);
  });

  it('a Disposable subclass releases what it registered, once', () => {
    const owned = counted();
    class Owner extends Disposable {
      constructor() {
        super();
        this._register(owned);
      }
    }
    const owner = new Owner();
    owner.dispose();
    owner.dispose();
    assert.equal(owned.count, 1);
  });
});

describe('the event emitter', () => {
  it('delivers to every listener when one throws, and reports the error', () => {
    const reported: unknown[] = [];
    const emitter = new Emitter<number>((error) => reported.push(error));
    const heard: string[] = [];
    emitter.event((n) => heard.push(`first ${String(n)}`));
    emitter.event(() => { throw new Error('listener failed'); });
    emitter.event((n) => heard.push(`last ${String(n)}`));
    emitter.fire(1);
    assert.deepEqual(heard, ['first 1', 'last 1']);
    assert.equal(reported.length, 1);
    assert.match(String(reported[0]), /listener failed/);
  });

  it('keeps delivering when the error reporter itself throws', () => {
    const emitter = new Emitter<void>(() => { throw new Error('reporter failed'); });
    let heard = 0;
    emitter.event(() => { throw new Error('listener failed'); });
    emitter.event(() => { heard++; });
    emitter.fire();
    assert.equal(heard, 1);
  });

  it('stops delivering to a removed listener, and to all after dispose (which may be called twice)', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    const subscription = emitter.event((n) => heard.push(n));
    emitter.fire(1);
    subscription.dispose();
    subscription.dispose();
    emitter.fire(2);
    emitter.event((n) => heard.push(n * 10));
    emitter.dispose();
    emitter.dispose();
    emitter.fire(3);
    emitter.event((n) => heard.push(n * 100)).dispose();
    emitter.fire(4);
    assert.deepEqual(heard, [1]);
  });
});

describe('following a reopenable session (onSession)', () => {
  it('runs for the open session and each reopen, releasing what it held on the previous one', () => {
    const scopes = new SessionScopes<string>((error) => { throw error; });
    const held: (IDisposable & { count: number })[] = [];
    const seen: string[] = [];
    const watch = scopes.watch('first', (session, scope) => {
      seen.push(session);
      held.push(scope.add(counted()));
    });
    scopes.opened('second');
    assert.deepEqual(seen, ['first', 'second']);
    assert.deepEqual(held.map((d) => d.count), [1, 0]);
    scopes.closed();
    assert.deepEqual(held.map((d) => d.count), [1, 1]);
    scopes.opened('third');
    watch.dispose();
    assert.deepEqual(held.map((d) => d.count), [1, 1, 1]);
    scopes.opened('fourth');
    assert.deepEqual(seen, ['first', 'second', 'third']);
  });

  it('waits for a session when none is open, and one failing watcher does not stop the others', () => {
    const reported: unknown[] = [];
    const scopes = new SessionScopes<string>((error) => reported.push(error));
    const seen: string[] = [];
    scopes.watch(undefined, () => { throw new Error('watcher failed'); });
    scopes.watch(undefined, (session) => seen.push(session));
    assert.deepEqual(seen, []);
    scopes.opened('first');
    assert.deepEqual(seen, ['first']);
    assert.equal(reported.length, 1);
    scopes.dispose();
    scopes.opened('second');
    assert.deepEqual(seen, ['first']);
  });

  it('does not run a watcher that another one unsubscribed while a session was opening, nor leave its subscriptions held', () => {
    const scopes = new SessionScopes<string>((error) => { throw error; });
    const held: (IDisposable & { count: number })[] = [];
    const seen: string[] = [];
    // The first watcher closes a view whose watcher comes after it (a panel disposed when the store reopens).
    scopes.watch(undefined, (session) => { if (session === 'second') second.dispose(); });
    const second = scopes.watch(undefined, (session, scope) => {
      seen.push(session);
      held.push(scope.add(counted()));
    });
    scopes.opened('first');
    scopes.opened('second');
    assert.deepEqual(seen, ['first']);
    assert.deepEqual(held.map((d) => d.count), [1]);
  });

  it('releases at once what a watcher adds to its scope after it was unsubscribed', () => {
    const scopes = new SessionScopes<string>((error) => { throw error; });
    let later: ((d: IDisposable) => void) | undefined;
    const watch = scopes.watch('first', (_session, scope) => { later = (d) => { scope.add(d); }; });
    watch.dispose();
    const late = counted();
    later?.(late);
    assert.equal(late.count, 1);
  });
});

describe('the event emitter, changed while it fires', () => {
  it('does not deliver to a listener that an earlier listener removed during the same fire', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    emitter.event(() => { second.dispose(); });
    const second = emitter.event((n) => heard.push(n));
    emitter.fire(1);
    assert.deepEqual(heard, []);
  });
});


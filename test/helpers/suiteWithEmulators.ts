import type { Emulator } from '../emulators';

/** Each emulator of a suite, by the name the suite gave its starter. */
export type RunningEmulators<S extends Record<string, () => Promise<Emulator>>> = { -readonly [K in keyof S]: Awaited<ReturnType<S[K]>> };

export interface SuiteHooks<E> {
  /** After the emulators listen, before the first test (configurations to add, a panel to open). */
  readonly setUp?: (emulators: E) => Promise<void>;
  /** After the last test, before the emulators close (configurations to delete). */
  readonly tearDown?: (emulators: E) => Promise<void>;
}

/**
 * A suite's emulators, started before its tests and closed after them, with its own set-up and tear-down in between;
 * for the e2e and integration tiers alike. Call it inside `describe`: the object it returns holds the running
 * emulators from the first test on.
 */
export function suiteWithEmulators<S extends Record<string, () => Promise<Emulator>>>(start: S, hooks: SuiteHooks<RunningEmulators<S>> = {}): RunningEmulators<S> {
  const running = {} as RunningEmulators<S>;
  before(async () => {
    const started = await Promise.all(Object.entries(start).map(async ([name, begin]) => [name, await begin()] as const));
    Object.assign(running, Object.fromEntries(started));
    await hooks.setUp?.(running);
  });
  after(async () => {
    try {
      await hooks.tearDown?.(running);
    } finally {
      await Promise.all(Object.values<Emulator>(running).map((emulator) => emulator.close()));
    }
  });
  return running;
}

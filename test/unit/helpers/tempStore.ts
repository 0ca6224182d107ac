import { join } from 'node:path';
import type { OpenStoreOptions } from '../../../src/core/store/openStore';
import type { Store } from '../../../src/core/store/Store';
import { open, tempFolder } from '../store/helpers';

export interface TempFolder {
  /** The folder of the running test; a new one for each test. */
  readonly path: string;
}

export interface TempStore extends TempFolder {
  /** The database file inside the folder. */
  readonly file: string;
  /** The store open on that file for the running test. */
  readonly store: Store;
  /** Closes the store and opens the file again, as the next start would; the hook closes the new one. */
  reopen(): Promise<Store>;
}

/** Mocha hooks: a fresh temporary folder for each test of the enclosing `describe`, removed after it. */
export function useTempFolder(): TempFolder {
  let current: ReturnType<typeof tempFolder> | undefined;
  beforeEach(() => {
    current = tempFolder();
  });
  afterEach(() => {
    current?.remove();
    current = undefined;
  });
  return {
    get path() {
      return required(current, 'temporary folder').path;
    },
  };
}

/**
 * Mocha hooks: a store open on a fresh database file for each test of the enclosing `describe`; closed (buffered
 * rows saved) and its folder removed after the test.
 */
export function useTempStore(options: Partial<OpenStoreOptions> = {}): TempStore {
  let current: { folder: ReturnType<typeof tempFolder>; file: string; store: Store } | undefined;
  beforeEach(async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'mm.db');
    current = { folder, file, store: (await open(file, options)).store };
  });
  // One hook for both, so the store is closed before its folder goes (mocha runs afterEach hooks in the order given).
  afterEach(async () => {
    const done = current;
    current = undefined;
    try {
      await done?.store.close();
    } finally {
      done?.folder.remove();
    }
  });
  return {
    get path() {
      return required(current, 'temporary store').folder.path;
    },
    get file() {
      return required(current, 'temporary store').file;
    },
    get store() {
      return required(current, 'temporary store').store;
    },
    async reopen() {
      const now = required(current, 'temporary store');
      await now.store.close();
      now.store = (await open(now.file, options)).store;
      return now.store;
    },
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The ${what} exists only while a test runs (use it inside it() or a hook).`);
  return value;
}

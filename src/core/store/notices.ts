/** What happened while opening the database, in words the host can show as they are. */
export type StoreNotice =
  | {
      readonly kind: 'restored-from-backup';
      readonly message: string;
      readonly quarantinedTo: string;
      readonly backupPath: string;
    }
  | {
      readonly kind: 'started-fresh';
      readonly message: string;
      readonly quarantinedTo: readonly string[];
    };

/** Why the database could not be opened at all; the file on disk was left as it was. */
export type StoreProblem =
  | { readonly kind: 'newer-schema'; readonly message: string; readonly found: number; readonly known: number }
  | { readonly kind: 'unavailable'; readonly message: string };

/** Thrown by read/write when the file changed under us into something this build must not touch. */
export class StoreError extends Error {
  constructor(readonly problem: StoreProblem) {
    super(problem.message);
    this.name = 'StoreError';
  }
}

export function newerSchemaProblem(path: string, found: number, known: number): StoreProblem {
  return {
    kind: 'newer-schema',
    found,
    known,
    message:
      `The Model Manager database at ${path} was written by a newer version of Model Manager ` +
      `(schema version ${String(found)}; this version understands up to ${String(known)}). ` +
      'It was left untouched. Update Model Manager to use it.',
  };
}

export function restoredNotice(path: string, reason: string, quarantinedTo: string, backupPath: string): StoreNotice {
  return {
    kind: 'restored-from-backup',
    quarantinedTo,
    backupPath,
    message:
      `The Model Manager database at ${path} is damaged (${reason}). It was moved to ${quarantinedTo}; ` +
      `your configurations were restored from the backup ${backupPath}. The most recent change may be missing: ` +
      'check your configurations and re-enter it if needed.',
  };
}

export function startedFreshNotice(path: string, reason: string, quarantinedTo: readonly string[]): StoreNotice {
  return {
    kind: 'started-fresh',
    quarantinedTo,
    message:
      `The Model Manager database at ${path} is damaged (${reason}) and no usable backup was found. ` +
      `The damaged file was kept at ${quarantinedTo.join(' and ')}; Model Manager started with an empty database. ` +
      'Add your configurations again, or send the kept file to support for recovery.',
  };
}

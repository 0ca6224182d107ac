import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { backupPathOf, writeFileAtomic } from './atomicFile';
import { loadDatabase } from './fileCheck';
import { readFileWithIdentity } from './fileIdentity';
import type { LockOptions } from './lock';
import { FileLock, defaultLockOptions, processIsAlive } from './lock';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations';
import type { StoreNotice, StoreProblem } from './notices';
import { newerSchemaProblem, restoredNotice, startedFreshNotice } from './notices';
import { applyPragmas } from './pragmas';
import { Sql } from './sql';
import { loadSqlJs } from './sqljs';
import { Store } from './Store';
import { errorMessage } from '../errors';

export interface OpenStoreOptions {
  /** The database file, e.g. in the extension's global storage. */
  readonly filePath: string;
  /** sql-wasm.wasm: dist/ in the extension, node_modules/sql.js/dist/ in tests. */
  readonly wasmPath: string;
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly lock?: Partial<LockOptions>;
  /** How long request_log rows may wait in memory before they are saved. */
  readonly flushIntervalMs?: number;
}

export type OpenStoreResult =
  | { readonly ok: true; readonly store: Store; readonly notices: readonly StoreNotice[] }
  | { readonly ok: false; readonly problem: StoreProblem };

/**
 * Opens (or creates) the database: integrity check, quarantine of a damaged file with restore from its
 * backup, migrations. Never deletes a file it cannot read and never writes one from a newer build.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenStoreResult> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const { filePath } = options;
  let SQL: SqlJsStatic;
  try {
    SQL = await loadSqlJs(options.wasmPath);
    await mkdir(dirname(filePath), { recursive: true });
  } catch (error) {
    return { ok: false, problem: unavailable(filePath, error) };
  }
  const lock = new FileLock(`${filePath}.lock`, { ...defaultLockOptions, ...options.lock }, (reason) => {
    logger.warn(`Broke the database lock ${filePath}.lock because ${reason}.`);
  });
  try {
    await lock.acquire();
  } catch (error) {
    return { ok: false, problem: unavailable(filePath, error) };
  }
  try {
    await removeAbandonedTempFiles(filePath, logger);
    const chosen = await chooseDatabase(SQL, filePath, now, logger);
    if (!chosen.ok) return chosen;
    const { db, notices } = chosen;
    const sql = new Sql(db);
    const migration = migrate(sql, now().toISOString());
    if (migration.kind === 'newer') {
      db.close();
      return { ok: false, problem: newerSchemaProblem(filePath, migration.found, migration.known) };
    }
    applyPragmas(db);
    const identity = readFileWithIdentity(filePath, false)?.identity;
    const store = new Store({ SQL, filePath, lock, logger, now, flushIntervalMs: options.flushIntervalMs ?? 1000 }, db, identity);
    if (migration.kind === 'migrated' || chosen.needsSave) {
      if (migration.kind === 'migrated') logger.info(`Database schema ${String(migration.from)} → ${String(migration.to)}.`);
      await store.saveHeldLock();
    }
    return { ok: true, store, notices };
  } catch (error) {
    return { ok: false, problem: unavailable(filePath, error) };
  } finally {
    lock.release();
  }
}

type Chosen =
  | { ok: true; db: Database; notices: StoreNotice[]; needsSave: boolean }
  | { ok: false; problem: StoreProblem };

async function chooseDatabase(SQL: SqlJsStatic, filePath: string, now: () => Date, logger: Logger): Promise<Chosen> {
  const backupPath = backupPathOf(filePath);
  const main = readFileWithIdentity(filePath, true);
  if (main) {
    const loaded = loadDatabase(SQL, main.bytes);
    if (loaded.kind === 'ok') return { ok: true, db: loaded.db, notices: [], needsSave: false };
    if (loaded.kind === 'newer') return { ok: false, problem: newerSchemaProblem(filePath, loaded.found, LATEST_SCHEMA_VERSION) };
    const quarantinedTo = await quarantine(filePath, now);
    logger.error(`The database was damaged (${loaded.reason}); kept it at ${quarantinedTo}.`);
    const backup = readFileWithIdentity(backupPath, true);
    const fromBackup = backup ? loadDatabase(SQL, backup.bytes) : undefined;
    if (backup && fromBackup?.kind === 'ok') {
      await writeFileAtomic(filePath, backup.bytes, false);
      logger.warn(`Restored the database from ${backupPath}.`);
      return { ok: true, db: fromBackup.db, notices: [restoredNotice(filePath, loaded.reason, quarantinedTo, backupPath)], needsSave: false };
    }
    if (fromBackup?.kind === 'newer') return { ok: false, problem: newerSchemaProblem(backupPath, fromBackup.found, LATEST_SCHEMA_VERSION) };
    const kept = [quarantinedTo];
    if (backup) kept.push(await quarantine(backupPath, now));
    return { ok: true, db: new SQL.Database(), notices: [startedFreshNotice(filePath, loaded.reason, kept)], needsSave: true };
  }
  // No file but a backup: a crash or a hand-deleted file; the backup is better than nothing.
  const backup = readFileWithIdentity(backupPath, true);
  if (backup) {
    const loaded = loadDatabase(SQL, backup.bytes);
    if (loaded.kind === 'ok') {
      logger.warn(`The database file was missing; restored it from ${backupPath}.`);
      return { ok: true, db: loaded.db, notices: [], needsSave: true };
    }
  }
  return { ok: true, db: new SQL.Database(), notices: [], needsSave: true };
}

/** Moves a damaged file aside under a timestamped name; damaged data is kept for recovery, never deleted. */
async function quarantine(path: string, now: () => Date): Promise<string> {
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let n = 2; readFileWithIdentity(target, false); n++) target = `${path}.corrupt-${stamp}-${String(n)}`;
  await rename(path, target);
  return target;
}

/** Temp files of writers that died mid-save; only ones whose process is gone are removed. */
async function removeAbandonedTempFiles(filePath: string, logger: Logger): Promise<void> {
  const prefix = `${basename(filePath)}.tmp-`;
  let names: string[];
  try {
    names = await readdir(dirname(filePath));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && processIsAlive(pid)) continue;
    await unlink(join(dirname(filePath), name)).catch(() => undefined);
    logger.info(`Removed ${name}, left by a window that closed while saving.`);
  }
}

function unavailable(filePath: string, error: unknown): StoreProblem {
  const detail = errorMessage(error);
  return {
    kind: 'unavailable',
    message: `Model Manager could not open its database at ${filePath} (${detail}). Check that the folder exists and is writable, then reload the window.`,
  };
}

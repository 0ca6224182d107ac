import type { Database, SqlJsStatic } from 'sql.js';
import type { Logger } from '../logger';
import { writeFileAtomic } from './atomicFile';
import type { FileIdentity } from './fileIdentity';
import { readFileWithIdentity, sameIdentity } from './fileIdentity';
import type { FileLock } from './lock';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { StoreError, newerSchemaProblem } from './notices';
import { applyPragmas } from './pragmas';
import type { Repositories } from './Repositories';
import { createRepositories } from './Repositories';
import { Sql } from './sql';
import type { RequestLogEntry } from './types';
import { errorMessage } from '../errors';

export interface StoreContext {
  readonly SQL: SqlJsStatic;
  readonly filePath: string;
  readonly lock: FileLock;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly flushIntervalMs: number;
}

/**
 * The database: an in-memory sql.js copy of one file that several processes share. Every change goes
 * through write(): lock → reload if another process saved → transaction → atomic save → unlock.
 */
export class Store {
  private sql: Sql;
  private repositories: Repositories;
  private identity: FileIdentity | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private writing = false;
  private closed = false;
  private pending: RequestLogEntry[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly reloadListeners = new Set<() => void>();

  constructor(
    private readonly context: StoreContext,
    db: Database,
    identity: FileIdentity | undefined,
  ) {
    this.sql = new Sql(db);
    this.repositories = createRepositories(this.sql, this.isoNow);
    this.identity = identity;
  }

  get filePath(): string {
    return this.context.filePath;
  }

  /** Runs a read against the latest saved state (reloading first if another window saved since). */
  read<T>(fn: (r: Repositories) => T): T {
    this.assertOpen();
    if (!this.writing) this.reloadIfChanged();
    return fn(this.repositories);
  }

  /**
   * Whether another window saved since this one last read or wrote; its copy is loaded if so. A cheap look at the
   * file's identity, for views that follow other windows' changes while they are open.
   */
  reloadIfSavedElsewhere(): boolean {
    this.assertOpen();
    if (this.writing) return false;
    const before = this.identity;
    this.reloadIfChanged();
    return before !== this.identity;
  }

  /** Called (soon after, outside the read or write that noticed) whenever this store loads another window's save. */
  onDidReloadFromDisk(listener: () => void): { dispose(): void } {
    this.reloadListeners.add(listener);
    return {
      dispose: () => {
        this.reloadListeners.delete(listener);
      },
    };
  }

  /** The one mutation path. The callback runs inside one SQL transaction and must be synchronous. */
  write<T>(fn: (r: Repositories) => T): Promise<T> {
    this.assertOpen();
    const run = this.queue.then(() => this.writeNow(fn));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Buffers one request_log row; it is saved within the flush interval, on flush() and on close(). */
  recordRequest(entry: RequestLogEntry): void {
    this.assertOpen();
    this.pending.push(entry);
    this.scheduleFlush();
  }

  get pendingRequestCount(): number {
    return this.pending.length;
  }

  /** The rows buffered and not saved yet, so that usage read right after a request can include them. */
  get pendingRequests(): readonly RequestLogEntry[] {
    return this.pending.slice();
  }

  async flush(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length > 0) await this.write(() => undefined);
    else await this.queue;
  }

  /** Flushes buffered rows and releases the database; safe to call twice (deactivate may race a window close). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.queue;
      this.sql.db.close();
    }
  }

  /** Saves the current in-memory state (used once at open, under the caller's lock, after a migration or restore). */
  async saveHeldLock(): Promise<void> {
    this.bumpGeneration();
    await this.save();
  }

  private async writeNow<T>(fn: (r: Repositories) => T): Promise<T> {
    this.assertOpen();
    await this.context.lock.acquire();
    this.writing = true;
    try {
      this.reloadIfChanged();
      const rows = this.pending.splice(0);
      let result: T;
      this.sql.run('BEGIN IMMEDIATE');
      try {
        result = fn(this.repositories);
        if (isThenable(result)) throw new Error('store.write: the callback must be synchronous (it runs inside one transaction)');
        this.repositories.requestLog.insertMany(rows);
        this.bumpGeneration();
        this.sql.run('COMMIT');
      } catch (error) {
        this.sql.run('ROLLBACK');
        this.requeue(rows);
        throw error;
      }
      try {
        await this.save();
      } catch (error) {
        // Disk is the truth: drop the unsaved change so memory and file agree again.
        this.requeue(rows);
        this.reloadFromDisk();
        throw error;
      }
      return result;
    } finally {
      this.writing = false;
      this.context.lock.release();
    }
  }

  private async save(): Promise<void> {
    const bytes = this.sql.db.export();
    applyPragmas(this.sql.db);
    await writeFileAtomic(this.context.filePath, bytes, true, () => this.context.lock.stillOwned());
    this.identity = readFileWithIdentity(this.context.filePath, false)?.identity;
  }

  private bumpGeneration(): void {
    const current = Number(this.sql.get('PRAGMA user_version')?.user_version ?? 0);
    this.sql.run(`PRAGMA user_version = ${String((current + 1) % 0x7fffffff)}`);
  }

  private reloadIfChanged(): void {
    const now = readFileWithIdentity(this.context.filePath, false);
    if (now && !sameIdentity(now.identity, this.identity)) this.reloadFromDisk();
  }

  private reloadFromDisk(): void {
    const file = readFileWithIdentity(this.context.filePath, true);
    if (!file) return;
    const loaded = loadFromOtherWindow(this.context.SQL, file.bytes);
    if (loaded.kind === 'newer') throw new StoreError(newerSchemaProblem(this.context.filePath, loaded.found, LATEST_SCHEMA_VERSION));
    applyPragmas(loaded.db);
    this.sql.db.close();
    this.sql = new Sql(loaded.db);
    this.repositories = createRepositories(this.sql, this.isoNow);
    this.identity = file.identity;
    this.context.logger.info(`Reloaded the database saved by another window (generation ${String(file.identity.generation)}).`);
    if (this.reloadListeners.size > 0) {
      setTimeout(() => {
        for (const listener of [...this.reloadListeners]) listener();
      }, 0);
    }
  }

  private requeue(rows: RequestLogEntry[]): void {
    if (rows.length === 0) return;
    this.pending.unshift(...rows);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((error: unknown) => {
        this.context.logger.error(`Could not save usage records: ${errorMessage(error)}`);
      });
    }, this.context.flushIntervalMs);
    this.flushTimer.unref();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The Model Manager database is closed.');
  }

  private readonly isoNow = (): string => this.context.now().toISOString();
}

/**
 * Another window's save went through the same atomic path, so a full integrity check is not repeated
 * here (it would cost as much as the save); only the schema version is checked.
 */
function loadFromOtherWindow(SQL: SqlJsStatic, bytes: Uint8Array): { kind: 'ok'; db: Database } | { kind: 'newer'; found: number } {
  const db = new SQL.Database(bytes);
  const sql = new Sql(db);
  const found = Number(sql.get('SELECT MAX(version) AS v FROM schema_migrations')?.v ?? 0);
  if (found > LATEST_SCHEMA_VERSION) {
    db.close();
    return { kind: 'newer', found };
  }
  return { kind: 'ok', db };
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

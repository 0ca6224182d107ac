import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isCode } from './atomicFile';

export interface LockOptions {
  /** Give up waiting after this long. */
  readonly timeoutMs: number;
  /** A lock older than this is stale even if its process still seems alive (a hung window). */
  readonly staleMs: number;
}

export const defaultLockOptions: LockOptions = { timeoutMs: 15_000, staleMs: 30_000 };

/** A lock whose content has not appeared this long after creation was left by a process killed mid-create. */
const EMPTY_LOCK_GRACE_MS = 2_000;

interface LockContent {
  readonly pid: number;
  readonly at: number;
  readonly token: string;
}

export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string, holder: string) {
    super(
      `Another Model Manager window (${holder}) has held the database lock ${lockPath} for too long. ` +
        'Close the other VS Code windows or wait a moment, then try again.',
    );
    this.name = 'LockTimeoutError';
  }
}

/**
 * A cross-process lock: a file created with O_EXCL holding pid, time and a token. Several VS Code
 * windows are several processes on one database; this serialises their write transactions.
 */
export class FileLock {
  private token: string | undefined;

  constructor(
    readonly lockPath: string,
    private readonly options: LockOptions = defaultLockOptions,
    private readonly onSteal: (reason: string) => void = () => undefined,
  ) {}

  get held(): boolean {
    return this.token !== undefined;
  }

  async acquire(): Promise<void> {
    if (this.token) throw new Error('FileLock.acquire: already held by this process');
    const deadline = Date.now() + this.options.timeoutMs;
    // Let a window that is already waiting go first, so a busy writer cannot starve the others.
    for (let courtesy = 0; courtesy < 20 && !existsSync(this.lockPath) && this.othersWaiting(); courtesy++) await sleep(1);
    let delay = 1;
    let marker: string | undefined;
    try {
      for (;;) {
        if (this.tryCreate()) return;
        const stale = this.staleReason();
        if (stale !== undefined) {
          this.steal(stale);
          continue;
        }
        if (Date.now() > deadline) throw new LockTimeoutError(this.lockPath, this.describeHolder());
        marker ??= this.markWaiting();
        await sleep(delay + Math.random() * delay);
        delay = Math.min(delay * 2, 2);
      }
    } finally {
      if (marker) unlinkSync(marker);
    }
  }

  private markWaiting(): string {
    const marker = `${this.lockPath}.wait-${String(process.pid)}-${randomBytes(3).toString('hex')}`;
    writeFileSync(marker, '');
    return marker;
  }

  /** Whether a live process other than this one is queued for the lock (markers of dead ones are removed). */
  private othersWaiting(): boolean {
    const prefix = `${basename(this.lockPath)}.wait-`;
    let found = false;
    for (const name of readdirSync(dirname(this.lockPath))) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (pid === process.pid) continue;
      if (processIsAlive(pid)) found = true;
      else {
        try {
          unlinkSync(join(dirname(this.lockPath), name));
        } catch {
          // Another process removed it first.
        }
      }
    }
    return found;
  }

  release(): void {
    const token = this.token;
    this.token = undefined;
    if (token === undefined) return;
    // Only remove our own lock: if it was stolen from us (we looked dead), the new owner keeps it.
    if (readContent(this.lockPath)?.token === token) unlinkSync(this.lockPath);
  }

  private tryCreate(): boolean {
    const token = randomBytes(8).toString('hex');
    let fd: number;
    try {
      fd = openSync(this.lockPath, 'wx', 0o600);
    } catch (error) {
      if (isCode(error, 'EEXIST')) return false;
      throw error;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, at: Date.now(), token } satisfies LockContent));
    } finally {
      closeSync(fd);
    }
    this.token = token;
    return true;
  }

  /** Why the current lock may be broken, or undefined while its holder may still be working. */
  private staleReason(): string | undefined {
    let modifiedAt: number;
    try {
      modifiedAt = statSync(this.lockPath).mtimeMs;
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
    const content = readContent(this.lockPath);
    if (!content) return Date.now() - modifiedAt > EMPTY_LOCK_GRACE_MS ? 'its holder died while creating it' : undefined;
    if (!processIsAlive(content.pid)) return `its holder (process ${String(content.pid)}) has ended`;
    if (Date.now() - content.at > this.options.staleMs) return `it is older than ${String(this.options.staleMs)} ms`;
    return undefined;
  }

  /**
   * Breaks a stale lock under a second, short-lived lock so that two processes cannot both
   * judge the same lock stale and one of them delete the other's fresh lock.
   */
  private steal(reason: string): void {
    const guard = `${this.lockPath}.steal`;
    let fd: number;
    try {
      fd = openSync(guard, 'wx', 0o600);
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      breakAbandonedGuard(guard);
      return;
    }
    try {
      writeSync(fd, String(process.pid));
      closeSync(fd);
      // Judge again under the guard: the lock may have changed hands meanwhile.
      if (this.staleReason() !== undefined) {
        unlinkSync(this.lockPath);
        this.onSteal(reason);
      }
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
    } finally {
      unlinkSync(guard);
    }
  }

  private describeHolder(): string {
    const content = readContent(this.lockPath);
    return content ? `process ${String(content.pid)}` : 'unknown process';
  }
}

function breakAbandonedGuard(guard: string): void {
  try {
    const pid = Number(readFileSync(guard, 'utf8'));
    const age = Date.now() - statSync(guard).mtimeMs;
    if ((Number.isInteger(pid) && pid > 0 && !processIsAlive(pid)) || age > EMPTY_LOCK_GRACE_MS) unlinkSync(guard);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
}

function readContent(path: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid === 'number' && typeof parsed.at === 'number' && typeof parsed.token === 'string') {
      return { pid: parsed.pid, at: parsed.at, token: parsed.token };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return !isCode(error, 'ESRCH');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

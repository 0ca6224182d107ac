import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync, unlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isCode } from './atomicFile';

export interface LockOptions {
  /** Give up waiting after this long. */
  readonly timeoutMs: number;
  /**
   * A lock its live holder has not refreshed for this long, as the waiter's own monotonic clock measures it, is
   * stale (a hung window). The holder refreshes it every quarter of this.
   */
  readonly staleMs: number;
}

export const defaultLockOptions: LockOptions = { timeoutMs: 15_000, staleMs: 30_000 };

/** A lock whose content has not appeared this long after it was first seen was left by a process killed mid-create. */
const EMPTY_LOCK_GRACE_MS = 2_000;

interface LockContent {
  readonly pid: number;
  /** The holder's wall-clock time at creation: shown in diagnostics only, never compared with another clock. */
  readonly at: number;
  readonly token: string;
}

/**
 * Time for judging staleness: monotonic and this process's own. Wall clocks differ between processes and jump
 * (NTP steps, suspend and resume, a VM restored from a snapshot, faketime), and file times come from yet another
 * clock, so no decision ever compares times from two clocks: a waiter only measures, on this clock, how long what it
 * sees of a lock has stayed the same.
 */
const monotonicMs = (): number => performance.now();

/** What a waiter saw of a file (lock or steal guard) and since when, on its own monotonic clock. */
class Sighting {
  private seen: { signature: string; since: number } | undefined;

  /** How long the file has looked exactly like this; 0 when it just changed (or is seen for the first time). */
  unchangedFor(signature: string): number {
    const now = monotonicMs();
    if (this.seen?.signature !== signature) {
      this.seen = { signature, since: now };
      return 0;
    }
    return now - this.seen.since;
  }

  forget(): void {
    this.seen = undefined;
  }
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
  private refresher: ReturnType<typeof setInterval> | undefined;
  /** The last mtime this holder gave its lock: every refresh must change it, even on a clock that stands still. */
  private lastRefresh = 0;
  private readonly lockSighting = new Sighting();
  private readonly guardSighting = new Sighting();

  constructor(
    readonly lockPath: string,
    private readonly options: LockOptions = defaultLockOptions,
    private readonly onSteal: (reason: string) => void = () => undefined,
  ) {}

  get held(): boolean {
    return this.token !== undefined;
  }

  /** Whether the lock file is still this holder's: false once another window broke it while this one was paused. */
  stillOwned(): boolean {
    return this.token !== undefined && readContent(this.lockPath)?.token === this.token;
  }

  /**
   * Whether the lock, held by another process, may be broken now: its holder ended, or it stopped refreshing it
   * for staleMs as this process has watched (a pid reused by another program after a crash still looks alive).
   */
  isStale(): boolean {
    return this.staleReason() !== undefined;
  }

  async acquire(): Promise<void> {
    if (this.token) throw new Error('FileLock.acquire: already held by this process');
    const deadline = monotonicMs() + this.options.timeoutMs;
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
        if (monotonicMs() > deadline) throw new LockTimeoutError(this.lockPath, this.describeHolder());
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
    clearInterval(this.refresher);
    this.refresher = undefined;
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
    this.lockSighting.forget();
    this.startRefreshing(token);
    return true;
  }

  /**
   * While held, the lock's modification time changes every quarter of the stale bound: a waiter breaks a live
   * holder's lock only when these refreshes stop (its event loop is stuck), however far apart the two clocks are.
   */
  private startRefreshing(token: string): void {
    this.refresher = setInterval(() => {
      if (this.token !== token || readContent(this.lockPath)?.token !== token) return;
      this.lastRefresh = Math.max(Date.now(), this.lastRefresh + 1);
      try {
        utimesSync(this.lockPath, this.lastRefresh / 1000, this.lastRefresh / 1000);
      } catch {
        // A refresh that fails only makes the lock look idle sooner; a timer must never throw.
      }
    }, Math.max(10, Math.floor(this.options.staleMs / 4)));
    this.refresher.unref();
  }

  /** Why the current lock may be broken, or undefined while its holder may still be working. */
  private staleReason(): string | undefined {
    const seen = signatureOf(this.lockPath);
    if (seen === undefined) {
      this.lockSighting.forget();
      return undefined;
    }
    const content = parseContent(seen.text);
    if (content && !processIsAlive(content.pid)) return `its holder (process ${String(content.pid)}) has ended`;
    const unchanged = this.lockSighting.unchangedFor(seen.signature);
    if (!content) return unchanged > EMPTY_LOCK_GRACE_MS ? 'its holder died while creating it' : undefined;
    if (unchanged > this.options.staleMs) {
      return `its holder (process ${String(content.pid)}) has not refreshed it for ${String(Math.round(unchanged))} ms`;
    }
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
      this.breakAbandonedGuard(guard);
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

  /** A steal guard is held for microseconds: one whose process ended, or that stays unchanged, was abandoned. */
  private breakAbandonedGuard(guard: string): void {
    const seen = signatureOf(guard);
    if (seen === undefined) {
      this.guardSighting.forget();
      return;
    }
    const pid = Number(seen.text);
    const ended = Number.isInteger(pid) && pid > 0 && !processIsAlive(pid);
    if (!ended && this.guardSighting.unchangedFor(seen.signature) <= EMPTY_LOCK_GRACE_MS) return;
    try {
      unlinkSync(guard);
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
    }
    this.guardSighting.forget();
  }

  private describeHolder(): string {
    const content = readContent(this.lockPath);
    return content ? `process ${String(content.pid)}` : 'unknown process';
  }
}

/** A file's identity, modification time, size and text: any change (a refresh, a new holder) changes it. */
function signatureOf(path: string): { signature: string; text: string } | undefined {
  try {
    const stat = statSync(path);
    const text = readFileSync(path, 'utf8');
    return { signature: `${String(stat.ino)}:${String(stat.mtimeMs)}:${String(stat.size)}:${text}`, text };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function readContent(path: string): LockContent | undefined {
  try {
    return parseContent(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseContent(text: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>;
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

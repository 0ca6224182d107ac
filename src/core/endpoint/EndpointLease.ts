import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { FileLock, LockTimeoutError, processIsAlive } from '../store/lock';

/** The window serving the endpoint, as the others show it. */
export interface EndpointHolder {
  readonly pid: number;
  /** The serving window's name (its folder or workspace), for "served by …". */
  readonly window: string;
  readonly url: string;
  /** ISO time it started serving. */
  readonly since: string;
}

/** How long a serving window that stopped refreshing its lease (hung, not exited) keeps it. */
export const LEASE_STALE_MS = 10_000;

/**
 * Which of the windows sharing one database serves the endpoint. The serving window holds a FileLock (the store's
 * cross-process lock, on a file of its own) and refreshes it; when its process ends the lock is broken at once,
 * when it hangs after LEASE_STALE_MS. Whether the endpoint should run at all is a file of its own, so a Stop in
 * any window stops it and a window that closes hands it to another rather than ending it.
 */
export class EndpointLease {
  private readonly lock: FileLock;
  private readonly wantedPath: string;
  private readonly holderPath: string;

  constructor(databasePath: string, options: { readonly staleMs?: number } = {}) {
    this.lock = new FileLock(`${databasePath}.endpoint.lock`, { timeoutMs: 0, staleMs: options.staleMs ?? LEASE_STALE_MS });
    this.wantedPath = `${databasePath}.endpoint-wanted`;
    this.holderPath = `${databasePath}.endpoint-holder.json`;
  }

  /** Whether some window started the endpoint and nobody stopped it since. */
  get wanted(): boolean {
    return existsSync(this.wantedPath);
  }

  setWanted(wanted: boolean): void {
    if (wanted) writeFileSync(this.wantedPath, '');
    else rmSync(this.wantedPath, { force: true });
  }

  /** Whether this instance holds the lease now (false once another window broke it while this one hung). */
  get held(): boolean {
    return this.lock.held && this.lock.stillOwned();
  }

  /** Takes the lease if it is free or its holder is gone; never waits for a live holder. */
  async tryAcquire(): Promise<boolean> {
    if (this.lock.held) return this.lock.stillOwned();
    try {
      await this.lock.acquire();
      return true;
    } catch (error) {
      if (error instanceof LockTimeoutError) return false;
      throw error;
    }
  }

  /** Says who serves, once this window has bound the port. */
  publish(holder: EndpointHolder): void {
    const temp = `${this.holderPath}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, JSON.stringify(holder));
    renameSync(temp, this.holderPath);
  }

  /** Gives the lease up (the server is closed first): another window may take it at its next look. */
  release(): void {
    if (this.lock.held && this.lock.stillOwned()) rmSync(this.holderPath, { force: true });
    this.lock.release();
  }

  /** The pid the serving window last published, whether or not it still refreshes the lease; undefined when none. */
  publishedPid(): number | undefined {
    return this.published()?.pid;
  }

  /** What the serving window last published, as written (the caller judges whether it still serves). */
  published(): EndpointHolder | undefined {
    let parsed: Partial<EndpointHolder>;
    try {
      parsed = JSON.parse(readFileSync(this.holderPath, 'utf8')) as Partial<EndpointHolder>;
    } catch {
      return undefined;
    }
    const { pid, window, url, since } = parsed;
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0 || typeof window !== 'string' || typeof url !== 'string' || typeof since !== 'string') return undefined;
    return { pid, window, url, since };
  }

  /**
   * The window serving now, if any: its published details while its process lives and keeps refreshing the lease
   * (a holder that stopped refreshing is shown for at most the stale time from this window's first look).
   */
  holder(): EndpointHolder | undefined {
    if (!existsSync(this.lock.lockPath)) return undefined;
    const published = this.published();
    if (!published || !processIsAlive(published.pid)) return undefined;
    // After a crash its pid may belong to another program: a lease nobody refreshes any more is no holder either.
    if (!this.lock.held && this.lock.isStale()) return undefined;
    return published;
  }
}

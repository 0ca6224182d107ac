import { processIsAlive } from '../store/lock';
import type { EndpointHolder, EndpointLease } from './EndpointLease';
import type { RunningEndpoint } from './EndpointServer';
import { loopbackPortIsFree, portOfUrl } from './portProbe';

/** What a window knows of the endpoint: whether it should run, who serves it, and whether that is this window. */
export interface EndpointStatus {
  readonly wanted: boolean;
  readonly holder: EndpointHolder | undefined;
  readonly servingHere: boolean;
}

export interface EndpointSupervisorDeps {
  readonly lease: EndpointLease;
  /** Binds the port and serves; throws when it cannot (the port taken). */
  readonly start: () => Promise<RunningEndpoint>;
  /** This window's name and process, published for the other windows. */
  readonly window: string;
  readonly pid: number;
  readonly now: () => Date;
  /** Told after this window started or stopped serving (the audit log, the log). */
  readonly onServing?: (running: RunningEndpoint) => void;
  readonly onStopped?: (running: RunningEndpoint, why: 'stopped' | 'taken-over' | 'closing') => void;
  /** Whether nothing listens on a loopback port (loopbackPortIsFree); tests may pass their own. */
  readonly portIsFree?: (port: number) => Promise<boolean>;
}

/**
 * One window's part in serving the endpoint: each look (tick) serves when the endpoint is wanted and this window
 * gets the lease, and stops serving when it is no longer wanted or the lease was taken from it. Every window
 * looks every few seconds, so when the serving one closes another takes over at its next look.
 */
export class EndpointSupervisor {
  private running: RunningEndpoint | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: EndpointSupervisorDeps) {}

  get lease(): EndpointLease {
    return this.deps.lease;
  }

  get endpoint(): RunningEndpoint | undefined {
    return this.running;
  }

  /** One look, after any look under way; a failure to start turns the endpoint off (it is not retried forever). */
  tick(): Promise<EndpointStatus> {
    const run = this.queue.then(() => this.tickNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops serving and gives the lease up without turning the endpoint off: the window is closing. */
  close(): Promise<void> {
    const run = this.queue.then(() => this.stopServing('closing'));
    this.queue = run.catch(() => undefined);
    return run;
  }

  status(): EndpointStatus {
    const { lease } = this.deps;
    return { wanted: lease.wanted, holder: lease.holder(), servingHere: this.running !== undefined };
  }

  private async tickNow(): Promise<EndpointStatus> {
    const { lease } = this.deps;
    if (this.running) {
      if (!lease.wanted) await this.stopServing('stopped');
      else if (!lease.held) await this.stopServing('taken-over');
    } else if (lease.wanted) {
      const busy = await this.servedByAnotherWindow();
      // Still shown as the one serving: its lease is stale but its port is held, so clients reach it once it wakes up.
      if (busy) return { ...this.status(), holder: busy };
      if (!(await lease.tryAcquire())) return this.status();
      let running: RunningEndpoint;
      try {
        running = await this.deps.start();
      } catch (error) {
        lease.release();
        // The port went to a window that still lives after all: it serves, so the endpoint stays on.
        const holder = await this.servedByAnotherWindow();
        if (holder) return { ...this.status(), holder };
        lease.setWanted(false);
        throw error;
      }
      this.running = running;
      lease.publish({ pid: this.deps.pid, window: this.deps.window, url: running.url, since: this.deps.now().toISOString() });
      this.deps.onServing?.(running);
    }
    return this.status();
  }

  /**
   * The window that last published the endpoint when it may still be serving it: its process lives and its port is
   * still taken. Its lease may have gone stale (its extension host hangs, or is busy for longer than the stale time):
   * breaking the lease would only fail to bind the port and turn the endpoint off for every window. Such a window
   * is replaced once its process ends or its port is free.
   */
  private async servedByAnotherWindow(): Promise<EndpointHolder | undefined> {
    const published = this.deps.lease.published();
    if (!published || published.pid === this.deps.pid || !processIsAlive(published.pid)) return undefined;
    const port = portOfUrl(published.url);
    if (port === undefined) return undefined;
    return (await (this.deps.portIsFree ?? loopbackPortIsFree)(port)) ? undefined : published;
  }

  private async stopServing(why: 'stopped' | 'taken-over' | 'closing'): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (running) await running.close();
    // The lease goes only after the port is free, so the next window can bind it.
    this.deps.lease.release();
    if (running) this.deps.onStopped?.(running, why);
  }
}

import type { EndpointHolder, EndpointLease } from './EndpointLease';
import type { RunningEndpoint } from './EndpointServer';

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
    } else if (lease.wanted && (await lease.tryAcquire())) {
      let running: RunningEndpoint;
      try {
        running = await this.deps.start();
      } catch (error) {
        lease.release();
        lease.setWanted(false);
        throw error;
      }
      this.running = running;
      lease.publish({ pid: this.deps.pid, window: this.deps.window, url: running.url, since: this.deps.now().toISOString() });
      this.deps.onServing?.(running);
    }
    return this.status();
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

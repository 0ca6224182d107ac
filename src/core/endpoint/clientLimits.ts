import { countOf } from '../../protocol/counts';
/** How much one client may ask of the endpoint at once and per minute. */
export interface ClientLimitSettings {
  /** Requests one client may have in flight together. */
  readonly concurrent: number;
  /** Requests one client may start in any 60 seconds. */
  readonly perMinute: number;
}

export const DEFAULT_CLIENT_LIMITS: ClientLimitSettings = { concurrent: 32, perMinute: 600 };

const WINDOW_MS = 60_000;

export type Admission = { readonly ok: true; release(): void } | { readonly ok: false; readonly message: string; readonly retryAfterSeconds: number };

/**
 * Per-client concurrency and rate limits, so one runaway script (a loop without a sleep, 200 requests at once)
 * cannot hold every upstream connection or spend the budget in a second while the user's other tools wait.
 */
export class ClientLimits {
  private readonly inFlight = new Map<string, number>();
  private readonly started = new Map<string, number[]>();

  constructor(
    private readonly settings: ClientLimitSettings = DEFAULT_CLIENT_LIMITS,
    /** Monotonic milliseconds. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  admit(clientId: string): Admission {
    const now = this.now();
    // Start times are pushed in order: the expired ones are at the front (no copy of the whole minute per request).
    const recent = this.started.get(clientId) ?? [];
    while (recent.length > 0 && now - (recent[0] ?? now) >= WINDOW_MS) recent.shift();
    if (recent.length >= this.settings.perMinute) {
      this.started.set(clientId, recent);
      const wait = Math.max(1, Math.ceil((WINDOW_MS - (now - (recent[0] ?? now))) / 1000));
      return { ok: false, retryAfterSeconds: wait, message: `This client sent more than ${countOf(this.settings.perMinute, 'request')} in a minute. Retry after ${String(wait)} s.` };
    }
    const running = this.inFlight.get(clientId) ?? 0;
    if (running >= this.settings.concurrent) {
      return { ok: false, retryAfterSeconds: 1, message: `This client already has ${countOf(running, 'request')} in progress, the most one client may run at once. Retry after one finishes.` };
    }
    recent.push(now);
    this.started.set(clientId, recent);
    this.inFlight.set(clientId, running + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(clientId) ?? 1) - 1;
        if (left <= 0) this.inFlight.delete(clientId);
        else this.inFlight.set(clientId, left);
      },
    };
  }
}

import type { ResolvedSettings } from './types';

interface MemberHealth {
  /** Times of recent failures, oldest first. */
  failures: number[];
  /** Out until this time; then one probe. */
  outUntil: number;
  probing: boolean;
}

export type Admission = 'ok' | 'probe' | 'out';

/**
 * Circuit breaking per member: N failures within a window put it out for T seconds; after that one request goes
 * through as a probe (the others still skip it); the probe's success brings it back, its failure puts it out again.
 */
export class Cooldowns {
  private readonly health = new Map<string, MemberHealth>();

  constructor(private readonly now: () => number) {}

  /** Whether a request may go to the member now; `probe` reserves the one probe slot (end it with success or failure). */
  admit(key: string): Admission {
    const health = this.health.get(key);
    if (!health || health.outUntil === 0) return 'ok';
    if (health.probing || this.now() < health.outUntil) return 'out';
    health.probing = true;
    return 'probe';
  }

  /** Without taking the probe slot: whether the member is out right now. */
  isOut(key: string): boolean {
    const health = this.health.get(key);
    return health !== undefined && health.outUntil !== 0 && (health.probing || this.now() < health.outUntil);
  }

  /** The member's state without taking the probe slot; a member whose cooldown ran out is `ok` until its probe starts. */
  stateOf(key: string): 'ok' | 'out' | 'probing' {
    const health = this.health.get(key);
    if (!health || health.outUntil === 0) return 'ok';
    if (health.probing) return 'probing';
    return this.now() < health.outUntil ? 'out' : 'ok';
  }

  /** Milliseconds until the member may be tried again (0 when it may now). */
  remainingMs(key: string): number {
    const health = this.health.get(key);
    return health ? Math.max(0, health.outUntil - this.now()) : 0;
  }

  success(key: string): void {
    this.health.delete(key);
  }

  /** A failure; `retryAfterMs` (a 429's Retry-After) puts the member out at least that long at once. */
  failure(key: string, settings: ResolvedSettings, retryAfterMs?: number): void {
    const now = this.now();
    let health = this.health.get(key);
    if (!health) {
      health = { failures: [], outUntil: 0, probing: false };
      this.health.set(key, health);
    }
    const cooldownMs = settings.cooldownSeconds * 1000;
    if (health.probing) {
      health.probing = false;
      health.outUntil = now + Math.max(cooldownMs, retryAfterMs ?? 0);
      return;
    }
    const windowStart = now - settings.cooldownWindowSeconds * 1000;
    health.failures = health.failures.filter((at) => at > windowStart);
    health.failures.push(now);
    if (health.failures.length >= settings.cooldownFailures) {
      health.failures = [];
      health.outUntil = now + Math.max(cooldownMs, retryAfterMs ?? 0);
    } else if (retryAfterMs !== undefined && retryAfterMs > 0) {
      health.outUntil = Math.max(health.outUntil, now + retryAfterMs);
    }
  }

  /** A probe that ended without a verdict (cancelled): the next request probes instead. */
  release(key: string): void {
    const health = this.health.get(key);
    if (health) health.probing = false;
  }
}

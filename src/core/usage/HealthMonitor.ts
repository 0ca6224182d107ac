import { createHash } from 'node:crypto';
import { silentLogger, type Logger } from '../logger';
import type { AIProvider } from '../providers';
import type { AIConfiguration } from '../store';
import { Emitter } from '../events';
import type { UsageTracker } from './UsageTracker';
import { errorMessage } from '../errors';
import { KeysNeedReentryError } from '../crypto/errors';

export type HealthState = 'unknown' | 'healthy' | 'unhealthy';

/** One configuration's connection status, as the status dashboard shows it. */
export interface HealthStatus {
  readonly configurationId: string;
  readonly name: string;
  readonly provider: string;
  readonly state: HealthState;
  readonly lastCheckedAt: string | null;
  readonly latencyMs: number | null;
  /** Why the last check failed, in the provider's words (keys redacted by the adapter). */
  readonly error: string | null;
  /** Failed requests / requests over the last 24 hours, all kinds of requests; null without a tracker. */
  readonly errorRate: number | null;
}

export interface HealthChange {
  readonly status: HealthStatus;
  readonly previous: HealthState;
}

/** setInterval/clearInterval, replaceable in tests. */
export interface HealthTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface HealthMonitorDeps {
  /** The configurations to watch (the host passes the active ones). */
  readonly configurations: () => readonly AIConfiguration[];
  /** The adapter and call target of a configuration (ProviderAccess.targetOf: settings parsed, key opened). */
  readonly resolve: (configuration: AIConfiguration) => Promise<{ provider: AIProvider; target: { config: unknown; apiKey?: string } }>;
  /** Records each check as a request and supplies the error rate; optional. */
  readonly tracker?: UsageTracker;
  readonly intervalMs?: number;
  /** Longest a check may take. */
  readonly timeoutMs?: number;
  readonly timers?: HealthTimers;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

interface CheckResult {
  readonly ok: boolean;
  readonly at: string;
  readonly latencyMs: number;
  readonly error: string | null;
}

const defaultTimers: HealthTimers = {
  setInterval: (callback, ms) => {
    const handle = setInterval(callback, ms);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => {
    clearInterval(handle as NodeJS.Timeout);
  },
};

/**
 * Checks configurations at an interval with the cheapest call there is (a refreshed model list: /v1/models,
 * /api/tags), once per distinct provider + endpoint + key however many configurations share them, caches the result
 * and says when a configuration turns unhealthy.
 */
export class HealthMonitor {
  private readonly changes = new Emitter<HealthChange>();
  /** Any change of state. */
  readonly onDidChange = this.changes.event;
  private readonly unhealthy = new Emitter<HealthStatus>();
  /** A configuration that was not unhealthy now is (once per transition). */
  readonly onDidTurnUnhealthy = this.unhealthy.event;
  private readonly checked = new Emitter<readonly HealthStatus[]>();
  /** A round of checks ended (what else is refreshed with the health check follows it). */
  readonly onDidCheck = this.checked.event;
  private readonly results = new Map<string, CheckResult>();
  private readonly states = new Map<string, HealthState>();
  private handle: unknown;
  private running: Promise<HealthStatus[]> | undefined;
  private readonly timers: HealthTimers;
  private readonly now: () => Date;
  private readonly logger: Logger;

  constructor(private readonly deps: HealthMonitorDeps) {
    this.timers = deps.timers ?? defaultTimers;
    this.now = deps.now ?? (() => new Date());
    this.logger = deps.logger ?? silentLogger;
  }

  private intervalOverride: number | undefined;

  get intervalMs(): number {
    return Math.max(10_000, this.intervalOverride ?? this.deps.intervalMs ?? 300_000);
  }

  /** A new interval (the setting changed); applies from the next `start`. */
  setIntervalMs(ms: number): void {
    this.intervalOverride = ms;
  }

  /** Checks now and then every interval; calling it again restarts the timer. */
  start(): void {
    this.stop();
    this.handle = this.timers.setInterval(() => {
      void this.checkNow();
    }, this.intervalMs);
    void this.checkNow();
  }

  stop(): void {
    if (this.handle !== undefined) this.timers.clearInterval(this.handle);
    this.handle = undefined;
  }

  /** Runs one round of checks (joining a round already running) and returns the summary. */
  checkNow(): Promise<HealthStatus[]> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The cached status of every watched configuration (no network). */
  summary(): HealthStatus[] {
    return this.deps.configurations().map((c) => this.statusOf(c, this.results.get(c.id)));
  }

  status(configurationId: string): HealthStatus | undefined {
    return this.summary().find((s) => s.configurationId === configurationId);
  }

  dispose(): void {
    this.stop();
    this.changes.dispose();
    this.unhealthy.dispose();
    this.checked.dispose();
  }

  private async round(): Promise<HealthStatus[]> {
    const configurations = this.deps.configurations();
    const groups = new Map<string, { members: AIConfiguration[]; resolved: Awaited<ReturnType<HealthMonitorDeps['resolve']>> }>();
    for (const configuration of configurations) {
      let resolved: Awaited<ReturnType<HealthMonitorDeps['resolve']>>;
      try {
        resolved = await this.deps.resolve(configuration);
      } catch (error) {
        if (isKeyLocked(error)) {
          // A key this machine cannot open says nothing of the server's health (the key notice and the lock say
          // what to do): not checked, and no earlier result stands in for it once the key is entered again.
          this.results.delete(configuration.id);
          continue;
        }
        // Settings or key unusable: no request is sent, the configuration is unhealthy with the reason.
        this.results.set(configuration.id, { ok: false, at: this.now().toISOString(), latencyMs: 0, error: messageOf(error) });
        continue;
      }
      const key = endpointKey(configuration.provider, resolved.target);
      const group = groups.get(key);
      if (group) group.members.push(configuration);
      else groups.set(key, { members: [configuration], resolved });
    }
    await Promise.all([...groups.values()].map(async ({ members, resolved }) => {
      const result = await this.check(resolved);
      for (const member of members) this.results.set(member.id, result);
      const first = members[0];
      if (first) await this.record(first, result);
    }));
    for (const id of [...this.results.keys()]) if (!configurations.some((c) => c.id === id)) this.results.delete(id);
    const summary = configurations.map((c) => this.statusOf(c, this.results.get(c.id)));
    for (const status of summary) this.transition(status);
    this.checked.fire(summary);
    return summary;
  }

  private async check(resolved: Awaited<ReturnType<HealthMonitorDeps['resolve']>>): Promise<CheckResult> {
    const started = performance.now();
    const at = this.now().toISOString();
    const signal = AbortSignal.timeout(this.deps.timeoutMs ?? 15_000);
    try {
      await resolved.provider.listModels(resolved.target, { refresh: true, retry: false, signal, details: false });
      return { ok: true, at, latencyMs: performance.now() - started, error: null };
    } catch (error) {
      return { ok: false, at, latencyMs: performance.now() - started, error: messageOf(error) };
    }
  }

  private async record(configuration: AIConfiguration, result: CheckResult): Promise<void> {
    if (!this.deps.tracker) return;
    try {
      await this.deps.tracker.recordUsage({
        configurationId: configuration.id,
        startedAt: result.at,
        outcome: result.ok ? 'success' : 'error',
        errorCode: result.ok ? null : 'health-check',
        latencyMs: result.latencyMs,
        reason: 'health check',
      });
    } catch (error) {
      this.logger.warn(`Could not record a health check: ${messageOf(error)}`);
    }
  }

  private statusOf(configuration: AIConfiguration, result: CheckResult | undefined): HealthStatus {
    let errorRate: number | null = null;
    if (this.deps.tracker) {
      const to = this.now();
      errorRate = this.deps.tracker.getUsageStats(configuration.id, { from: new Date(to.getTime() - 86_400_000), to: new Date(to.getTime() + 1) }).errorRate;
    }
    return {
      configurationId: configuration.id,
      name: configuration.name,
      provider: configuration.provider,
      state: result === undefined ? 'unknown' : result.ok ? 'healthy' : 'unhealthy',
      lastCheckedAt: result?.at ?? null,
      latencyMs: result?.latencyMs ?? null,
      error: result?.error ?? null,
      errorRate,
    };
  }

  private transition(status: HealthStatus): void {
    const previous = this.states.get(status.configurationId) ?? 'unknown';
    if (previous === status.state) return;
    this.states.set(status.configurationId, status.state);
    this.changes.fire({ status, previous });
    if (status.state === 'unhealthy') {
      this.logger.warn(`"${status.name}" is unreachable: ${status.error ?? 'unknown error'}`);
      this.unhealthy.fire(status);
    }
  }
}

/**
 * A key this machine cannot open: the crypto layer's error, or the services' ConfigurationError of kind
 * "keys-need-reentry" that wraps it (read by its kind: the services layer builds on this one, not the reverse).
 */
function isKeyLocked(error: unknown): boolean {
  return error instanceof KeysNeedReentryError || (error instanceof Error && (error as { kind?: unknown }).kind === 'keys-need-reentry');
}

/** One check per provider + endpoint + key; the key only ever enters as part of a SHA-256. */
export function endpointKey(provider: string, target: { config: unknown; apiKey?: string }): string {
  const config = target.config as { baseUrl?: unknown } | null;
  const baseUrl = typeof config?.baseUrl === 'string' ? config.baseUrl : '';
  return createHash('sha256').update(provider).update('\u0000').update(baseUrl).update('\u0000').update(target.apiKey ?? '').digest('hex');
}

function messageOf(error: unknown): string {
  return errorMessage(error);
}

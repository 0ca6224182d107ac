import { errorMessage } from '../errors';
import type { Logger } from '../logger';
import type { Store } from '../store';
import { auditExport, auditExportRows, type AuditExportFormat } from './exportAudit';

/** Days of audit entries kept when the setting says nothing. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
/** A key that cannot be opened is recorded once an hour per configuration: every view of it tries again. */
const REPEAT_WINDOW_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface AuditRecorderDeps {
  readonly store: Store;
  readonly userId: string;
  readonly logger: Logger;
  readonly now: () => Date;
  /** How many days entries are kept (clamped to 1–3650). */
  readonly retentionDays?: number;
}

/** Why an attempt was refused before it reached a provider. */
export interface Refusal {
  /** What was attempted, in words: "connection tests", "chat", "model-list refreshes". */
  readonly operation: string;
  readonly reason: 'budget' | 'rate-limited';
  /** The refusal as the user read it (names a budget and a configuration, never a key). */
  readonly message?: string;
}

/**
 * The audit entries of attempts that failed, recorded where they fail (outside any store write, so each one is a
 * write of its own, queued and never awaited by the caller), and the pruning of entries past the retention.
 */
export class AuditRecorder {
  private readonly recent = new Map<string, number>();

  constructor(private readonly deps: AuditRecorderDeps) {}

  get retentionDays(): number {
    return Math.min(3650, Math.max(1, Math.floor(this.deps.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS)));
  }

  /** A stored key (or sealed header) that would not decrypt: tampered with, moved, or sealed under a lost key. */
  keyUnreadable(configurationId: string, failure: string, field = 'apiKey'): void {
    const key = `${configurationId}:${field}:${failure}`;
    const now = this.deps.now().getTime();
    const last = this.recent.get(key);
    if (last !== undefined && now - last < REPEAT_WINDOW_MS) return;
    this.recent.set(key, now);
    this.record('access.keyUnreadable', 'configuration', configurationId, { field, failure });
  }

  /** A request refused before it was sent: a used-up hard-stop budget, or too many tests in a minute. */
  refused(configurationId: string | null, refusal: Refusal): void {
    this.record(refusal.reason === 'budget' ? 'access.budgetRefused' : 'access.refused', configurationId ? 'configuration' : 'draft', configurationId, { ...refusal });
  }

  /** The local endpoint started or stopped serving in this window (its address and why, never a token). */
  endpoint(action: 'endpoint.started' | 'endpoint.stopped', details: Readonly<Record<string, unknown>>): void {
    this.record(action, 'endpoint', null, { ...details });
  }

  /** Deletes entries older than the retention (from the start of today, UTC); returns how many went. */
  async prune(): Promise<number> {
    const now = this.deps.now();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const horizon = new Date(today - this.retentionDays * DAY_MS).toISOString();
    const removed = await this.deps.store.write((r) => r.audit.pruneBefore(horizon));
    if (removed > 0) this.deps.logger.info(`Removed ${String(removed)} audit entries older than ${String(this.retentionDays)} days.`);
    return removed;
  }

  /**
   * The whole log as a file's text (oldest first, configurations named, secrets removed again on the way out), and
   * the export itself recorded once the text is made.
   */
  async exportLog(format: AuditExportFormat): Promise<{ readonly text: string; readonly entries: number }> {
    const { store, userId } = this.deps;
    const entries = store.read((r) => r.audit.all(userId));
    const names = new Map(store.read((r) => r.configurations.list(userId)).map((c) => [c.id, c.name]));
    const text = auditExport(format, auditExportRows(entries, (id) => names.get(id)));
    await store.write((r) => {
      r.audit.record(userId, 'audit.export', 'file', null, { format, entries: entries.length });
    });
    return { text, entries: entries.length };
  }

  private record(action: string, targetType: string, targetId: string | null, details: Record<string, unknown>): void {
    const { userId } = this.deps;
    void this.deps.store.write((r) => {
      r.audit.record(userId, action, targetType, targetId, details);
    }).catch((error: unknown) => {
      this.deps.logger.warn(`Could not record "${action}" in the audit log: ${errorMessage(error)}`);
    });
  }
}

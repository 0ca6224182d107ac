import { parseObject } from './json';
import type { Row, Sql } from './sql';
import { num, optionalText, text } from './sql';
import type { AuditEntry } from './types';

/** Detail fields whose values are dropped whatever the caller passes: the audit log must never hold a secret. */
const SECRET_FIELD = /key|secret|token|password|credential|authorization/i;

export class AuditLogRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  record(userId: string, action: string, targetType: string, targetId: string | null, details: Readonly<Record<string, unknown>> = {}): void {
    this.sql.run('INSERT INTO audit_log (user_id, at, action, target_type, target_id, details) VALUES (?, ?, ?, ?, ?, ?)', [
      userId, this.now(), action, targetType, targetId, JSON.stringify(redact(details)),
    ]);
  }

  /** The newest entry of one action on one target, e.g. a configuration's last connection test. */
  latest(userId: string, action: string, targetId: string): AuditEntry | undefined {
    const row = this.sql.get('SELECT * FROM audit_log WHERE user_id = ? AND action = ? AND target_id = ? ORDER BY id DESC LIMIT 1', [userId, action, targetId]);
    return row ? toEntry(row) : undefined;
  }

  /** The oldest entry of one action on one target recorded at or after `at` (ISO time). */
  firstSince(userId: string, action: string, targetId: string, at: string): AuditEntry | undefined {
    const row = this.sql.get('SELECT * FROM audit_log WHERE user_id = ? AND action = ? AND target_id = ? AND at >= ? ORDER BY id ASC LIMIT 1', [userId, action, targetId, at]);
    return row ? toEntry(row) : undefined;
  }

  list(userId: string, limit = 100): AuditEntry[] {
    return this.sql.all('SELECT * FROM audit_log WHERE user_id = ? ORDER BY id DESC LIMIT ?', [userId, limit]).map(toEntry);
  }

  /** Every entry of the user, oldest first: what an export writes. */
  all(userId: string): AuditEntry[] {
    return this.sql.all('SELECT * FROM audit_log WHERE user_id = ? ORDER BY id ASC', [userId]).map(toEntry);
  }

  /** Removes every user's entries recorded before `at` (ISO time); returns how many went. */
  pruneBefore(at: string): number {
    return this.sql.run('DELETE FROM audit_log WHERE at < ?', [at]);
  }
}

/** Keeps the shape (so a reader sees that a key changed) but never the value. */
export function redact(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(details)) {
    if (SECRET_FIELD.test(name) && !/count|tokens$/i.test(name)) safe[name] = '[redacted]';
    else safe[name] = redactValue(value);
  }
  return safe;
}

/** Objects at any depth, inside arrays too (a list of headers), are redacted by their field names. */
function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object' && value !== null) return redact(value as Record<string, unknown>);
  return value;
}

function toEntry(row: Row): AuditEntry {
  return {
    id: num(row.id),
    userId: text(row.user_id),
    at: text(row.at),
    action: text(row.action),
    targetType: text(row.target_type),
    targetId: optionalText(row.target_id),
    details: parseObject(text(row.details)),
  };
}

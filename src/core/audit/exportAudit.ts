import { redact } from '../store/AuditLogRepository';
import type { AuditEntry } from '../store/types';

export type AuditExportFormat = 'csv' | 'jsonl';

/** What a line of the export says about one entry; `targetName` is the configuration's name where it still exists. */
export interface AuditExportRow {
  readonly at: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly targetName: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

const HEADER = ['at (UTC)', 'action', 'target type', 'target id', 'target name', 'details'];

export function auditExportRows(entries: readonly AuditEntry[], nameOf: (id: string) => string | undefined): AuditExportRow[] {
  return entries.map((e) => ({
    at: e.at,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    targetName: e.targetId ? (nameOf(e.targetId) ?? null) : null,
    // Redacted again on the way out: a row written by an older version is held to today's rule too.
    details: redact(e.details),
  }));
}

/** The audit log as CSV (RFC 4180, CRLF lines) that a spreadsheet opens without running any cell as a formula. */
export function auditCsv(rows: readonly AuditExportRow[]): string {
  const lines = [HEADER.map(csvCell).join(',')];
  for (const row of rows) {
    lines.push([row.at, row.action, row.targetType, row.targetId ?? '', row.targetName ?? '', JSON.stringify(row.details)].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The audit log as JSON Lines: one object per entry, oldest first. NEL, LINE and PARAGRAPH SEPARATOR are written
 * escaped: JSON leaves them raw, and readers that split on every Unicode line break (Python's splitlines) would read
 * a name holding one as two entries.
 */
export function auditJsonLines(rows: readonly AuditExportRow[]): string {
  return rows.map((row) => JSON.stringify(row).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('\n') + (rows.length > 0 ? '\n' : '');
}

export function auditExport(format: AuditExportFormat, rows: readonly AuditExportRow[]): string {
  return format === 'csv' ? auditCsv(rows) : auditJsonLines(rows);
}

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a leading = + - @ (or tab, carriage return), also
 * after spaces (spreadsheets that trim cells on import) and in full width, gets an apostrophe first, so a name such
 * as "=HYPERLINK(...)" stays text in a spreadsheet.
 */
export function csvCell(value: string): string {
  const text = /^[\s\u00a0\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

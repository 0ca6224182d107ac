import type { Database, SqlJsStatic } from 'sql.js';
import { LATEST_SCHEMA_VERSION, schemaVersion } from './migrations';
import { describeSchemaMismatch } from './schemaCheck';
import { Sql, text } from './sql';
import { errorMessage } from '../errors';

export type LoadResult =
  | { readonly kind: 'ok'; readonly db: Database }
  | { readonly kind: 'damaged'; readonly reason: string }
  | { readonly kind: 'newer'; readonly found: number };

const MAGIC = 'SQLite format 3\u0000';

/** The write generation we keep in the header's user_version field: a cheap "did another window write?" check. */
export function headerGeneration(header: Uint8Array): number {
  if (header.length < 64) return -1;
  return Buffer.from(header.buffer, header.byteOffset, header.byteLength).readUInt32BE(60);
}

/**
 * Opens bytes as a database only if they are whole, pass `PRAGMA integrity_check` and hold the schema the
 * migrations built for their version; says why not otherwise.
 */
export function loadDatabase(SQL: SqlJsStatic, bytes: Uint8Array): LoadResult {
  const shape = describeBadShape(bytes);
  if (shape) return { kind: 'damaged', reason: shape };
  let db: Database | undefined;
  try {
    db = new SQL.Database(bytes);
    const sql = new Sql(db);
    const problems = sql.all('PRAGMA integrity_check').map((row) => text(Object.values(row)[0]));
    if (problems.length !== 1 || problems[0] !== 'ok') {
      db.close();
      return { kind: 'damaged', reason: `integrity check failed: ${problems.slice(0, 3).join('; ')}` };
    }
    const found = schemaVersion(sql);
    if (found > LATEST_SCHEMA_VERSION) {
      db.close();
      return { kind: 'newer', found };
    }
    const mismatch = describeSchemaMismatch(SQL, sql, found);
    if (mismatch) {
      db.close();
      return { kind: 'damaged', reason: mismatch };
    }
    return { kind: 'ok', db };
  } catch (error) {
    db?.close();
    return { kind: 'damaged', reason: `SQLite could not read it: ${errorMessage(error)}` };
  }
}

function describeBadShape(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return 'the file is empty';
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 100 || buffer.toString('latin1', 0, 16) !== MAGIC) return 'the file is not a SQLite database';
  const rawPageSize = buffer.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pageCount = buffer.readUInt32BE(28);
  // The page count is only trustworthy when "version-valid-for" matches the change counter.
  if (buffer.readUInt32BE(92) === buffer.readUInt32BE(24) && pageCount > 0 && pageCount * pageSize !== bytes.length) {
    return `the file is cut off: ${String(bytes.length)} of ${String(pageCount * pageSize)} bytes`;
  }
  return undefined;
}

import type { Database } from 'sql.js';

/**
 * Connection settings; sql.js's export() closes and reopens the connection, which resets them,
 * so they are applied after every open and every export.
 */
export function applyPragmas(db: Database): void {
  // secure_delete: a replaced or deleted value (a key, a header sealed later) is overwritten, not left in a free page.
  db.exec('PRAGMA foreign_keys = ON; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON;');
}

import type { Sql } from './sql';
import { text } from './sql';

/** Small named facts about the database itself (never secrets). */
export class MetaRepository {
  constructor(private readonly sql: Sql) {}

  get(key: string): string | undefined {
    const row = this.sql.get('SELECT value FROM store_meta WHERE key = ?', [key]);
    return row ? text(row.value) : undefined;
  }

  set(key: string, value: string): void {
    this.sql.run('INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)', [key, value]);
  }

  delete(key: string): void {
    this.sql.run('DELETE FROM store_meta WHERE key = ?', [key]);
  }
}

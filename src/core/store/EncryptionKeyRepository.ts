import type { Row, Sql } from './sql';
import { num, optionalText, text } from './sql';
import type { EncryptionKeyVersion } from './types';

/** encryption_keys: which key versions a user has and which are retired. No key material lives here. */
export class EncryptionKeyRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  list(userId: string): EncryptionKeyVersion[] {
    return this.sql.all('SELECT * FROM encryption_keys WHERE user_id = ? ORDER BY version', [userId]).map(toVersion);
  }

  /** The newest version, the one new ciphertexts use; undefined before the user's first key. */
  currentVersion(userId: string): number | undefined {
    const row = this.sql.get('SELECT MAX(version) AS version FROM encryption_keys WHERE user_id = ?', [userId]);
    return row?.version === null || row?.version === undefined ? undefined : num(row.version);
  }

  /** The current version, creating version 1 on a user's first sealed key (call inside a write). */
  ensureCurrentVersion(userId: string): number {
    const current = this.currentVersion(userId);
    if (current !== undefined) return current;
    this.sql.run('INSERT INTO encryption_keys (user_id, version, created_at) VALUES (?, 1, ?)', [userId, this.now()]);
    return 1;
  }

  addVersion(userId: string): number {
    const version = (this.currentVersion(userId) ?? 0) + 1;
    this.sql.run('INSERT INTO encryption_keys (user_id, version, created_at) VALUES (?, ?, ?)', [userId, version, this.now()]);
    return version;
  }

  retire(userId: string, version: number): void {
    this.sql.run('UPDATE encryption_keys SET retired_at = ? WHERE user_id = ? AND version = ? AND retired_at IS NULL', [this.now(), userId, version]);
  }
}

function toVersion(row: Row): EncryptionKeyVersion {
  return { userId: text(row.user_id), version: num(row.version), createdAt: text(row.created_at), retiredAt: optionalText(row.retired_at) };
}

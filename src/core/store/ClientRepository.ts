import { optionalText, text, type Row, type Sql } from './sql';
import type { ClientScope, EndpointClientRow } from './types';

/** The local endpoint's clients: a name, a scope and the SHA-256 of a token that is never stored. */
export class ClientRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  insert(row: { readonly id: string; readonly userId: string; readonly name: string; readonly scope: ClientScope; readonly tokenHash: string }): EndpointClientRow {
    const createdAt = this.now();
    this.sql.run('INSERT INTO endpoint_clients (id, user_id, name, scope, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [row.id, row.userId, row.name, row.scope, row.tokenHash, createdAt]);
    return { ...row, createdAt, lastUsedAt: null, revokedAt: null };
  }

  /** Every client of the user, revoked ones included (the list says so), oldest first. */
  list(userId: string): EndpointClientRow[] {
    return this.sql.all('SELECT * FROM endpoint_clients WHERE user_id = ? ORDER BY created_at, id', [userId]).map(toRow);
  }

  get(userId: string, id: string): EndpointClientRow | undefined {
    const row = this.sql.get('SELECT * FROM endpoint_clients WHERE user_id = ? AND id = ?', [userId, id]);
    return row ? toRow(row) : undefined;
  }

  touch(userId: string, id: string, at: string): void {
    this.sql.run('UPDATE endpoint_clients SET last_used_at = ? WHERE user_id = ? AND id = ? AND (last_used_at IS NULL OR last_used_at < ?)', [at, userId, id, at]);
  }

  revoke(userId: string, id: string): boolean {
    return this.sql.run('UPDATE endpoint_clients SET revoked_at = ? WHERE user_id = ? AND id = ? AND revoked_at IS NULL', [this.now(), userId, id]) > 0;
  }
}

function toRow(row: Row): EndpointClientRow {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    name: text(row.name),
    scope: text(row.scope) === 'admin' ? 'admin' : 'chat',
    tokenHash: text(row.token_hash),
    createdAt: text(row.created_at),
    lastUsedAt: optionalText(row.last_used_at),
    revokedAt: optionalText(row.revoked_at),
  };
}

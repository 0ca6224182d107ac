import { randomUUID } from 'node:crypto';
import type { Row, Sql } from './sql';
import { text } from './sql';
import type { User } from './types';

const LOCAL_USER_KEY = 'local_user_id';

export class UserRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  /** The person using this VS Code profile, created on first run and the same on every run after. */
  ensureLocalUser(name = 'Local user'): User {
    const existing = this.sql.get('SELECT value FROM store_meta WHERE key = ?', [LOCAL_USER_KEY]);
    if (existing) {
      const user = this.get(text(existing.value));
      if (user) return user;
    }
    const user = this.create(name);
    this.sql.run('INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)', [LOCAL_USER_KEY, user.id]);
    return user;
  }

  /** The local user if first-run setup has happened, without creating it (for read-only callers). */
  localUser(): User | undefined {
    const existing = this.sql.get('SELECT value FROM store_meta WHERE key = ?', [LOCAL_USER_KEY]);
    return existing ? this.get(text(existing.value)) : undefined;
  }

  create(name: string, id: string = randomUUID()): User {
    const at = this.now();
    this.sql.run('INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)', [id, name, at]);
    return { id, name, createdAt: at };
  }

  get(id: string): User | undefined {
    const row = this.sql.get('SELECT * FROM users WHERE id = ?', [id]);
    return row ? toUser(row) : undefined;
  }
}

function toUser(row: Row): User {
  return { id: text(row.id), name: text(row.name), createdAt: text(row.created_at) };
}

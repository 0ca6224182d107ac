import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ClientScope, EndpointClientRow, Store } from '../store';
import type { EndpointClient } from './EndpointServer';

/** A client as the views list it: never its token, nor the token's hash. */
export interface ClientSummary {
  readonly id: string;
  readonly name: string;
  readonly scope: ClientScope;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface ClientTokenServiceDeps {
  readonly store: Store;
  readonly userId: string;
  readonly now: () => Date;
}

/** Tokens start with this, so a leaked one is recognisable (secret scanners, logs) as a Model Manager client token. */
export const CLIENT_TOKEN_PREFIX = 'mmct_';
/** Last use is saved at most this often per client: every save rewrites the database file. */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_NAME_LENGTH = 100;

/**
 * The local endpoint's client tokens: 256 random bits, shown once at creation and stored only as their SHA-256.
 * A fast unsalted hash is enough for a uniformly random 256-bit secret (no dictionary to try, no preimage to find);
 * a slow password hash (scrypt) would only add milliseconds to every request.
 */
export class ClientTokenService {
  private readonly touched = new Map<string, number>();

  constructor(private readonly deps: ClientTokenServiceDeps) {}

  /** A new client and its token: the only time the token exists outside the client's own configuration. */
  async create(name: string, scope: ClientScope): Promise<{ readonly client: ClientSummary; readonly token: string }> {
    const trimmed = name.trim();
    if (trimmed === '') throw new Error('Give the client a name, such as the tool that will use the token.');
    if (trimmed.length > MAX_NAME_LENGTH) throw new Error(`A client name has at most ${String(MAX_NAME_LENGTH)} characters.`);
    const token = `${CLIENT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const { store, userId } = this.deps;
    const row = await store.write((r) => {
      const created = r.clients.insert({ id: randomUUID(), userId, name: trimmed, scope, tokenHash: hashToken(token) });
      r.audit.record(userId, 'endpoint.clientCreated', 'endpointClient', created.id, { name: trimmed, scope });
      return created;
    });
    return { client: summary(row), token };
  }

  list(): ClientSummary[] {
    const { store, userId } = this.deps;
    return store.read((r) => r.clients.list(userId)).map(summary);
  }

  /** Requests per client since `since` (ISO time), for one configuration: VS Code's own under `null`, clients by name. */
  requestsByClient(since: string, configurationId?: string): { readonly client: string | null; readonly requests: number }[] {
    const { store, userId } = this.deps;
    const rows = store.read((r) => r.requestLog.byClient(userId, since, configurationId));
    const names = new Map(store.read((r) => r.clients.list(userId)).map((c) => [c.id, c.name]));
    return rows.map((row) => ({ client: row.clientId === null ? null : names.get(row.clientId) ?? row.clientId, requests: row.requests }));
  }

  /** Revokes at once: the next request with its token gets a 401. False when it was already revoked or is unknown. */
  async revoke(id: string): Promise<boolean> {
    const { store, userId } = this.deps;
    return store.write((r) => {
      const row = r.clients.get(userId, id);
      if (!row || !r.clients.revoke(userId, id)) return false;
      r.audit.record(userId, 'endpoint.clientRevoked', 'endpointClient', id, { name: row.name, scope: row.scope });
      return true;
    });
  }

  /**
   * The live client a token belongs to. Every live client's hash is compared, each in constant time and none
   * skipped, so the time taken says nothing about how close a guess came.
   */
  authenticate(token: string): EndpointClient | undefined {
    const { store, userId } = this.deps;
    const presented = Buffer.from(hashToken(token), 'hex');
    let found: EndpointClientRow | undefined;
    for (const row of store.read((r) => r.clients.list(userId))) {
      const stored = Buffer.from(row.tokenHash, 'hex');
      const same = stored.length === presented.length && timingSafeEqual(stored, presented);
      if (same && row.revokedAt === null) found = row;
    }
    if (!found) return undefined;
    this.noteUse(found.id);
    return { id: found.id, name: found.name, scope: found.scope };
  }

  /** Saves the last use, at most once a minute per client; a failed save is retried with the next request. */
  private noteUse(id: string): void {
    const now = this.deps.now();
    const last = this.touched.get(id);
    if (last !== undefined && now.getTime() - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(id, now.getTime());
    const { store, userId } = this.deps;
    // Through a promise: a store closed meanwhile throws at once, and a last-use stamp is never worth a failed request.
    void Promise.resolve().then(() => store.write((r) => {
      r.clients.touch(userId, id, now.toISOString());
    })).catch(() => {
      this.touched.delete(id);
    });
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function summary(row: EndpointClientRow): ClientSummary {
  return { id: row.id, name: row.name, scope: row.scope, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

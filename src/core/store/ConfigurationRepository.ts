import { randomUUID } from 'node:crypto';
import { parseObject } from './json';
import type { Row, Sql } from './sql';
import { num, optionalText, text } from './sql';
import type { AIConfiguration, ConfigurationPatch, NewConfiguration } from './types';

/** The sealed columns of a configuration, named by the field their ciphertext is bound to. */
export type SealedField = 'api_key' | 'headers';

/** ai_configurations, always scoped by the owning user's id. */
export class ConfigurationRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  create(userId: string, input: NewConfiguration): AIConfiguration {
    const at = this.now();
    const id = input.id ?? randomUUID();
    this.sql.run(
      `INSERT INTO ai_configurations (id, user_id, name, provider, model, base_url, encrypted_api_key, config, is_active, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, userId, input.name, input.provider, input.model, input.baseUrl ?? null, input.encryptedApiKey ?? null,
        JSON.stringify(input.config ?? {}), input.isActive === false ? 0 : 1, at, at],
    );
    const created = this.get(userId, id);
    if (!created) throw new Error('ConfigurationRepository.create: the new row was not found');
    return created;
  }

  list(userId: string): AIConfiguration[] {
    return this.sql.all('SELECT * FROM ai_configurations WHERE user_id = ? ORDER BY name, id', [userId]).map(toConfiguration);
  }

  get(userId: string, id: string): AIConfiguration | undefined {
    const row = this.sql.get('SELECT * FROM ai_configurations WHERE user_id = ? AND id = ?', [userId, id]);
    return row ? toConfiguration(row) : undefined;
  }

  /** Returns undefined when the configuration does not exist for this user (another user's id included). */
  update(userId: string, id: string, patch: ConfigurationPatch): AIConfiguration | undefined {
    const current = this.get(userId, id);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    this.sql.run(
      `UPDATE ai_configurations SET name = ?, provider = ?, model = ?, base_url = ?, encrypted_api_key = ?, encrypted_headers = ?, config = ?,
         is_active = ?, last_tested_at = ?, test_status = ?, updated_at = ?
       WHERE user_id = ? AND id = ?`,
      [next.name, next.provider, next.model, next.baseUrl, next.encryptedApiKey, next.encryptedHeaders ?? null, JSON.stringify(next.config),
        next.isActive ? 1 : 0, next.lastTestedAt, next.testStatus, this.now(), userId, id],
    );
    return this.get(userId, id);
  }

  delete(userId: string, id: string): boolean {
    return this.sql.run('DELETE FROM ai_configurations WHERE user_id = ? AND id = ?', [userId, id]) > 0;
  }

  /** Every sealed value of one user (API keys and sealed headers), each with the field it is bound to, for rotation. */
  sealedValues(userId: string): { id: string; field: SealedField; sealed: string }[] {
    return this.sql
      .all('SELECT id, encrypted_api_key, encrypted_headers FROM ai_configurations WHERE user_id = ? AND (encrypted_api_key IS NOT NULL OR encrypted_headers IS NOT NULL) ORDER BY id', [userId])
      .flatMap((row) => [
        ...(row.encrypted_api_key === null ? [] : [{ id: text(row.id), field: 'api_key' as const, sealed: text(row.encrypted_api_key) }]),
        ...(row.encrypted_headers === null ? [] : [{ id: text(row.id), field: 'headers' as const, sealed: text(row.encrypted_headers) }]),
      ]);
  }

  /** Replaces one sealed value, leaving updated_at alone: re-sealing is not a user edit. */
  replaceSealedValue(userId: string, id: string, field: SealedField, sealed: string): boolean {
    const column = field === 'headers' ? 'encrypted_headers' : 'encrypted_api_key';
    return this.sql.run(`UPDATE ai_configurations SET ${column} = ? WHERE user_id = ? AND id = ?`, [sealed, userId, id]) > 0;
  }

  /** Rows of one user holding a sealed key, for rotation. */
  sealedKeys(userId: string): { id: string; encryptedApiKey: string }[] {
    return this.sql
      .all('SELECT id, encrypted_api_key FROM ai_configurations WHERE user_id = ? AND encrypted_api_key IS NOT NULL ORDER BY id', [userId])
      .map((row) => ({ id: text(row.id), encryptedApiKey: text(row.encrypted_api_key) }));
  }

  /** Replaces only the sealed key, leaving updated_at alone: re-sealing is not a user edit. */
  replaceSealedKey(userId: string, id: string, encryptedApiKey: string): boolean {
    return this.sql.run('UPDATE ai_configurations SET encrypted_api_key = ? WHERE user_id = ? AND id = ?', [encryptedApiKey, userId, id]) > 0;
  }

  /** How many sealed keys exist across every user: decides whether a missing master secret orphans data. */
  countSealedKeys(): number {
    return num(this.sql.get('SELECT COUNT(*) AS n FROM ai_configurations WHERE encrypted_api_key IS NOT NULL OR encrypted_headers IS NOT NULL')?.n);
  }

  /** The users that own sealed keys, for re-sealing under a new master secret. */
  usersWithSealedKeys(): string[] {
    return this.sql.all('SELECT DISTINCT user_id FROM ai_configurations WHERE encrypted_api_key IS NOT NULL OR encrypted_headers IS NOT NULL ORDER BY user_id').map((r) => text(r.user_id));
  }
}

function toConfiguration(row: Row): AIConfiguration {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    name: text(row.name),
    provider: text(row.provider),
    model: text(row.model),
    baseUrl: optionalText(row.base_url),
    encryptedApiKey: optionalText(row.encrypted_api_key),
    encryptedHeaders: optionalText(row.encrypted_headers),
    config: parseObject(text(row.config)),
    isActive: num(row.is_active) !== 0,
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
    lastTestedAt: optionalText(row.last_tested_at),
    testStatus: optionalText(row.test_status),
  };
}

import type { AuditRecorder } from '../audit';
import { DecryptError, KeysNeedReentryError, PassphraseKeySource, type EncryptionService, type PassphraseKey, type PassphraseRecord } from '../crypto';
import type { Emitter } from '../events';
import type { Logger } from '../logger';
import type { AIConfiguration, Repositories, Store } from '../store';
import type { DraftTests } from './draftTests';
import { ConfigurationError } from './errors';
import { configurationRow, notFound } from './rows';
import { HEADERS_FIELD, hasPlainSecretHeaders, parseSealedHeaders, separateSecretHeaders } from './secretHeaders';
import type { ConfigurationChange } from './types';
import { countOf } from '../../protocol/counts';

export interface KeyServiceDeps {
  readonly store: Store;
  readonly encryption: EncryptionService;
  readonly userId: string;
  readonly logger: Logger;
  readonly drafts: DraftTests;
  /** The configurations' change events (a rotated key is one). */
  readonly changes: Emitter<ConfigurationChange>;
  /** Records keys and headers that would not open. */
  readonly audit?: Pick<AuditRecorder, 'keyUnreadable'>;
}

/**
 * A configuration's secrets: the API key and the credential-carrying headers, sealed per configuration and opened
 * only to make a request. Every way in and out of the sealed columns goes through here, so a locked or lost master
 * key is refused the same way everywhere.
 */
export class KeyService {
  constructor(private readonly deps: KeyServiceDeps) {}

  /** "set (…abcd)": all a screen may learn about a stored key. */
  describeApiKey(id: string): { readonly set: boolean; readonly lastFour?: string; readonly readable: boolean } {
    const row = configurationRow(this.deps.store, this.deps.userId, id);
    if (!row.encryptedApiKey) return { set: false, readable: true };
    try {
      return { set: true, lastFour: this.openKey(row).slice(-4), readable: true };
    } catch {
      return { set: true, readable: false };
    }
  }

  /**
   * `configurations.rotateKey`: with a new key, replaces the provider credential; without one, re-seals the stored
   * key under a fresh IV and the user's current key version.
   */
  async rotateApiKey(id: string, newApiKey?: string): Promise<AIConfiguration> {
    const { userId } = this.deps;
    const current = configurationRow(this.deps.store, userId, id);
    const replacement = newApiKey?.trim();
    if (newApiKey !== undefined && !replacement) {
      throw new ConfigurationError('validation', 'The new API key is empty.', { fieldErrors: [{ field: 'apiKey', message: 'enter the new API key' }] });
    }
    const apiKey = replacement ?? (current.encryptedApiKey ? this.openKey(current) : undefined);
    if (!apiKey) throw new ConfigurationError('key-unavailable', `"${current.name}" has no stored API key to rotate. Enter a new key instead.`);
    const rotated = await this.deps.store.write((r) => {
      const sealed = this.seal(apiKey, id, r.keys);
      const row = r.configurations.update(userId, id, { encryptedApiKey: sealed, ...(replacement ? { testStatus: null, lastTestedAt: null } : {}) });
      if (!row) throw notFound(id);
      r.audit.record(userId, 'configuration.rotateKey', 'configuration', id, { replaced: Boolean(replacement) });
      return row;
    });
    const withTest = replacement ? ((await this.deps.drafts.applyToSaved(rotated, () => apiKey)) ?? rotated) : rotated;
    this.deps.changes.fire({ kind: 'key-rotated', id });
    return withTest;
  }

  /**
   * Seals the credential-carrying header values that an earlier version kept in plain settings. Saved twice, so
   * that the backup (the previous save) no longer holds them either. Returns how many configurations changed.
   */
  async sealPlainHeaders(): Promise<number> {
    const { userId } = this.deps;
    const candidates = this.deps.store.read((r) => r.configurations.list(userId)).filter((c) => hasPlainSecretHeaders(c.config));
    if (candidates.length === 0) return 0;
    const sealed = await this.deps.store.write((r) => {
      let count = 0;
      for (const { id } of candidates) {
        const latest = r.configurations.get(userId, id);
        if (!latest) continue;
        const headers = separateSecretHeaders(latest.config, () => this.openHeaders(latest));
        if (!headers.secrets) continue;
        r.configurations.update(userId, id, { config: headers.config, encryptedHeaders: this.seal(JSON.stringify(headers.secrets), id, r.keys, HEADERS_FIELD) });
        count++;
      }
      return count;
    });
    await this.deps.store.write((r) => {
      r.audit.record(userId, 'configuration.sealHeaders', 'user', userId, { configurations: sealed });
    });
    this.deps.logger.info(`Sealed the credential headers of ${countOf(sealed, 'configuration')} that were stored in plain settings.`);
    return sealed;
  }

  /** How many configurations hold a sealed API key (what a master-key change has to re-seal). */
  sealedKeyCount(): number {
    return this.deps.store.read((r) => r.configurations.sealedKeys(this.deps.userId).length);
  }

  /** Moves the master key under a master passphrase (a new one when `master` is undefined) in the database. */
  async adoptPassphrase(record: PassphraseRecord, key: PassphraseKey, master: Uint8Array | undefined): Promise<void> {
    await PassphraseKeySource.adopt(this.deps.store, record, key, master);
  }

  /** Seals a secret for one configuration; while keys need re-entry, refuses the way every other path does. */
  seal(secret: string, configurationId: string, keys: Repositories['keys'], field?: string): string {
    try {
      return this.deps.encryption.encryptApiKey(secret, { userId: this.deps.userId, configurationId, ...(field ? { field } : {}) }, keys);
    } catch (error) {
      if (error instanceof KeysNeedReentryError) throw new ConfigurationError('keys-need-reentry', error.message);
      throw error;
    }
  }

  /** The stored values of a configuration's sealed headers (empty when it has none). */
  openHeaders(row: AIConfiguration): Record<string, string> {
    if (!row.encryptedHeaders) return {};
    try {
      return parseSealedHeaders(this.deps.encryption.decryptApiKey(row.encryptedHeaders, { userId: this.deps.userId, configurationId: row.id, field: HEADERS_FIELD }));
    } catch (error) {
      if (error instanceof KeysNeedReentryError) throw new ConfigurationError('keys-need-reentry', error.message);
      if (error instanceof DecryptError) this.deps.audit?.keyUnreadable(row.id, error.failure, 'headers');
      throw new ConfigurationError('key-unavailable', `The stored secret headers of "${row.name}" cannot be opened. Enter their values again with Edit.`);
    }
  }

  /** The configuration's API key in plain text, for the request about to be made; never kept or logged. */
  openKey(row: AIConfiguration): string {
    if (!row.encryptedApiKey) throw new ConfigurationError('key-unavailable', `"${row.name}" has no API key.`);
    try {
      return this.deps.encryption.decryptApiKey(row.encryptedApiKey, { userId: this.deps.userId, configurationId: row.id });
    } catch (error) {
      if (error instanceof KeysNeedReentryError) throw new ConfigurationError('keys-need-reentry', error.message);
      if (error instanceof DecryptError) {
        this.deps.audit?.keyUnreadable(row.id, error.failure);
        throw new ConfigurationError('key-unavailable', `The stored API key of "${row.name}" cannot be opened (${error.failure}). Enter it again with "Rotate API Key".`);
      }
      throw error;
    }
  }

  /** The stored key, or undefined when the configuration has none. */
  storedKeyOf(row: AIConfiguration): string | undefined {
    return row.encryptedApiKey ? this.openKey(row) : undefined;
  }
}

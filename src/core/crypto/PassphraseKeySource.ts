import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Store } from '../store/Store';
import type { KeySource } from './KeySource';
import type { PassphraseKey, PassphraseRecord } from './passphrase';
import { parsePassphraseRecord } from './passphrase';

/** store_meta entries of the passphrase mode: the record (salt, parameters, verifier) and the sealed master keys. */
export const PASSPHRASE_RECORD = 'master_passphrase';
const SEALED_CURRENT = 'master_secret_sealed';
const SEALED_PREVIOUS = 'master_secret_previous_sealed';
const AAD = Buffer.from('model-manager master secret under passphrase', 'utf8');

/** The passphrase record of a store, if it uses the passphrase mode. */
export function passphraseRecordOf(store: Store): PassphraseRecord | undefined {
  return parsePassphraseRecord(store.read((r) => r.meta.get(PASSPHRASE_RECORD)));
}

/**
 * The master secret where the keychain cannot keep one: in the database, sealed (AES-256-GCM) under the key derived
 * from the user's master passphrase. Rotation and "start over" work as with the keychain: the new secret is sealed
 * under the same passphrase, the replaced one is kept sealed until the re-seal that needs it has finished.
 */
export class PassphraseKeySource implements KeySource {
  constructor(
    private readonly store: Store,
    private readonly key: PassphraseKey,
  ) {}

  /** Turns the mode on: stores the record, and seals the given master secret (the current one) under it. */
  static async adopt(store: Store, record: PassphraseRecord, key: PassphraseKey, master: Uint8Array | undefined): Promise<PassphraseKeySource> {
    const source = new PassphraseKeySource(store, key);
    await store.write((r) => {
      r.meta.set(PASSPHRASE_RECORD, JSON.stringify(record));
      r.meta.delete(SEALED_PREVIOUS);
      if (master) r.meta.set(SEALED_CURRENT, source.seal(master));
      else r.meta.delete(SEALED_CURRENT);
    });
    return source;
  }

  getMasterSecret(): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.unseal(this.store.read((r) => r.meta.get(SEALED_CURRENT))));
  }

  async storeMasterSecret(secret: Uint8Array): Promise<void> {
    const sealed = this.seal(secret);
    await this.store.write((r) => {
      const current = r.meta.get(SEALED_CURRENT);
      if (current !== undefined) r.meta.set(SEALED_PREVIOUS, current);
      r.meta.set(SEALED_CURRENT, sealed);
    });
  }

  getPreviousMasterSecret(): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.unseal(this.store.read((r) => r.meta.get(SEALED_PREVIOUS))));
  }

  async forgetPreviousMasterSecret(): Promise<void> {
    await this.store.write((r) => {
      r.meta.delete(SEALED_PREVIOUS);
    });
  }

  private seal(secret: Uint8Array): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key.key, iv);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  private unseal(text: string | undefined): Uint8Array | undefined {
    if (text === undefined || text === '') return undefined;
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length < 12 + 16 + 1) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key.key, bytes.subarray(0, 12));
      decipher.setAAD(AAD);
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Uint8Array.from(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]));
    } catch {
      // Sealed under another passphrase or altered: to the key service this is a missing secret ("keys need re-entry").
      return undefined;
    }
  }
}

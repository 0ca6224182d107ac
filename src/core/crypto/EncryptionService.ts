import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { EncryptionKeyRepository } from '../store/EncryptionKeyRepository';
import type { Repositories } from '../store/Repositories';
import type { Store } from '../store/Store';
import { DerivedKeyCache } from './DerivedKeyCache';
import type { SealBinding } from './envelope';
import { keyVersionOf, open, parseEnvelope, seal } from './envelope';
import type { KeyState } from './errors';
import { DecryptError, KeysNeedReentryError, keysNeedReentry } from './errors';
import type { KeySource } from './KeySource';

/** store_meta entry naming which master secret sealed the rows (a one-way check value, not the secret). */
const MASTER_CHECK = 'master_secret_check';
const API_KEY_FIELD = 'api_key';
const MASTER_BYTES = 32;

export type ApiKeyBinding = Omit<SealBinding, 'field'> & { readonly field?: string };

export interface RotationOptions {
  /** Rows re-sealed per saved transaction: a rotation killed midway loses at most one batch of work. */
  readonly batchSize?: number;
  /** Called after each saved batch (tests use it to interrupt a rotation). */
  readonly afterBatch?: (resealedSoFar: number) => void;
}

export interface RotationResult {
  readonly version: number;
  readonly resealed: number;
  /** Configurations whose stored key could not be opened; their old version stays until they are re-entered. */
  readonly unreadable: readonly string[];
  readonly retiredVersions: readonly number[];
}

/**
 * Envelope encryption of provider keys: AES-256-GCM under per-user keys derived with HKDF from a master
 * secret held by a KeySource, bound to (user, configuration, field, key version).
 */
export class EncryptionService {
  private master: Buffer | undefined;
  private state: KeyState = keysNeedReentry('master-secret-missing', 0);
  private readonly cache: DerivedKeyCache;
  private readonly logger: Logger;

  constructor(
    private readonly store: Store,
    private readonly keySource: KeySource,
    options: { readonly logger?: Logger; readonly cacheSize?: number } = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.cache = new DerivedKeyCache(options.cacheSize);
  }

  /** The state, with the count of stored keys as it is now (configurations may have been removed meanwhile). */
  get keyState(): KeyState {
    if (this.state.kind !== 'keys-need-reentry') return this.state;
    return keysNeedReentry(this.state.reason, this.countSealedKeys());
  }

  /** Stored API keys in the database, over all users. */
  countSealedKeys(): number {
    return this.store.read((r) => r.configurations.countSealedKeys());
  }

  /**
   * Passphrase mode while the passphrase has not been entered: nothing can be sealed or opened and nothing is
   * changed (in particular no new master secret is made) until initialize() runs with the unlocked key source.
   */
  lock(): KeyState {
    this.master?.fill(0);
    this.master = undefined;
    this.cache.clear();
    return this.setState(keysNeedReentry('passphrase-needed', this.countSealedKeys()));
  }

  /**
   * Loads the master secret. Creates one only when no sealed key exists; if sealed keys exist but the
   * secret is missing or different, reports "keys need re-entry" and changes nothing.
   */
  async initialize(): Promise<KeyState> {
    const master = await this.keySource.getMasterSecret();
    const { check, sealed } = this.store.read((r) => ({ check: r.meta.get(MASTER_CHECK), sealed: r.configurations.countSealedKeys() }));
    if (!master) {
      if (sealed > 0) return this.setState(keysNeedReentry('master-secret-missing', sealed));
      const fresh = randomBytes(MASTER_BYTES);
      await this.keySource.storeMasterSecret(fresh);
      await this.store.write((r) => {
        r.meta.set(MASTER_CHECK, checkValue(fresh));
      });
      this.useMaster(fresh);
      this.logger.info('Created a new master key in the keychain.');
      return this.setState({ kind: 'ready' });
    }
    const candidate = Buffer.from(master);
    if (check === undefined || sealed === 0) {
      if (check !== checkValue(candidate)) {
        await this.store.write((r) => {
          r.meta.set(MASTER_CHECK, checkValue(candidate));
        });
      }
    } else if (check !== checkValue(candidate)) {
      const previous = await this.keySource.getPreviousMasterSecret();
      if (!previous || checkValue(Buffer.from(previous)) !== check) return this.setState(keysNeedReentry('master-secret-mismatch', sealed));
      this.logger.warn('Finishing a master key change that was interrupted.');
      await this.resealAll(Buffer.from(previous), candidate);
      await this.keySource.forgetPreviousMasterSecret();
    }
    this.useMaster(candidate);
    return this.setState({ kind: 'ready' });
  }

  /**
   * Seals an API key for one configuration under the user's current key version. Call inside
   * store.write and pass its `r.keys`, so a user's first key version is created in the same transaction.
   */
  encryptApiKey(apiKey: string, binding: ApiKeyBinding, keys: Pick<EncryptionKeyRepository, 'ensureCurrentVersion'>): string {
    const master = this.requireMaster();
    const version = keys.ensureCurrentVersion(binding.userId);
    return seal(apiKey, this.cache.get(master, binding.userId, version), version, fullBinding(binding));
  }

  /** Opens a sealed key; throws DecryptError if it was altered, moved, or is malformed. */
  decryptApiKey(encryptedKey: string, binding: ApiKeyBinding): string {
    const master = this.requireMaster();
    const envelope = parseEnvelope(encryptedKey, binding.configurationId);
    return open(envelope, this.cache.get(master, binding.userId, envelope.keyVersion), fullBinding(binding));
  }

  /**
   * New key version for a user; re-seals every row of that user in batches, then retires versions
   * no row uses. Resumable: running it (or finishPendingRotations) again completes an interrupted run.
   */
  async rotateUserKey(userId: string, options: RotationOptions = {}): Promise<RotationResult> {
    this.requireMaster();
    const version = await this.store.write((r) => {
      const next = r.keys.addVersion(userId);
      r.audit.record(userId, 'keys.rotate', 'user', userId, { version: next });
      return next;
    });
    this.logger.info(`Key rotation started for user ${userId}: version ${String(version)}.`);
    return this.resealToCurrent(userId, options);
  }

  /** Completes every rotation that was interrupted (call after initialize()). */
  async finishPendingRotations(): Promise<RotationResult[]> {
    this.requireMaster();
    const users = this.store.read((r) => r.configurations.usersWithSealedKeys());
    const results: RotationResult[] = [];
    for (const userId of users) {
      const pending = this.store.read((r) => {
        const current = r.keys.currentVersion(userId);
        const stale = r.configurations.sealedKeys(userId).some((row) => keyVersionOf(row.encryptedApiKey) !== current);
        const unretired = r.keys.list(userId).some((k) => k.version !== current && k.retiredAt === null);
        return stale || unretired;
      });
      if (pending) results.push(await this.resealToCurrent(userId, {}));
    }
    return results;
  }

  /** Re-seals every stored key from one master secret to another, then makes the new one current. */
  async migrateEncryption(oldKey: Uint8Array, newKey: Uint8Array): Promise<number> {
    const oldMaster = Buffer.from(oldKey);
    const newMaster = Buffer.from(newKey);
    const check = this.store.read((r) => r.meta.get(MASTER_CHECK));
    if (check !== undefined && check !== checkValue(oldMaster)) {
      throw new Error('The old master key given for the migration is not the one that sealed the stored API keys; nothing was changed.');
    }
    const stored = await this.keySource.getMasterSecret();
    // Store the new secret first, keeping the old as "previous": a crash then resumes in initialize().
    if (!stored || !newMaster.equals(Buffer.from(stored))) await this.keySource.storeMasterSecret(newMaster);
    const count = await this.resealAll(oldMaster, newMaster);
    await this.keySource.forgetPreviousMasterSecret();
    this.useMaster(newMaster);
    this.setState({ kind: 'ready' });
    return count;
  }

  /**
   * The explicit way out of "keys need re-entry", only on the user's request: a new master secret.
   * Stored keys stay in the database (they fail to open until re-entered), so nothing is deleted.
   */
  async startOverWithNewMasterSecret(userId: string): Promise<void> {
    const fresh = randomBytes(MASTER_BYTES);
    await this.keySource.storeMasterSecret(fresh);
    await this.keySource.forgetPreviousMasterSecret();
    await this.store.write((r) => {
      r.meta.set(MASTER_CHECK, checkValue(fresh));
      r.audit.record(userId, 'keys.start-over', 'user', userId, {});
    });
    this.useMaster(fresh);
    this.setState({ kind: 'ready' });
    this.logger.warn('Started over with a new master key; stored API keys must be entered again.');
  }

  private async resealToCurrent(userId: string, options: RotationOptions): Promise<RotationResult> {
    const master = this.requireMaster();
    const batchSize = options.batchSize ?? 50;
    const unreadable = new Set<string>();
    let resealed = 0;
    let version = 0;
    for (;;) {
      const done = await this.store.write((r) => {
        version = r.keys.ensureCurrentVersion(userId);
        const stale = r.configurations.sealedKeys(userId).filter((row) => !unreadable.has(row.id) && keyVersionOf(row.encryptedApiKey) !== version);
        for (const row of stale.slice(0, batchSize)) {
          const binding = { userId, configurationId: row.id, field: API_KEY_FIELD };
          try {
            const envelope = parseEnvelope(row.encryptedApiKey, row.id);
            const plain = open(envelope, this.cache.get(master, userId, envelope.keyVersion), binding);
            r.configurations.replaceSealedKey(userId, row.id, seal(plain, this.cache.get(master, userId, version), version, binding));
            resealed++;
          } catch (error) {
            if (!(error instanceof DecryptError)) throw error;
            unreadable.add(row.id);
          }
        }
        return stale.length <= batchSize;
      });
      options.afterBatch?.(resealed);
      if (done) break;
    }
    const retiredVersions = await this.store.write((r) => retireUnused(r, userId, version));
    if (unreadable.size > 0) this.logger.warn(`Key rotation for user ${userId}: ${String(unreadable.size)} stored key(s) could not be opened and were left as they are.`);
    this.logger.info(`Key rotation for user ${userId} finished: ${String(resealed)} key(s) on version ${String(version)}.`);
    return { version, resealed, unreadable: [...unreadable], retiredVersions };
  }

  /** One transaction: a crash leaves every row on the old master or every row on the new one. */
  private async resealAll(oldMaster: Buffer, newMaster: Buffer): Promise<number> {
    const oldKeys = new DerivedKeyCache();
    const newKeys = new DerivedKeyCache();
    try {
      return await this.store.write((r) => {
        let count = 0;
        for (const userId of r.configurations.usersWithSealedKeys()) {
          for (const row of r.configurations.sealedKeys(userId)) {
            const binding = { userId, configurationId: row.id, field: API_KEY_FIELD };
            const envelope = parseEnvelope(row.encryptedApiKey, row.id);
            const plain = open(envelope, oldKeys.get(oldMaster, userId, envelope.keyVersion), binding);
            r.configurations.replaceSealedKey(userId, row.id, seal(plain, newKeys.get(newMaster, userId, envelope.keyVersion), envelope.keyVersion, binding));
            count++;
          }
        }
        r.meta.set(MASTER_CHECK, checkValue(newMaster));
        return count;
      });
    } finally {
      oldKeys.clear();
      newKeys.clear();
    }
  }

  private useMaster(master: Buffer): void {
    this.master?.fill(0);
    this.cache.clear();
    this.master = master;
  }

  private requireMaster(): Buffer {
    if (this.state.kind !== 'ready' || !this.master) {
      const state = this.keyState;
      throw new KeysNeedReentryError(state.kind === 'keys-need-reentry' ? state : keysNeedReentry('master-secret-missing', 0));
    }
    return this.master;
  }

  private setState(state: KeyState): KeyState {
    this.state = state;
    if (state.kind === 'keys-need-reentry') this.logger.warn(state.message);
    return state;
  }
}

function fullBinding(binding: ApiKeyBinding): SealBinding {
  return { userId: binding.userId, configurationId: binding.configurationId, field: binding.field ?? API_KEY_FIELD };
}

function checkValue(master: Uint8Array): string {
  return createHmac('sha256', master).update('model-manager master secret check').digest('base64url').slice(0, 22);
}

function retireUnused(r: Repositories, userId: string, current: number): number[] {
  const inUse = new Set(r.configurations.sealedKeys(userId).map((row) => keyVersionOf(row.encryptedApiKey)));
  const retired: number[] = [];
  for (const key of r.keys.list(userId)) {
    if (key.version !== current && key.retiredAt === null && !inUse.has(key.version)) {
      r.keys.retire(userId, key.version);
      retired.push(key.version);
    }
  }
  return retired;
}

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
import { countOf } from '../../protocol/counts';

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

export interface MasterRotationResult {
  readonly resealed: number;
  /** Configurations whose stored key the old master could not open either; they are left as they were. */
  readonly unreadable: readonly string[];
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
  private masterCheck: string | undefined;
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
    }
    await this.forgetPreviousOnceAllOpen(candidate);
    this.useMaster(candidate);
    return this.setState({ kind: 'ready' });
  }

  /**
   * Seals an API key for one configuration under the user's current key version. Call inside
   * store.write and pass its `r.keys`, so a user's first key version is created in the same transaction.
   */
  encryptApiKey(apiKey: string, binding: ApiKeyBinding, keys: Pick<EncryptionKeyRepository, 'ensureCurrentVersion'>): string {
    const master = this.requireMaster();
    // Another window may have replaced the master key: sealing under the old one would lose this key with it.
    const check = this.store.read((r) => r.meta.get(MASTER_CHECK));
    if (check !== undefined && check !== this.masterCheck) {
      throw new Error('The master key was replaced in another window. Reload this window, then try again; nothing was saved.');
    }
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
      r.audit.record(userId, 'keys.rotate', 'user', userId, { stage: 'started', version: next });
      return next;
    });
    this.logger.info(`Key rotation started for user ${userId}: version ${String(version)}.`);
    const result = await this.resealToCurrent(userId, options);
    await this.store.write((r) => {
      r.audit.record(userId, 'keys.rotate', 'user', userId, { stage: 'finished', version: result.version, resealed: result.resealed, unreadable: result.unreadable.length });
    });
    return result;
  }

  /** Completes every rotation that was interrupted (call after initialize()). */
  async finishPendingRotations(): Promise<RotationResult[]> {
    this.requireMaster();
    const users = this.store.read((r) => r.configurations.usersWithSealedKeys());
    const results: RotationResult[] = [];
    for (const userId of users) {
      const pending = this.store.read((r) => {
        const current = r.keys.currentVersion(userId);
        const stale = r.configurations.sealedValues(userId).some((row) => keyVersionOf(row.sealed) !== current);
        const unretired = r.keys.list(userId).some((k) => k.version !== current && k.retiredAt === null);
        return stale || unretired;
      });
      if (pending) results.push(await this.resealToCurrent(userId, {}));
    }
    return results;
  }

  /** Re-seals every stored key from one master secret to another, then makes the new one current. */
  async migrateEncryption(oldKey: Uint8Array, newKey: Uint8Array): Promise<number> {
    return (await this.migrate(Buffer.from(oldKey), Buffer.from(newKey))).resealed;
  }

  /**
   * Rotate Master Key: a new random master secret in the key source and every stored key re-sealed under it. The
   * old secret is kept as "previous" until every key it opened opens under the new one, so a run cut short is
   * finished by initialize() on the next start; if the re-seal fails, the old secret is put back.
   */
  async rotateMasterSecret(userId: string): Promise<MasterRotationResult> {
    const oldMaster = Buffer.from(this.requireMaster());
    await this.store.write((r) => {
      r.audit.record(userId, 'keys.rotateMaster', 'user', userId, { stage: 'started' });
    });
    const result = await this.migrate(oldMaster, randomBytes(MASTER_BYTES));
    await this.store.write((r) => {
      r.audit.record(userId, 'keys.rotateMaster', 'user', userId, { stage: 'finished', resealed: result.resealed, unreadable: result.unreadable.length });
    });
    this.logger.info(`Master key rotated: ${countOf(result.resealed, 'stored key')} re-sealed under the new one.`);
    return result;
  }

  private async migrate(oldMaster: Buffer, newMaster: Buffer): Promise<MasterRotationResult> {
    const check = this.store.read((r) => r.meta.get(MASTER_CHECK));
    if (check !== undefined && check !== checkValue(oldMaster)) {
      throw new Error('The old master key given for the migration is not the one that sealed the stored API keys; nothing was changed.');
    }
    const stored = await this.keySource.getMasterSecret();
    // Store the new secret first, keeping the old as "previous": a crash then resumes in initialize().
    const storedNew = !stored || !newMaster.equals(Buffer.from(stored));
    if (storedNew) await this.keySource.storeMasterSecret(newMaster);
    let result: MasterRotationResult;
    try {
      result = await this.resealAll(oldMaster, newMaster);
    } catch (error) {
      // Nothing was re-sealed (one transaction): the old secret goes back, so this window and the next keep working.
      if (storedNew) {
        await this.keySource.storeMasterSecret(oldMaster);
        await this.keySource.forgetPreviousMasterSecret();
      }
      throw error;
    }
    const waiting = this.keysOnlyOpenedBy(oldMaster, newMaster);
    if (waiting > 0) {
      throw new Error(`${waiting === 1 ? '1 stored key does' : `${String(waiting)} stored keys do`} not open under the new master key; the previous one is kept in the keychain and the change is finished on the next start.`);
    }
    await this.keySource.forgetPreviousMasterSecret();
    this.useMaster(newMaster);
    this.setState({ kind: 'ready' });
    return result;
  }

  /** The previous master secret leaves the key source only once no stored key still needs it. */
  private async forgetPreviousOnceAllOpen(current: Buffer): Promise<void> {
    const previous = await this.keySource.getPreviousMasterSecret();
    if (!previous) return;
    const waiting = this.keysOnlyOpenedBy(Buffer.from(previous), current);
    if (waiting === 0) await this.keySource.forgetPreviousMasterSecret();
    else this.logger.warn(`${countOf(waiting, 'stored key')} still ${waiting === 1 ? 'opens' : 'open'} only under the previous master key, which stays in the keychain.`);
  }

  /** How many stored keys `previous` opens and `current` does not, read back from the store. */
  private keysOnlyOpenedBy(previous: Buffer, current: Buffer): number {
    const previousKeys = new DerivedKeyCache();
    const currentKeys = new DerivedKeyCache();
    const opens = (keys: DerivedKeyCache, master: Buffer, userId: string, row: { id: string; encryptedApiKey: string }): boolean => {
      try {
        const envelope = parseEnvelope(row.encryptedApiKey, row.id);
        open(envelope, keys.get(master, userId, envelope.keyVersion), { userId, configurationId: row.id, field: API_KEY_FIELD });
        return true;
      } catch {
        return false;
      }
    };
    try {
      return this.store.read((r) => {
        let waiting = 0;
        for (const userId of r.configurations.usersWithSealedKeys()) {
          for (const row of r.configurations.sealedKeys(userId)) {
            if (!opens(currentKeys, current, userId, row) && opens(previousKeys, previous, userId, row)) waiting++;
          }
        }
        return waiting;
      });
    } finally {
      previousKeys.clear();
      currentKeys.clear();
    }
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
        const stale = r.configurations.sealedValues(userId).filter((row) => !unreadable.has(row.id) && keyVersionOf(row.sealed) !== version);
        for (const row of stale.slice(0, batchSize)) {
          const binding = { userId, configurationId: row.id, field: row.field };
          try {
            const envelope = parseEnvelope(row.sealed, row.id);
            const plain = open(envelope, this.cache.get(master, userId, envelope.keyVersion), binding);
            r.configurations.replaceSealedValue(userId, row.id, row.field, seal(plain, this.cache.get(master, userId, version), version, binding));
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
    if (unreadable.size > 0) this.logger.warn(`Key rotation for user ${userId}: ${unreadable.size === 1 ? '1 stored key could not be opened and was left as it is' : `${String(unreadable.size)} stored keys could not be opened and were left as they are`}.`);
    this.logger.info(`Key rotation for user ${userId} finished: ${countOf(resealed, 'key')} on version ${String(version)}.`);
    return { version, resealed, unreadable: [...unreadable], retiredVersions };
  }

  /**
   * One transaction: a crash leaves every row on the old master or every row on the new one. A key the old master
   * cannot open either (left unreadable by a start-over, or damaged) stays as it is and is reported.
   */
  private async resealAll(oldMaster: Buffer, newMaster: Buffer): Promise<MasterRotationResult> {
    const oldKeys = new DerivedKeyCache();
    const newKeys = new DerivedKeyCache();
    try {
      return await this.store.write((r) => {
        let resealed = 0;
        const unreadable: string[] = [];
        for (const userId of r.configurations.usersWithSealedKeys()) {
          for (const row of r.configurations.sealedValues(userId)) {
            const binding = { userId, configurationId: row.id, field: row.field };
            let envelope;
            let plain;
            try {
              envelope = parseEnvelope(row.sealed, row.id);
              plain = open(envelope, oldKeys.get(oldMaster, userId, envelope.keyVersion), binding);
            } catch (error) {
              if (!(error instanceof DecryptError)) throw error;
              unreadable.push(row.id);
              continue;
            }
            r.configurations.replaceSealedValue(userId, row.id, row.field, seal(plain, newKeys.get(newMaster, userId, envelope.keyVersion), envelope.keyVersion, binding));
            resealed++;
          }
        }
        r.meta.set(MASTER_CHECK, checkValue(newMaster));
        return { resealed, unreadable };
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
    this.masterCheck = checkValue(master);
  }

  /**
   * Another window changed the master secret in the shared keychain: takes the keychain's current secret once the
   * stored keys are sealed under it (during that window's re-seal it is not yet, and the old one stays in use).
   */
  async refreshMasterSecret(): Promise<boolean> {
    if (this.state.kind !== 'ready') return false;
    const stored = await this.keySource.getMasterSecret();
    if (!stored) return false;
    const candidate = Buffer.from(stored);
    if (this.master?.equals(candidate)) return false;
    if (this.store.read((r) => r.meta.get(MASTER_CHECK)) !== checkValue(candidate)) return false;
    this.useMaster(candidate);
    this.logger.info('Using the master key another window put in the keychain.');
    return true;
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
  const inUse = new Set(r.configurations.sealedValues(userId).map((row) => keyVersionOf(row.sealed)));
  const retired: number[] = [];
  for (const key of r.keys.list(userId)) {
    if (key.version !== current && key.retiredAt === null && !inUse.has(key.version)) {
      r.keys.retire(userId, key.version);
      retired.push(key.version);
    }
  }
  return retired;
}

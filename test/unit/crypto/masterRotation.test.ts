import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EncryptionService } from '../../../src/core/crypto/EncryptionService';
import { DecryptError } from '../../../src/core/crypto/errors';
import { InMemoryKeySource } from '../../../src/core/crypto/KeySource';
import type { Repositories } from '../../../src/core/store/Repositories';
import type { CryptoFixture } from './setup';
import { cryptoFixture } from './setup';

function opens(f: CryptoFixture, crypto: EncryptionService, id: string): string | undefined {
  const row = f.store.read((r) => r.configurations.get(f.userId, id));
  try {
    return crypto.decryptApiKey(row?.encryptedApiKey ?? '', { userId: f.userId, configurationId: id });
  } catch (error) {
    if (error instanceof DecryptError) return undefined;
    throw error;
  }
}

describe('Rotate Master Key (EncryptionService.rotateMasterSecret)', () => {
  let f: CryptoFixture;
  beforeEach(async () => (f = await cryptoFixture()));
  afterEach(() => f.dispose());

  it('puts a new secret in the key source, re-seals every key under it, drops the old one and records both steps in the audit log', async () => {
    const a = await f.addConfiguration('sk-master-a');
    const b = await f.addConfiguration('sk-master-b');
    const before = await f.keySource.getMasterSecret();
    const result = await f.crypto.rotateMasterSecret(f.userId);
    assert.deepEqual(result, { resealed: 2, unreadable: [] });
    const after = await f.keySource.getMasterSecret();
    assert.ok(before && after);
    assert.notDeepEqual(after, before);
    assert.equal(await f.keySource.getPreviousMasterSecret(), undefined, 'the old secret leaves once every key opens under the new one');
    assert.equal(opens(f, f.crypto, a.id), 'sk-master-a');
    assert.equal(opens(f, f.crypto, b.id), 'sk-master-b');
    const reopened = new EncryptionService(f.store, new InMemoryKeySource(after));
    assert.equal((await reopened.initialize()).kind, 'ready', 'the next start opens with the new secret');
    assert.equal(opens(f, reopened, a.id), 'sk-master-a');
    const audit = f.store.read((r) => r.audit.list(f.userId)).filter((e) => e.action === 'keys.rotateMaster').map((e) => e.details);
    assert.deepEqual(audit.reverse(), [{ stage: 'started' }, { stage: 'finished', resealed: 2, unreadable: 0 }]);
  });

  it('rotates around keys that no secret opens (left by a start-over): they stay as they were, the others move', async () => {
    const orphan = await f.addConfiguration('sk-orphaned');
    f.keySource.lose();
    const after = new EncryptionService(f.store, f.keySource);
    await after.initialize();
    await after.startOverWithNewMasterSecret(f.userId);
    const kept = await f.store.write((r) => {
      const row = r.configurations.create(f.userId, { name: 'kept', provider: 'openai', model: 'gpt-4o' });
      return r.configurations.update(f.userId, row.id, { encryptedApiKey: after.encryptApiKey('sk-kept', { userId: f.userId, configurationId: row.id }, r.keys) }) ?? row;
    });
    const orphanSealed = f.store.read((r) => r.configurations.get(f.userId, orphan.id)?.encryptedApiKey);

    const result = await after.rotateMasterSecret(f.userId);
    assert.deepEqual(result, { resealed: 1, unreadable: [orphan.id] });
    assert.equal(opens(f, after, kept.id), 'sk-kept');
    assert.equal(f.store.read((r) => r.configurations.get(f.userId, orphan.id)?.encryptedApiKey), orphanSealed, 'an unreadable key is left as it was');
    assert.equal(await f.keySource.getPreviousMasterSecret(), undefined);
  });

  it('puts the old secret back when the re-seal fails, so every key still opens now and after a restart', async () => {
    const a = await f.addConfiguration('sk-survives');
    const before = await f.keySource.getMasterSecret();
    const write = f.store.write.bind(f.store);
    const check = f.store.read((r) => r.meta.get('master_secret_check'));
    // The disk fills up just as the re-sealed rows are committed: the transaction rolls back.
    f.store.write = (<T>(fn: (r: Repositories) => T) => write((r) => {
      const out = fn(r);
      if (r.meta.get('master_secret_check') !== check) throw new Error('disk full');
      return out;
    }));
    assert.ok(before);
    await assert.rejects(f.crypto.migrateEncryption(before, randomBytes(32)), /disk full/);
    f.store.write = write;
    assert.deepEqual(await f.keySource.getMasterSecret(), before, 'the old secret is current again');
    assert.equal(await f.keySource.getPreviousMasterSecret(), undefined);
    assert.equal(opens(f, f.crypto, a.id), 'sk-survives');
    const restarted = new EncryptionService(f.store, f.keySource);
    assert.equal((await restarted.initialize()).kind, 'ready');
    assert.equal(opens(f, restarted, a.id), 'sk-survives');
  });

  it('drops the previous secret at the next start when a rotation re-sealed everything but stopped before dropping it', async () => {
    const a = await f.addConfiguration('sk-almost-done');
    const oldMaster = await f.keySource.getMasterSecret();
    assert.ok(oldMaster);
    const newMaster = randomBytes(32);
    await f.crypto.migrateEncryption(oldMaster, newMaster);
    // The keychain as it was in the crash window after the commit: the new secret current, the old one still kept.
    const keychain = new InMemoryKeySource(oldMaster);
    await keychain.storeMasterSecret(newMaster);
    const next = new EncryptionService(f.store, keychain);
    assert.equal((await next.initialize()).kind, 'ready');
    assert.equal(opens(f, next, a.id), 'sk-almost-done');
    assert.equal(await keychain.getPreviousMasterSecret(), undefined, 'every key opens under the new secret, so the old one goes');
  });

  it('keeps another window from sealing a key under the replaced master key, and moves it to the new one once the re-seal is done', async () => {
    const a = await f.addConfiguration('sk-first-window');
    // A second window: the same database file and the same keychain, its own copy of the master key in memory.
    const other = new EncryptionService(f.store, f.keySource);
    await other.initialize();
    const binding = { userId: f.userId, configurationId: a.id };

    await f.keySource.storeMasterSecret(randomBytes(32));
    assert.equal(await other.refreshMasterSecret(), false, 'a secret the stored keys are not sealed under yet is not taken');
    await f.keySource.storeMasterSecret((await f.keySource.getPreviousMasterSecret()) ?? new Uint8Array());
    await f.keySource.forgetPreviousMasterSecret();

    await f.crypto.rotateMasterSecret(f.userId);
    await assert.rejects(f.store.write((r) => other.encryptApiKey('sk-typed-elsewhere', binding, r.keys)), /replaced in another window/);
    assert.equal(await other.refreshMasterSecret(), true);
    const sealed = await f.store.write((r) => other.encryptApiKey('sk-typed-elsewhere', binding, r.keys));
    assert.equal(f.crypto.decryptApiKey(sealed, binding), 'sk-typed-elsewhere', 'sealed under the new master key');
    assert.equal(opens(f, other, a.id), 'sk-first-window');
  });
});

import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { keyVersionOf } from '../../../src/core/crypto/envelope';
import { EncryptionService } from '../../../src/core/crypto/EncryptionService';
import { DecryptError, keysNeedReentry, KeysNeedReentryError } from '../../../src/core/crypto/errors';
import { InMemoryKeySource } from '../../../src/core/crypto/KeySource';
import type { CryptoFixture } from './setup';
import { cryptoFixture } from './setup';

function decryptAll(f: CryptoFixture, userId = f.userId): string[] {
  return f.store.read((r) => r.configurations.list(userId)).map((c) => f.crypto.decryptApiKey(c.encryptedApiKey ?? '', { userId, configurationId: c.id }));
}

describe('EncryptionService', () => {
  let f: CryptoFixture;
  beforeEach(async () => (f = await cryptoFixture()));
  afterEach(() => f.dispose());

  it('round-trips an API key stored with a configuration', async () => {
    const config = await f.addConfiguration('sk-round-trip');
    assert.match(config.encryptedApiKey ?? '', /^mm1\.1\./);
    assert.equal(f.crypto.decryptApiKey(config.encryptedApiKey ?? '', { userId: f.userId, configurationId: config.id }), 'sk-round-trip');
  });

  it('rejects a ciphertext copied to another configuration or another user', async () => {
    const a = await f.addConfiguration('sk-a');
    const b = await f.addConfiguration('sk-b');
    assert.throws(() => f.crypto.decryptApiKey(a.encryptedApiKey ?? '', { userId: f.userId, configurationId: b.id }), DecryptError);
    assert.throws(() => f.crypto.decryptApiKey(a.encryptedApiKey ?? '', { userId: 'someone-else', configurationId: a.id }), DecryptError);
  });

  it('keeps user B from listing, reading, updating, deleting or decrypting user A\'s configurations', async () => {
    const a = await f.addConfiguration('sk-user-a');
    const userB = await f.store.write((r) => r.users.create('B'));
    await f.addConfiguration('sk-user-b', userB.id);
    const b = userB.id;
    assert.deepEqual(f.store.read((r) => r.configurations.list(b)).map((c) => c.id).includes(a.id), false);
    assert.equal(f.store.read((r) => r.configurations.get(b, a.id)), undefined);
    assert.equal(await f.store.write((r) => r.configurations.update(b, a.id, { name: 'stolen' })), undefined);
    assert.equal(await f.store.write((r) => r.configurations.delete(b, a.id)), false);
    assert.equal(await f.store.write((r) => r.configurations.replaceSealedKey(b, a.id, 'mm1.1.x.y.z')), false);
    assert.throws(() => f.crypto.decryptApiKey(a.encryptedApiKey ?? '', { userId: b, configurationId: a.id }), DecryptError);
    const intact = f.store.read((r) => r.configurations.get(f.userId, a.id));
    assert.equal(intact?.name, a.name);
    assert.equal(f.crypto.decryptApiKey(intact.encryptedApiKey ?? '', { userId: f.userId, configurationId: a.id }), 'sk-user-a');
  });

  it('after 3 rotations decrypts every row and no row references a retired version', async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `sk-rotate-${String(i)}`);
    for (const key of keys) await f.addConfiguration(key);
    for (let i = 0; i < 3; i++) await f.crypto.rotateUserKey(f.userId, { batchSize: 3 });
    assert.deepEqual(decryptAll(f).sort(), [...keys].sort());
    const versions = f.store.read((r) => r.keys.list(f.userId));
    assert.deepEqual(versions.map((v) => ({ version: v.version, retired: v.retiredAt !== null })), [
      { version: 1, retired: true },
      { version: 2, retired: true },
      { version: 3, retired: true },
      { version: 4, retired: false },
    ]);
    const used = new Set(f.store.read((r) => r.configurations.sealedKeys(f.userId)).map((row) => keyVersionOf(row.encryptedApiKey)));
    assert.deepEqual([...used], [4]);
  });

  it('resumes a rotation interrupted halfway and ends with every row decryptable on the new version', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `sk-resume-${String(i)}`);
    for (const key of keys) await f.addConfiguration(key);
    await assert.rejects(
      f.crypto.rotateUserKey(f.userId, {
        batchSize: 4,
        afterBatch: () => {
          throw new Error('window closed');
        },
      }),
      /window closed/,
    );
    const mixed = new Set(f.store.read((r) => r.configurations.sealedKeys(f.userId)).map((row) => keyVersionOf(row.encryptedApiKey)));
    assert.deepEqual([...mixed].sort(), [1, 2], 'the interruption left rows on both versions');
    assert.deepEqual(decryptAll(f).sort(), [...keys].sort(), 'half-rotated rows still decrypt');
    // A fresh service (the next window start) finishes it.
    const next = new EncryptionService(f.store, f.keySource);
    assert.equal((await next.initialize()).kind, 'ready');
    const [result] = await next.finishPendingRotations();
    assert.equal(result?.version, 2);
    assert.deepEqual(result.retiredVersions, [1]);
    const versions = new Set(f.store.read((r) => r.configurations.sealedKeys(f.userId)).map((row) => keyVersionOf(row.encryptedApiKey)));
    assert.deepEqual([...versions], [2]);
    assert.deepEqual(decryptAll(f).sort(), [...keys].sort());
  });

  it('re-seals everything under a new master secret with migrateEncryption', async () => {
    await f.addConfiguration('sk-migrate-1');
    await f.addConfiguration('sk-migrate-2');
    const oldMaster = await f.keySource.getMasterSecret();
    assert.ok(oldMaster);
    const newMaster = randomBytes(32);
    assert.equal(await f.crypto.migrateEncryption(oldMaster, newMaster), 2);
    assert.deepEqual(decryptAll(f).sort(), ['sk-migrate-1', 'sk-migrate-2']);
    assert.deepEqual(await f.keySource.getMasterSecret(), Uint8Array.from(newMaster));
    assert.equal(await f.keySource.getPreviousMasterSecret(), undefined);
    // Old master no longer opens anything: a fresh service with it reports a mismatch.
    const stale = new EncryptionService(f.store, new InMemoryKeySource(oldMaster));
    assert.equal((await stale.initialize()).kind, 'keys-need-reentry');
  });

  it('refuses a migration from a master secret that did not seal the rows, changing nothing', async () => {
    const config = await f.addConfiguration('sk-wrong-old');
    const before = readFileSync(f.file);
    await assert.rejects(f.crypto.migrateEncryption(randomBytes(32), randomBytes(32)), /not the one that sealed/);
    assert.deepEqual(readFileSync(f.file), before);
    assert.equal(f.crypto.decryptApiKey(config.encryptedApiKey ?? '', { userId: f.userId, configurationId: config.id }), 'sk-wrong-old');
  });

  it('finishes a master-secret change that was interrupted after the new secret was stored', async () => {
    await f.addConfiguration('sk-interrupted');
    const newMaster = randomBytes(32);
    // The crash window: the key source already holds the new secret, the rows are still on the old one.
    await f.keySource.storeMasterSecret(newMaster);
    const next = new EncryptionService(f.store, f.keySource);
    assert.equal((await next.initialize()).kind, 'ready');
    const [config] = f.store.read((r) => r.configurations.list(f.userId));
    assert.equal(next.decryptApiKey(config?.encryptedApiKey ?? '', { userId: f.userId, configurationId: config?.id ?? '' }), 'sk-interrupted');
    assert.equal(await f.keySource.getPreviousMasterSecret(), undefined);
  });

  it('enters "keys need re-entry" when the master secret is missing, without creating a new one or touching the file', async () => {
    await f.addConfiguration('sk-orphan-guard');
    f.keySource.lose();
    const before = readFileSync(f.file);
    const fresh = new EncryptionService(f.store, f.keySource);
    const state = await fresh.initialize();
    assert.ok(state.kind === 'keys-need-reentry', 'expected keys-need-reentry');
    assert.equal(state.reason, 'master-secret-missing');
    assert.equal(state.sealedKeyCount, 1);
    assert.match(state.message, /has 1 stored API key it cannot open.*Nothing was changed/);
    assert.equal(await f.keySource.getMasterSecret(), undefined, 'no new master secret was made');
    assert.deepEqual(readFileSync(f.file), before, 'the database was not written');
    const [config] = f.store.read((r) => r.configurations.list(f.userId));
    assert.throws(() => fresh.decryptApiKey(config?.encryptedApiKey ?? '', { userId: f.userId, configurationId: config?.id ?? '' }), KeysNeedReentryError);
    await assert.rejects(fresh.rotateUserKey(f.userId), KeysNeedReentryError);
  });

  it('starts over with a new master only when asked, keeping the unreadable rows', async () => {
    const config = await f.addConfiguration('sk-start-over');
    f.keySource.lose();
    const fresh = new EncryptionService(f.store, f.keySource);
    await fresh.initialize();
    await fresh.startOverWithNewMasterSecret(f.userId);
    assert.equal(fresh.keyState.kind, 'ready');
    assert.ok(f.store.read((r) => r.configurations.get(f.userId, config.id)?.encryptedApiKey));
    assert.throws(() => fresh.decryptApiKey(config.encryptedApiKey ?? '', { userId: f.userId, configurationId: config.id }), DecryptError);
  });

  it('reports a row with a malformed ciphertext clearly and rotates the rest around it', async () => {
    const good = await f.addConfiguration('sk-good');
    const bad = await f.addConfiguration('sk-bad');
    await f.store.write((r) => r.configurations.replaceSealedKey(f.userId, bad.id, 'mm1.1.not-a-real-value'));
    assert.throws(
      () => f.crypto.decryptApiKey('mm1.1.not-a-real-value', { userId: f.userId, configurationId: bad.id }),
      (error: unknown) => error instanceof DecryptError && error.failure === 'malformed' && error.message.includes(bad.id) && error.message.includes('Enter the key again'),
    );
    // And one well-formed value that belongs to another row: it names version 1 but cannot be opened here.
    const moved = await f.addConfiguration('sk-moved');
    await f.store.write((r) => r.configurations.replaceSealedKey(f.userId, moved.id, good.encryptedApiKey ?? ''));
    const result = await f.crypto.rotateUserKey(f.userId);
    assert.deepEqual([...result.unreadable].sort(), [bad.id, moved.id].sort());
    assert.equal(f.crypto.decryptApiKey(f.store.read((r) => r.configurations.get(f.userId, good.id))?.encryptedApiKey ?? '', { userId: f.userId, configurationId: good.id }), 'sk-good');
    assert.equal(f.store.read((r) => r.configurations.get(f.userId, bad.id))?.encryptedApiKey, 'mm1.1.not-a-real-value', 'the bad row is kept, not dropped');
    assert.equal(f.store.read((r) => r.keys.list(f.userId)).find((k) => k.version === 1)?.retiredAt, null, 'version 1 stays while a row names it');
  });
});

describe('the "keys cannot be opened" message', () => {
  it('speaks of one key as "it" and of several as "them", for each reason', () => {
    for (const reason of ['master-secret-missing', 'master-secret-mismatch', 'passphrase-needed'] as const) {
      const one = keysNeedReentry(reason, 1).message;
      const two = keysNeedReentry(reason, 2).message;
      assert.match(one, /has 1 stored API key /);
      assert.doesNotMatch(one, /\bthem\b/, one);
      assert.match(two, /has 2 stored API keys /);
      assert.doesNotMatch(two, /\b(protects|sealed|open) it\b/, two);
    }
  });
});

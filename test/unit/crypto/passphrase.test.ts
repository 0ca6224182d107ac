import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EncryptionService } from '../../../src/core/crypto/EncryptionService';
import { KeysNeedReentryError } from '../../../src/core/crypto/errors';
import { createPassphraseRecord, parsePassphraseRecord, passphraseProblem, STRONG_SCRYPT, unlockWithPassphrase, type ScryptParams } from '../../../src/core/crypto/passphrase';
import { PassphraseKeySource, PASSPHRASE_RECORD, passphraseRecordOf } from '../../../src/core/crypto/PassphraseKeySource';
import { cryptoFixture, type CryptoFixture } from './setup';

// Light work factors keep most tests quick; one test checks the stored record of the real ones.
const LIGHT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
const PASSPHRASE = 'correct horse battery staple';

describe('the master passphrase', function () {
  this.timeout(60_000);

  it('derives its key with scrypt at 128 MiB per guess and stores a salt and a verifier, never the passphrase or the key', async () => {
    const { record, key } = await createPassphraseRecord(PASSPHRASE);
    assert.deepEqual({ N: record.N, r: record.r, p: record.p, kdf: record.kdf }, { N: 2 ** 17, r: 8, p: 1, kdf: 'scrypt' });
    assert.ok(128 * STRONG_SCRYPT.N * STRONG_SCRYPT.r >= 128 * 1024 * 1024, 'memory-hard: at least 128 MiB');
    assert.equal(Buffer.from(record.salt, 'base64').length, 16);
    const stored = JSON.stringify(record);
    assert.ok(!stored.includes(PASSPHRASE), 'the passphrase is not in the record');
    assert.ok(!stored.includes(key.key.toString('base64')) && !stored.includes(key.key.toString('hex')), 'the key is not in the record');
    assert.equal(key.key.length, 32);
  });

  it('opens with the same passphrase and refuses another, with a new salt (and key) for each record', async () => {
    const first = await createPassphraseRecord(PASSPHRASE, LIGHT);
    const second = await createPassphraseRecord(PASSPHRASE, LIGHT);
    assert.notEqual(first.record.salt, second.record.salt);
    assert.ok(!first.key.key.equals(second.key.key));
    const again = await unlockWithPassphrase(PASSPHRASE, first.record);
    assert.ok(again?.key.equals(first.key.key), 'the same passphrase gives the same key');
    assert.equal(await unlockWithPassphrase('correct horse battery stapler', first.record), undefined);
    assert.equal(await unlockWithPassphrase(PASSPHRASE, { ...first.record, verifier: second.record.verifier }), undefined);
  });

  it('refuses short or empty passphrases and stored parameters that would weaken the key or exhaust memory', async () => {
    assert.match(passphraseProblem('') ?? '', /Enter a passphrase/);
    assert.match(passphraseProblem('short') ?? '', /at least 10 characters/);
    assert.equal(passphraseProblem(PASSPHRASE), undefined);
    await assert.rejects(createPassphraseRecord('short', LIGHT), /at least 10/);
    const { record } = await createPassphraseRecord(PASSPHRASE, LIGHT);
    await assert.rejects(unlockWithPassphrase(PASSPHRASE, { ...record, N: 2 ** 4 }), /not valid/);
    await assert.rejects(unlockWithPassphrase(PASSPHRASE, { ...record, N: 2 ** 30 }), /not valid/);
    await assert.rejects(unlockWithPassphrase(PASSPHRASE, { ...record, N: 3000 }), /not valid/);
    assert.equal(parsePassphraseRecord('{"v":2}'), undefined);
    assert.equal(parsePassphraseRecord('not json'), undefined);
    assert.deepEqual(parsePassphraseRecord(JSON.stringify(record)), record);
  });

  describe('as the key source of the encryption service', () => {
    let f: CryptoFixture;
    beforeEach(async () => {
      f = await cryptoFixture();
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('takes over the current master key, so stored keys open in the next window after the passphrase alone', async () => {
      const config = await f.addConfiguration('sk-kept-by-passphrase');
      const { record, key } = await createPassphraseRecord(PASSPHRASE, LIGHT);
      await PassphraseKeySource.adopt(f.store, record, key, await f.keySource.getMasterSecret());
      f.keySource.lose();
      assert.deepEqual(passphraseRecordOf(f.store), record);
      // The next window: only the passphrase is known.
      const unlocked = await unlockWithPassphrase(PASSPHRASE, record);
      assert.ok(unlocked);
      const next = new EncryptionService(f.store, new PassphraseKeySource(f.store, unlocked));
      assert.equal((await next.initialize()).kind, 'ready');
      assert.equal(next.decryptApiKey(config.encryptedApiKey ?? '', { userId: f.userId, configurationId: config.id }), 'sk-kept-by-passphrase');
      const meta = f.store.read((r) => r.meta.get(PASSPHRASE_RECORD)) ?? '';
      assert.ok(!meta.includes(PASSPHRASE));
    });

    it('with another passphrase\'s key finds no master key and changes nothing (keys need re-entry)', async () => {
      await f.addConfiguration('sk-wrong-passphrase');
      const { record, key } = await createPassphraseRecord(PASSPHRASE, LIGHT);
      await PassphraseKeySource.adopt(f.store, record, key, await f.keySource.getMasterSecret());
      const other = await createPassphraseRecord('an entirely different passphrase', LIGHT);
      const next = new EncryptionService(f.store, new PassphraseKeySource(f.store, other.key));
      const state = await next.initialize();
      assert.equal(state.kind, 'keys-need-reentry');
    });

    it('keeps a rotated master key sealed under the same passphrase, and the replaced one until the re-seal is done', async () => {
      const config = await f.addConfiguration('sk-rotated-under-passphrase');
      const { record, key } = await createPassphraseRecord(PASSPHRASE, LIGHT);
      const source = await PassphraseKeySource.adopt(f.store, record, key, await f.keySource.getMasterSecret());
      const service = new EncryptionService(f.store, source);
      await service.initialize();
      const newMaster = randomBytes(32);
      await service.migrateEncryption((await source.getMasterSecret()) ?? new Uint8Array(), newMaster);
      assert.deepEqual(Buffer.from((await source.getMasterSecret()) ?? []), newMaster);
      assert.equal(await source.getPreviousMasterSecret(), undefined);
      const next = new EncryptionService(f.store, new PassphraseKeySource(f.store, key));
      await next.initialize();
      assert.equal(next.decryptApiKey(f.store.read((r) => r.configurations.get(f.userId, config.id)?.encryptedApiKey) ?? '', { userId: f.userId, configurationId: config.id }), 'sk-rotated-under-passphrase');
    });

    it('while locked refuses to seal or open, makes no master key, and counts the stored keys as they are now', async () => {
      const first = await f.addConfiguration('sk-locked-1');
      await f.addConfiguration('sk-locked-2');
      const locked = new EncryptionService(f.store, f.keySource);
      const state = locked.lock();
      assert.ok(state.kind === 'keys-need-reentry' && state.reason === 'passphrase-needed' && state.sealedKeyCount === 2);
      assert.match(state.message, /has 2 stored API keys locked by your master passphrase/);
      assert.throws(() => locked.decryptApiKey(first.encryptedApiKey ?? '', { userId: f.userId, configurationId: first.id }), KeysNeedReentryError);
      await f.store.write((r) => r.configurations.delete(f.userId, first.id));
      const now = locked.keyState;
      assert.ok(now.kind === 'keys-need-reentry' && now.sealedKeyCount === 1, 'recounted after a configuration was removed');
      assert.match(now.message, /^Model Manager has 1 stored API key locked/);
    });
  });
});

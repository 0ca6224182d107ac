import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPassphraseRecord, InMemoryKeySource, PassphraseKeySource, type PassphraseRecord } from '../../../src/core/crypto';
import { openSession, type SessionOptions } from '../../../src/core/session';
import { capturingLogger, open, repoRoot, wasmPath } from '../store/helpers';
import { useTempFolder } from '../helpers/tempStore';

const settings = { requestTimeoutSeconds: 60, usageRetentionDays: 90, healthCheckIntervalMinutes: 0 };

function options(folder: string, extra: Partial<SessionOptions> = {}): SessionOptions {
  return {
    databasePath: join(folder, 'model-manager.sqlite'),
    wasmPath,
    catalogPath: join(repoRoot, 'dist', 'model-catalog.json'),
    logger: capturingLogger(),
    now: () => new Date('2026-03-01T12:00:00Z'),
    settings,
    keychain: new InMemoryKeySource(),
    passphraseKey: () => Promise.reject(new Error('no passphrase record exists, so none may be asked')),
    ...extra,
  };
}

describe('opening a session', () => {
  const folder = useTempFolder();

  it('opens the store with the keychain, builds the services on it and closes them once however often asked', async () => {
    const opened = await openSession(options(folder.path));
    assert.ok(opened.ok);
    assert.equal(opened.keyState.kind, 'ready');
    assert.equal(opened.usesKeychain, true);
    const created = await opened.session.configurations.createConfiguration({ name: 'Local', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434' } });
    assert.deepEqual(opened.session.configurations.listConfigurations().map((c) => c.id), [created.id]);
    assert.equal(opened.session.configurations.listConfigurations()[0]?.userId, opened.session.userId);
    await Promise.all([opened.close(), opened.close()]);
    await opened.close();
    // The store was released: a second session opens the same file and sees the row.
    const again = await openSession(options(folder.path));
    assert.ok(again.ok);
    assert.deepEqual(again.session.configurations.listConfigurations().map((c) => c.name), ['Local']);
    await again.close();
  });

  it('says why a file it cannot use does not open, instead of throwing', async () => {
    const databasePath = join(folder.path, 'not-a-folder');
    writeFileSync(databasePath, 'a file where the folder should be');
    const opened = await openSession({ ...options(folder.path), databasePath: join(databasePath, 'model-manager.sqlite') });
    if (opened.ok) assert.fail('a database under a file cannot open');
    assert.match(opened.problem.message, /\S/);
  });

  it('asks for the master passphrase when one protects the keys, and locks them when none is given', async () => {
    const file = join(folder.path, 'model-manager.sqlite');
    const { store } = await open(file);
    const { record, key } = await createPassphraseRecord('a passphrase long enough', { N: 2 ** 10, r: 8, p: 1 });
    await PassphraseKeySource.adopt(store, record, key, undefined);
    await store.close();
    const asked: PassphraseRecord[] = [];
    const locked = await openSession(options(folder.path, { passphraseKey: (r) => (asked.push(r), Promise.resolve(undefined)) }));
    assert.ok(locked.ok);
    assert.deepEqual(asked.map((r) => r.salt), [record.salt]);
    assert.equal(locked.usesKeychain, false);
    assert.equal(locked.keyState.kind, 'keys-need-reentry');
    await locked.close();
    const unlocked = await openSession(options(folder.path, { passphraseKey: () => Promise.resolve(key) }));
    assert.ok(unlocked.ok);
    assert.equal(unlocked.keyState.kind, 'ready');
    await unlocked.close();
  });
});

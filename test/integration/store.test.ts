import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ModelManagerTestApi } from '../../src/extension';
import { press, withAnswers } from './prompts';

const CANARY = 'sk-canary-integration-5d1e9b7c3a2f';
const MASTER_SECRET = 'modelManager.masterSecret';

async function api(): Promise<ModelManagerTestApi> {
  const extension = vscode.extensions.getExtension<ModelManagerTestApi | undefined>('modelmanager.model-manager');
  assert.ok(extension);
  const exports = await extension.activate();
  assert.ok(exports, 'the extension should expose its test API when run under test');
  return exports;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('the store and the keys in the real extension host', () => {
  let configurationId = '';

  before(async () => {
    const { configurations } = await (await api()).services.open();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
  });

  it('opens the database in global storage on first use and keeps the master key in SecretStorage, not in the file', async () => {
    const { services: stores, secrets } = await api();
    const session = await stores.open();
    assert.ok(existsSync(stores.databasePath), `expected a database at ${stores.databasePath}`);
    assert.equal(session.encryption.keyState.kind, 'ready');
    const secret = await secrets.get(MASTER_SECRET);
    assert.ok(secret, 'the master key should be in SecretStorage');
    assert.equal(Buffer.from(secret, 'base64').length, 32);
    const file = readFileSync(stores.databasePath);
    assert.equal(file.includes(Buffer.from(secret, 'base64')), false, 'the master key bytes must not be in the database');
    assert.equal(file.includes(Buffer.from(secret)), false, 'the encoded master key must not be in the database');
  });

  it('seals an API key that a fresh open of the file (another window) decrypts, and never writes it in plain text', async () => {
    const { services: stores } = await api();
    const { store, encryption, userId } = await stores.open();
    const created = await store.write((r) => {
      const row = r.configurations.create(userId, { name: 'Canary OpenAI', provider: 'openai', model: 'gpt-4.1-mini' });
      const sealed = encryption.encryptApiKey(CANARY, { userId, configurationId: row.id }, r.keys);
      return r.configurations.update(userId, row.id, { encryptedApiKey: sealed });
    });
    assert.ok(created?.encryptedApiKey);
    configurationId = created.id;
    await stores.close();
    assert.equal(readFileSync(stores.databasePath).includes(Buffer.from(CANARY)), false, 'the plaintext key reached the database file');

    const reopened = await stores.open();
    const row = reopened.store.read((r) => r.configurations.get(reopened.userId, configurationId));
    assert.ok(row?.encryptedApiKey);
    assert.equal(reopened.encryption.decryptApiKey(row.encryptedApiKey, { userId: reopened.userId, configurationId }), CANARY);
  });

  it('enters "keys need re-entry" when the keychain lost the master key, and leaves the database untouched', async () => {
    const { services: stores, secrets } = await api();
    await stores.close();
    await secrets.delete(MASTER_SECRET);
    const before = sha256(stores.databasePath);

    const session = await stores.open();
    const state = session.encryption.keyState;
    assert.equal(state.kind, 'keys-need-reentry');
    assert.equal(state.sealedKeyCount, 1);
    assert.equal(await secrets.get(MASTER_SECRET), undefined, 'no new master key may be created behind the user\'s back');
    const row = session.store.read((r) => r.configurations.get(session.userId, configurationId));
    assert.ok(row?.encryptedApiKey);
    const sealed = row.encryptedApiKey;
    assert.throws(() => session.encryption.decryptApiKey(sealed, { userId: session.userId, configurationId }), /cannot open/);
    await stores.close();
    assert.equal(sha256(stores.databasePath), before, 'the database changed while keys needed re-entry');
  });

  it('starts over with a new master key only when the user confirms, keeping the configurations', async () => {
    const { services: stores, secrets } = await api();
    const state = await withAnswers([press('Start Over')], () => vscode.commands.executeCommand<{ kind: string }>('modelManager.startOverWithNewSecret'));
    assert.equal(state.kind, 'ready');
    assert.ok(await secrets.get(MASTER_SECRET));
    const session = await stores.open();
    const row = session.store.read((r) => r.configurations.get(session.userId, configurationId));
    assert.equal(row?.name, 'Canary OpenAI', 'the configuration must survive starting over');
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PassphrasePrompt } from '../../src/host/masterPassphrase';
import { testApi } from './api';

const CANARY = 'sk-canary-passphrase-3b8e1f0a7c';
const PASSPHRASE = 'integration passphrase kept nowhere';
const MASTER_SECRET = 'modelManager.masterSecret';

/** A keychain that accepts every write and keeps nothing, as the browser's secret storage did without /mint-key. */
class ForgetfulSecretStorage implements vscode.SecretStorage {
  private readonly changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;
  readonly written: string[] = [];
  get(): Thenable<string | undefined> {
    return Promise.resolve(undefined);
  }
  store(key: string): Thenable<void> {
    this.written.push(key);
    return Promise.resolve();
  }
  delete(): Thenable<void> {
    return Promise.resolve();
  }
}

/** Answers the passphrase prompts in order; undefined is the user pressing Escape. */
function answering(answers: (string | undefined)[], asked: string[]): PassphrasePrompt {
  return {
    existing: (wrong) => {
      asked.push(wrong ? 'existing-again' : 'existing');
      return Promise.resolve(answers.shift());
    },
    fresh: () => {
      asked.push('fresh');
      return Promise.resolve(answers.shift());
    },
  };
}

describe('a keychain that does not keep the master key', function () {
  this.timeout(120_000);
  let original: { secrets: vscode.SecretStorage; prompt: PassphrasePrompt } | undefined;

  before(async () => {
    const { services } = await testApi();
    original = { secrets: services.keychainStorage, prompt: services.passphrasePrompt };
    const { configurations } = await services.open();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    await services.close();
  });

  after(async () => {
    // Back to the keychain for the other suites: no stored keys, no passphrase record, a fresh master on next open.
    const { services, secrets } = await testApi();
    services.passphrasePrompt = answering([PASSPHRASE], []);
    const session = await services.open();
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
    await session.store.write((r) => {
      for (const key of ['master_passphrase', 'master_secret_sealed', 'master_secret_previous_sealed', 'master_secret_check']) r.meta.delete(key);
    });
    await services.close();
    services.forgetPassphrase();
    if (original) {
      services.keychainStorage = original.secrets;
      services.passphrasePrompt = original.prompt;
    }
    await secrets.delete(MASTER_SECRET);
  });

  it('is noticed in the window that wrote it, and a master passphrase then keeps the keys openable in the next window', async () => {
    const { services } = await testApi();
    const forgetful = new ForgetfulSecretStorage();
    services.keychainStorage = forgetful;
    const asked: string[] = [];
    const answers: (string | undefined)[] = [];
    services.passphrasePrompt = answering(answers, asked);

    const session = await services.open();
    assert.equal(session.encryption.keyState.kind, 'ready');
    assert.deepEqual(forgetful.written, [MASTER_SECRET], 'a new master key was written to the keychain');
    assert.equal(services.keychainKeepsMasterKey, false, 'the read-back must notice that the keychain kept nothing');
    const created = await session.store.write((r) => {
      const row = r.configurations.create(session.userId, { name: 'Kept by passphrase', provider: 'openai', model: 'gpt-4.1-mini' });
      const sealed = session.encryption.encryptApiKey(CANARY, { userId: session.userId, configurationId: row.id }, r.keys);
      return r.configurations.update(session.userId, row.id, { encryptedApiKey: sealed });
    });
    assert.ok(created);

    answers.push(PASSPHRASE);
    const state = await vscode.commands.executeCommand<{ kind: string } | undefined>('modelManager.useMasterPassphrase');
    assert.equal(state?.kind, 'ready');
    assert.deepEqual(asked, ['fresh']);
    assert.equal(services.usesPassphrase, true);

    // The next window: the keychain still keeps nothing; the passphrase (a wrong one first) opens the key.
    await services.close();
    services.forgetPassphrase();
    answers.push('not the passphrase at all', PASSPHRASE);
    const next = await services.open();
    assert.deepEqual(asked, ['fresh', 'existing', 'existing-again']);
    assert.equal(next.encryption.keyState.kind, 'ready');
    const row = next.store.read((r) => r.configurations.get(next.userId, created.id));
    assert.equal(next.encryption.decryptApiKey(row?.encryptedApiKey ?? '', { userId: next.userId, configurationId: created.id }), CANARY);
    assert.equal(next.keys.describeApiKey(created.id).readable, true);
  });

  it('leaves the keys locked, never replaced, when the passphrase is not entered, and opens them with Enter Master Passphrase', async () => {
    const { services } = await testApi();
    const asked: string[] = [];
    const answers: (string | undefined)[] = [undefined];
    services.passphrasePrompt = answering(answers, asked);
    await services.close();
    services.forgetPassphrase();
    const session = await services.open();
    const state = session.encryption.keyState;
    assert.ok(state.kind === 'keys-need-reentry' && state.reason === 'passphrase-needed', `expected locked keys, got ${JSON.stringify(state)}`);
    assert.equal(state.sealedKeyCount, 1);
    assert.match(state.message, /has 1 stored API key locked by your master passphrase/);
    const [configuration] = session.configurations.listConfigurations();
    assert.ok(configuration);
    assert.equal(session.keys.describeApiKey(configuration.id).readable, false, 'every view learns the key cannot be opened');

    answers.push(PASSPHRASE);
    const unlocked = await vscode.commands.executeCommand<{ kind: string } | undefined>('modelManager.enterMasterPassphrase');
    assert.equal(unlocked?.kind, 'ready');
    const reopened = services.current;
    assert.ok(reopened);
    assert.equal(reopened.keys.describeApiKey(configuration.id).readable, true);
  });
});

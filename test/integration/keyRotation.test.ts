import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { MasterRotationResult, RotationResult } from '../../src/core/crypto';
import { keyVersionOf } from '../../src/core/crypto/envelope';
import type { TestResult } from '../../src/core/providers';
import type { AIConfiguration } from '../../src/core/store';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';
import { press, withAnswers } from './prompts';

const CANARY = 'sk-canary-rotation-7a3f5e1c9b2d';
const MASTER_SECRET = 'modelManager.masterSecret';
const PREVIOUS_MASTER_SECRET = 'modelManager.previousMasterSecret';

describe('Rotate Encryption Key and Rotate Master Key in the real extension host', function () {
  this.timeout(60_000);
  let emulator: OpenAIEmulator;
  const created: AIConfiguration[] = [];

  const session = async () => (await testApi()).services.open();
  const versions = async (): Promise<number[]> => {
    const { store, userId } = await session();
    return [...new Set(store.read((r) => r.configurations.sealedKeys(userId)).map((row) => keyVersionOf(row.encryptedApiKey)))].filter((v): v is number => v !== undefined);
  };
  const keysOpen = async (): Promise<boolean> => {
    const { keys } = await session();
    return created.every((c) => keys.describeApiKey(c.id).lastFour === CANARY.slice(-4));
  };
  const audit = async (action: string): Promise<Record<string, unknown>[]> => {
    const { store, userId } = await session();
    return store.read((r) => r.audit.list(userId, 50)).filter((e) => e.action === action).map((e) => e.details);
  };

  before(async () => {
    emulator = await startOpenAIEmulator({ apiKey: CANARY });
    const { configurations } = await session();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    for (const name of ['Rotation one', 'Rotation two', 'Rotation three']) {
      created.push(await configurations.createConfiguration({ name, provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: CANARY }));
    }
  });

  after(async () => {
    const { configurations } = await session();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    await emulator.close();
  });

  it('Rotate Encryption Key asks first and changes nothing when the user says no', async () => {
    const [before] = await versions();
    const result = await withAnswers([() => undefined], async (script) => {
      const outcome = await vscode.commands.executeCommand<RotationResult | undefined>('modelManager.rotateEncryptionKey');
      const question = script.asked[0];
      assert.ok(question?.kind === 'message' && question.options.modal === true, 'a modal confirmation');
      assert.match(question.options.detail ?? '', /each of your 3 stored API keys is encrypted again/);
      return outcome;
    });
    assert.equal(result, undefined);
    assert.deepEqual(await versions(), [before]);
  });

  it('Rotate Encryption Key re-seals every key under a new key version, retires the old one, records it, and the keys still work', async () => {
    const [before] = await versions();
    assert.ok(before !== undefined);
    const result = await withAnswers([press('Rotate')], () => vscode.commands.executeCommand<RotationResult>('modelManager.rotateEncryptionKey'));
    assert.equal(result.version, before + 1);
    assert.equal(result.resealed, 3);
    assert.deepEqual(result.retiredVersions, [before]);
    assert.deepEqual(await versions(), [before + 1]);
    assert.ok(await keysOpen());
    const { store, userId } = await session();
    assert.notEqual(store.read((r) => r.keys.list(userId)).find((k) => k.version === before)?.retiredAt, null, 'the old version is retired');
    assert.deepEqual((await audit('keys.rotate'))[0], { stage: 'finished', version: before + 1, resealed: 3, unreadable: 0 });
    const tested = await vscode.commands.executeCommand<TestResult>('modelManager.testConnection', created[0]?.id);
    assert.equal(tested.ok, true, tested.hint);
    assert.equal(emulator.requests.at(-1)?.headers.authorization, `Bearer ${CANARY}`);
  });

  it('an interrupted key rotation is finished when Model Manager opens again, and by running the command again', async () => {
    const { services } = await testApi();
    const { encryption, userId } = await session();
    await assert.rejects(encryption.rotateUserKey(userId, { batchSize: 1, afterBatch: () => { throw new Error('the window closed'); } }), /window closed/);
    assert.equal((await versions()).length, 2, 'cut short: keys on two versions');
    await services.close();
    await services.open();
    const [only, ...others] = await versions();
    assert.deepEqual(others, [], 'the next open finished the rotation');
    assert.ok(await keysOpen());

    const reopened = await session();
    await assert.rejects(reopened.encryption.rotateUserKey(reopened.userId, { batchSize: 1, afterBatch: () => { throw new Error('the window closed'); } }));
    const result = await withAnswers([press('Rotate')], () => vscode.commands.executeCommand<RotationResult>('modelManager.rotateEncryptionKey'));
    assert.deepEqual(await versions(), [result.version]);
    assert.ok(result.version > (only ?? 0));
    assert.ok(await keysOpen());
  });

  it('Rotate Master Key puts a new secret in SecretStorage, re-seals every key, removes the old secret and the keys still reach the provider', async () => {
    const { secrets, services } = await testApi();
    const before = await secrets.get(MASTER_SECRET);
    assert.ok(before);
    const result = await withAnswers([press('Replace Master Key')], () => vscode.commands.executeCommand<MasterRotationResult>('modelManager.rotateMasterKey'));
    assert.deepEqual(result, { resealed: 3, unreadable: [] });
    const after = await secrets.get(MASTER_SECRET);
    assert.ok(after && after !== before, 'a new master key');
    assert.equal(await secrets.get(PREVIOUS_MASTER_SECRET), undefined, 'the old one is gone once every key opens');
    assert.ok(await keysOpen());
    assert.deepEqual((await audit('keys.rotateMaster'))[0], { stage: 'finished', resealed: 3, unreadable: 0 });
    await services.close();
    const file = readFileSync(services.databasePath);
    assert.equal(file.includes(Buffer.from(after, 'base64')), false, 'the master key is never in the database');
    assert.equal(file.includes(Buffer.from(CANARY)), false);
    const reopened = await services.open();
    assert.equal(reopened.encryption.keyState.kind, 'ready', 'the next start opens with the new key');
    const tested = await vscode.commands.executeCommand<TestResult>('modelManager.testConnection', created[1]?.id);
    assert.equal(tested.ok, true, tested.hint);
    assert.equal(emulator.requests.at(-1)?.headers.authorization, `Bearer ${CANARY}`);
  });

  it('a master key change cut short after the new secret was stored is finished on the next open, then the old secret is removed', async () => {
    const { secrets, services } = await testApi();
    const old = await secrets.get(MASTER_SECRET);
    assert.ok(old);
    await services.close();
    // The keychain as Rotate Master Key leaves it before the re-seal commits: new secret current, old one kept.
    const fresh = randomBytes(32).toString('base64');
    await secrets.store(PREVIOUS_MASTER_SECRET, old);
    await secrets.store(MASTER_SECRET, fresh);
    const reopened = await services.open();
    assert.equal(reopened.encryption.keyState.kind, 'ready');
    assert.ok(await keysOpen(), 'every key opens under the new secret');
    assert.equal(await secrets.get(PREVIOUS_MASTER_SECRET), undefined);
    assert.equal(await secrets.get(MASTER_SECRET), fresh);
  });
});

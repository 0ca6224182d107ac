import * as assert from 'node:assert/strict';
import { needsKeyReentry } from '../../src/host/feedback';
import type { StoreSession } from '../../src/core/session';
import { testApi } from './api';

const MASTER_SECRET = 'modelManager.masterSecret';
const KEY = 'sk-reentry-canary-0c7d2e9a4b1f6e38';

/** Asserts a refusal is the "keys need re-entry" kind the notifications and the panel offer Start Over for. */
async function refusedForReentry(action: Promise<unknown>): Promise<void> {
  try {
    await action;
  } catch (error) {
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'ConfigurationError', `${error.name}: ${error.message}`);
    assert.equal((error as { kind?: unknown }).kind, 'keys-need-reentry');
    assert.ok(needsKeyReentry(error), 'the notification offers Start Over…');
    assert.match(error.message, /Start over/i);
    return;
  }
  assert.fail('expected a refusal while keys need re-entry');
}

describe('while stored keys need re-entry, in the real extension host', () => {
  let saved: string | undefined;
  let configurationId = '';
  let session: StoreSession;

  before(async () => {
    const { services, secrets } = await testApi();
    const ready = await services.open();
    const created = await ready.configurations.createConfiguration({ name: 'Re-entry check', provider: 'openai', settings: { model: 'gpt-4o-mini' }, apiKey: KEY });
    configurationId = created.id;
    saved = await secrets.get(MASTER_SECRET);
    assert.ok(saved);
    await services.close();
    await secrets.delete(MASTER_SECRET);
    session = await services.open();
    assert.equal(session.encryption.keyState.kind, 'keys-need-reentry');
  });

  after(async () => {
    // The keychain entry comes back: every other test's keys open again, nothing was started over.
    const { services, secrets } = await testApi();
    await services.close();
    if (saved) await secrets.store(MASTER_SECRET, saved);
    const reopened = await services.open();
    assert.equal(reopened.encryption.keyState.kind, 'ready');
    await reopened.configurations.deleteConfiguration(configurationId);
  });

  it('creating a configuration and rotating a key are refused as "keys need re-entry", the refusal the notification offers Start Over… for', async () => {
    const service = session.configurations;
    const before = service.listConfigurations().length;
    await refusedForReentry(service.createConfiguration({ name: 'New while locked', provider: 'openai', settings: { model: 'gpt-4o-mini' }, apiKey: KEY }));
    await refusedForReentry(session.keys.rotateApiKey(configurationId, `${KEY}-new`));
    await refusedForReentry(session.keys.rotateApiKey(configurationId));
    assert.equal(service.listConfigurations().length, before, 'nothing was saved');
  });

  it('the editor\'s save of a new address with a new key saves neither when the key cannot be sealed, so the old key never sits beside the new address', async () => {
    const { panel } = await testApi();
    const before = session.configurations.getConfiguration(configurationId);
    const response = await panel.send({
      kind: 'request',
      id: 47_001,
      method: 'configurations.update',
      params: { id: configurationId, baseUpdatedAt: before.updatedAt, settings: { model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:9/v1' }, apiKey: `${KEY}-moved` },
    });
    assert.ok(response && !response.ok, `expected a refusal, got ${JSON.stringify(response)}`);
    assert.equal(response.error.code, 'keys-need-reentry');
    const after = session.configurations.getConfiguration(configurationId);
    assert.equal(after.baseUrl, before.baseUrl, 'the new address was not saved');
    assert.equal(after.encryptedApiKey, before.encryptedApiKey, 'the stored key is the one it had');
    assert.equal(after.updatedAt, before.updatedAt, 'nothing of the change was saved');
  });
});

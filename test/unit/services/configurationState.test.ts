import * as assert from 'node:assert/strict';
import { EncryptionService, InMemoryKeySource } from '../../../src/core/crypto';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry } from '../../../src/core/providers';
import { createConfigurationServices, configurationState, configurationStates, lastTestFailure } from '../../../src/core/services';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { serviceFixture, type ServiceFixture } from './setup';

const T0 = '2026-11-27T12:00:00.000Z';
const T1 = '2026-11-27T12:05:00.000Z';

describe('one state per configuration, the same in every view', () => {
  it('a key that cannot be opened outranks a passed test and a healthy check', () => {
    assert.equal(configurationState({ testStatus: 'success', lastTestedAt: T1, keyReadable: false, health: { state: 'healthy', lastCheckedAt: T1 } }), 'key-locked');
  });

  it('a failed health check newer than the last test makes it unreachable; an older one does not', () => {
    assert.equal(configurationState({ testStatus: 'success', lastTestedAt: T0, keyReadable: true, health: { state: 'unhealthy', lastCheckedAt: T1 } }), 'unreachable');
    assert.equal(configurationState({ testStatus: 'success', lastTestedAt: T1, keyReadable: true, health: { state: 'unhealthy', lastCheckedAt: T0 } }), 'passed');
    assert.equal(configurationState({ testStatus: null, lastTestedAt: null, keyReadable: undefined, health: { state: 'unhealthy', lastCheckedAt: T0 } }), 'unreachable');
  });

  it('otherwise the last test: passed, failed or never tested', () => {
    assert.equal(configurationState({ testStatus: 'success', lastTestedAt: T0, keyReadable: true }), 'passed');
    assert.equal(configurationState({ testStatus: 'failed', lastTestedAt: T0, keyReadable: undefined, health: { state: 'healthy', lastCheckedAt: T1 } }), 'failed');
    assert.equal(configurationState({ testStatus: null, lastTestedAt: null, keyReadable: true }), 'untested');
  });

  describe('from the store', () => {
    let f: ServiceFixture;
    let emulator: OpenAIEmulator;
    let http: HttpClient;
    beforeEach(async () => {
      f = await serviceFixture();
      emulator = await startOpenAIEmulator();
      http = new HttpClient();
    });
    afterEach(async () => {
      await emulator.close();
      await http.close();
      await f.close();
    });

    it('a passed configuration whose master key is lost reads key-locked, not passed', async () => {
      const row = await f.service.createConfiguration({ name: 'Sealed', provider: 'openai', settings: { model: 'gpt-4.1-nano', baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey });
      assert.equal((await f.providerAccess.testConfiguration(row.id)).ok, true);
      assert.equal(configurationStates(f.service.listConfigurations(), f.keys, []).get(row.id), 'passed');
      // Another machine: the same file, a keychain without the master key.
      const locked = new EncryptionService(f.store, new InMemoryKeySource());
      await locked.initialize();
      const elsewhere = createConfigurationServices({ store: f.store, encryption: locked, userId: f.userId, providers: new ProviderRegistry({ http }), logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
      try {
        assert.equal(configurationStates(elsewhere.configurations.listConfigurations(), elsewhere.keys, []).get(row.id), 'key-locked');
      } finally {
        elsewhere.dispose();
      }
    });

    it('says why the last test failed, from its audit entry: "OpenAI rejected the key (401 invalid_api_key). Check the key or its project."', async () => {
      const row = await f.service.createConfiguration({ name: 'Wrong key', provider: 'openai', settings: { model: 'gpt-4.1-nano', baseUrl: `${emulator.url}/v1` }, apiKey: 'sk-wrong-0123456789abcdef' });
      assert.equal(lastTestFailure(f.store, row), undefined, 'never tested: no reason');
      assert.equal((await f.providerAccess.testConfiguration(row.id)).ok, false);
      assert.equal(lastTestFailure(f.store, f.service.getConfiguration(row.id)), 'OpenAI rejected the key (401 invalid_api_key). Check the key or its project.');
    });

    it('a test of edits that were never saved does not replace the saved settings\' reason; one whose settings were saved does', async () => {
      const row = await f.service.createConfiguration({ name: 'Wrong key', provider: 'openai', settings: { model: 'gpt-4.1-nano', baseUrl: `${emulator.url}/v1` }, apiKey: 'sk-wrong-0123456789abcdef' });
      assert.equal((await f.providerAccess.testConfiguration(row.id)).ok, false);
      const keyRejected = 'OpenAI rejected the key (401 invalid_api_key). Check the key or its project.';
      // In the editor: a mistyped address is tested, then the edit is discarded; then the right key is tested, and discarded too.
      f.clock.now += 60_000;
      // The user agreed to send the stored key to the typed server (the editor asks).
      const typo = { provider: 'openai', configurationId: row.id, settings: { model: 'gpt-4.1-nano', baseUrl: 'http://127.0.0.1:1/v1' }, sendStoredKeyTo: 'http://127.0.0.1:1' };
      assert.equal((await f.providerAccess.testDraft(typo)).ok, false);
      assert.equal(lastTestFailure(f.store, f.service.getConfiguration(row.id)), keyRejected);
      f.clock.now += 60_000;
      assert.equal((await f.providerAccess.testDraft({ ...typo, settings: { model: 'gpt-4.1-nano', baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey })).ok, true);
      assert.equal(lastTestFailure(f.store, f.service.getConfiguration(row.id)), keyRejected);
      // The mistyped address tested again and saved as it is: that test is now the configuration's.
      f.clock.now += 60_000;
      assert.equal((await f.providerAccess.testDraft(typo)).ok, false);
      const saved = await f.service.updateConfiguration(row.id, { settings: { model: 'gpt-4.1-nano', baseUrl: 'http://127.0.0.1:1/v1' }, sendStoredKeyTo: 'http://127.0.0.1:1' });
      assert.equal(saved.testStatus, 'failed');
      assert.match(lastTestFailure(f.store, f.service.getConfiguration(row.id)) ?? '', /refused the connection/);
    });
  });
});

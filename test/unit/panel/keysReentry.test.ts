import * as assert from 'node:assert/strict';
import { EncryptionService, InMemoryKeySource } from '../../../src/core/crypto';
import { createConfigurationServices } from '../../../src/core/services';
import { handlePanelMessage } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import { serviceFixture, type ServiceFixture } from '../services/setup';
import { ProviderRegistry } from '../../../src/core/providers';
import { HttpClient } from '../../../src/core/http';

const KEY = 'sk-panel-reentry-canary-5e2b8c1d9f4a';

describe('the panel while stored keys need re-entry', () => {
  let f: ServiceFixture;
  let http: HttpClient;

  beforeEach(async () => {
    f = await serviceFixture();
    http = new HttpClient();
  });

  afterEach(async () => {
    await http.close();
    await f.close();
  });

  it('answers create and rotate with "keys-need-reentry", the code the host offers Start Over… for, and saves nothing', async () => {
    const existing = await f.service.createConfiguration({ name: 'Sealed', provider: 'openai', settings: { model: 'gpt-4o-mini' }, apiKey: KEY });
    // Another machine: the same file, a keychain without the master key.
    const locked = new EncryptionService(f.store, new InMemoryKeySource());
    assert.equal((await locked.initialize()).kind, 'keys-need-reentry');
    const services = createConfigurationServices({ store: f.store, encryption: locked, userId: f.userId, providers: new ProviderRegistry({ http }), logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    const service = services.configurations;
    const deps = { session: { configurations: service, keys: services.keys, store: f.store, userId: f.userId } as unknown as StoreSession, templates: () => Promise.resolve([]) };
    const requests = [
      { kind: 'request', id: 1, method: 'configurations.create', params: { name: 'From the panel', provider: 'openai', settings: { model: 'gpt-4o-mini' }, apiKey: KEY } },
      { kind: 'request', id: 2, method: 'configurations.rotateKey', params: { id: existing.id, apiKey: `${KEY}-new` } },
      { kind: 'request', id: 3, method: 'configurations.rotateKey', params: { id: existing.id } },
    ];
    for (const request of requests) {
      const response = await handlePanelMessage(deps, request, () => undefined);
      assert.ok(response?.kind === 'response' && !response.ok, JSON.stringify(response));
      assert.equal(response.error.code, 'keys-need-reentry', `${request.method}: ${response.error.message}`);
      assert.equal(response.error.message.includes(KEY), false);
    }
    assert.deepEqual(service.listConfigurations().map((c) => c.name), ['Sealed']);
    services.dispose();
  });
});

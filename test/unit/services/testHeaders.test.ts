import * as assert from 'node:assert/strict';
import { EncryptionService, InMemoryKeySource } from '../../../src/core/crypto';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry } from '../../../src/core/providers';
import { createConfigurationServices } from '../../../src/core/services';
import type { UsageRecord } from '../../../src/core/usage';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { capturingLogger, open, tempFolder } from '../store/helpers';

describe('a connection test passes the response headers to the usage tracker', function () {
  this.timeout(10_000);
  let emulator: OpenAIEmulator;

  before(async () => {
    emulator = await startOpenAIEmulator();
  });

  after(async () => {
    await emulator.close();
  });

  it("records the streamed reply's rate-limit headers with the test's request row", async () => {
    const folder = tempFolder();
    const logger = capturingLogger();
    const { store } = await open(`${folder.path}/mm.sqlite`, { logger });
    const http = new HttpClient();
    try {
      const user = await store.write((r) => r.users.ensureLocalUser());
      const encryption = new EncryptionService(store, new InMemoryKeySource(), { logger });
      await encryption.initialize();
      const recorded: UsageRecord[] = [];
      const usage = {
        recordUsage: (record: UsageRecord) => {
          recorded.push(record);
          return Promise.resolve();
        },
      };
      const services = createConfigurationServices({ store, encryption, userId: user.id, providers: new ProviderRegistry({ http, logger }), logger, usage });
      const created = await services.configurations.createConfiguration({ name: 'Limited', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey });
      // The model list first, then the one-token streamed chat, which carries the limits.
      emulator.inject({});
      emulator.inject({ headers: { 'x-ratelimit-remaining-requests': '7', 'x-ratelimit-limit-requests': '10' } });
      const result = await services.providerAccess.testConfiguration(created.id);
      assert.equal(result.ok, true, result.hint);
      assert.equal(recorded.length, 1);
      assert.equal(recorded[0]?.reason, 'connection test');
      assert.equal(recorded[0].headers?.['x-ratelimit-remaining-requests'], '7');
      assert.equal(recorded[0].headers['x-ratelimit-limit-requests'], '10');
      services.dispose();
    } finally {
      await http.close();
      await store.close();
      folder.remove();
    }
  });
});

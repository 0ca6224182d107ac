import * as assert from 'node:assert/strict';
import { EncryptionService, InMemoryKeySource } from '../../../src/core/crypto';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry } from '../../../src/core/providers';
import { createConfigurationServices } from '../../../src/core/services';
import { UsageTracker } from '../../../src/core/usage';
import { startOpenAIEmulator } from '../../emulators';
import { packageCatalog } from '../catalog/packageCatalog';
import { capturingLogger, open, tempFolder } from '../store/helpers';

describe('ConfigurationService with the UsageTracker', () => {
  it('records each connection test through the tracker, so its figures count every test with its outcome', async () => {
    const folder = tempFolder();
    const emulator = await startOpenAIEmulator({ apiKey: 'sk-usage-wiring-1234' });
    const logger = capturingLogger();
    // The last second of a month on one clock for every part: nothing here may depend on the real calendar.
    const at = Date.parse('2026-11-30T23:59:59.500Z');
    const now = (): Date => new Date(at);
    const { store } = await open(`${folder.path}/mm.sqlite`, { logger, now });
    try {
      const user = await store.write((r) => r.users.ensureLocalUser());
      const encryption = new EncryptionService(store, new InMemoryKeySource(), { logger });
      await encryption.initialize();
      const catalog = packageCatalog(now);
      const usage = new UsageTracker({ store, userId: user.id, catalog: () => Promise.resolve(catalog), logger, now });
      const services = createConfigurationServices({ store, encryption, userId: user.id, providers: new ProviderRegistry({ http: new HttpClient(), logger }), logger, usage, now });
      const created = await services.configurations.createConfiguration({ name: 'Tracked', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: 'sk-usage-wiring-1234' });
      await services.providerAccess.testConfiguration(created.id);
      await services.keys.rotateApiKey(created.id, 'sk-wrong-0000');
      await services.providerAccess.testConfiguration(created.id);
      const stats = usage.getUsageStats(created.id, 'day');
      assert.equal(stats.requestCount, 2);
      assert.equal(stats.errorRate, 0.5);
      await store.flush();
      const rows = store.read((r) => r.usage.forConfiguration(user.id, created.id, new Date(at - 60_000), new Date(at + 60_000)));
      assert.equal(rows.requestCount, 2, 'the rows reach the store');
    } finally {
      await store.close();
      await emulator.close();
      folder.remove();
    }
  });
});

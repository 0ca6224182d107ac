import { join } from 'node:path';
import { EncryptionService } from '../../../src/core/crypto/EncryptionService';
import { InMemoryKeySource } from '../../../src/core/crypto/KeySource';
import type { Logger } from '../../../src/core/logger';
import type { AIConfiguration } from '../../../src/core/store/types';
import type { Store } from '../../../src/core/store/Store';
import { open, tempFolder } from '../store/helpers';

export interface CryptoFixture {
  readonly folder: ReturnType<typeof tempFolder>;
  readonly file: string;
  readonly store: Store;
  readonly keySource: InMemoryKeySource;
  readonly crypto: EncryptionService;
  readonly userId: string;
  /** Creates a configuration holding a sealed key, the way ConfigurationService does. */
  addConfiguration(apiKey: string, userId?: string): Promise<AIConfiguration>;
  dispose(): Promise<void>;
}

export async function cryptoFixture(logger?: Logger): Promise<CryptoFixture> {
  const folder = tempFolder();
  const file = join(folder.path, 'mm.db');
  const { store } = await open(file, logger ? { logger } : {});
  const keySource = new InMemoryKeySource();
  const crypto = new EncryptionService(store, keySource, logger ? { logger } : {});
  await crypto.initialize();
  const user = await store.write((r) => r.users.ensureLocalUser());
  return {
    folder,
    file,
    store,
    keySource,
    crypto,
    userId: user.id,
    addConfiguration: (apiKey, userId = user.id) =>
      store.write((r) => {
        const created = r.configurations.create(userId, { name: `c-${String(Math.random())}`, provider: 'openai', model: 'gpt-4o' });
        const sealed = crypto.encryptApiKey(apiKey, { userId, configurationId: created.id }, r.keys);
        r.audit.record(userId, 'configuration.create', 'configuration', created.id, { name: created.name, apiKey });
        return r.configurations.update(userId, created.id, { encryptedApiKey: sealed }) ?? created;
      }),
    dispose: async () => {
      await store.close();
      folder.remove();
    },
  };
}

import { EncryptionService, InMemoryKeySource } from '../../../src/core/crypto';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry } from '../../../src/core/providers';
import { createConfigurationServices, type ConfigurationService, type KeyService, type ProviderAccess } from '../../../src/core/services';
import type { Store } from '../../../src/core/store';
import { capturingLogger, open, tempFolder } from '../store/helpers';

export interface ServiceFixture {
  readonly service: ConfigurationService;
  readonly providerAccess: ProviderAccess;
  readonly keys: KeyService;
  readonly store: Store;
  readonly encryption: EncryptionService;
  readonly keySource: InMemoryKeySource;
  readonly userId: string;
  readonly file: string;
  readonly folder: string;
  readonly lines: string[];
  readonly clock: { now: number };
  close(): Promise<void>;
}

/** The configuration services over a real store file, real crypto and the real provider registry. */
export async function serviceFixture(): Promise<ServiceFixture> {
  const folder = tempFolder();
  const file = `${folder.path}/mm.sqlite`;
  const logger = capturingLogger();
  // One clock for the store and the service: their rows and periods never straddle a real month boundary.
  const clock = { now: Date.parse('2026-11-27T12:00:00Z') };
  const { store } = await open(file, { logger, now: () => new Date(clock.now) });
  const user = await store.write((r) => r.users.ensureLocalUser());
  const keySource = new InMemoryKeySource();
  const encryption = new EncryptionService(store, keySource, { logger });
  await encryption.initialize();
  const http = new HttpClient({ timeouts: { connectMs: 2000, headersMs: 5000, bodyMs: 5000 } });
  const services = createConfigurationServices({
    store,
    encryption,
    userId: user.id,
    providers: new ProviderRegistry({ http, logger }),
    logger,
    now: () => new Date(clock.now),
  });
  const { configurations: service, providerAccess, keys } = services;
  return {
    service,
    providerAccess,
    keys,
    store,
    encryption,
    keySource,
    userId: user.id,
    file,
    folder: folder.path,
    lines: logger.lines,
    clock,
    close: async () => {
      services.dispose();
      await store.close();
      folder.remove();
    },
  };
}

import { HttpClient } from '../../../src/core/http';
import type { ImportOptions } from '../../../src/core/importExport/types';
import { ProviderRegistry, providerIds } from '../../../src/core/providers/registry';

/** Import options backed by the real provider schemas, so the messages are the ones users will read. */
export function realProviders(existingNames: string[] = []): { options: ImportOptions; close: () => Promise<void> } {
  const http = new HttpClient();
  const registry = new ProviderRegistry({ http });
  return {
    options: { providers: providerIds, validateConfig: (id, config) => registry.parseConfig(id, config), existingNames },
    close: () => http.close(),
  };
}

/** A key-shaped value that must never appear in an export, a report or a message. */
export const CANARY = 'sk-canary-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e';

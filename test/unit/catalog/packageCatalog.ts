import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findProvider } from '@pydantic/genai-prices';
import { catalogFromGenaiPrices } from '../../../src/core/catalog/fromGenaiPrices';
import { ModelCatalog } from '../../../src/core/catalog/ModelCatalog';
import type { CatalogData } from '../../../src/core/catalog/types';

/** The installed package's version, read the way the build script reads it. */
export function packageVersion(): string {
  const main = require.resolve('@pydantic/genai-prices');
  const manifest = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** The catalog straight from the installed package, as the build would write it. */
export function packageCatalogData(): CatalogData {
  return catalogFromGenaiPrices((id) => findProvider({ providerId: id }), packageVersion());
}

export function packageCatalog(now?: () => Date): ModelCatalog {
  return new ModelCatalog(packageCatalogData(), now);
}

import { readFile, stat } from 'node:fs/promises';
import { ModelCatalog } from './ModelCatalog';
import { parseCatalogData } from './schema';
import type { CatalogData } from './types';

/** Far above the few hundred kilobytes the build writes; a larger file is not ours. */
export const MAX_CATALOG_BYTES = 8 * 1024 * 1024;

export type CatalogLoader = () => Promise<CatalogData>;

/** Reads the data file the build writes into dist/ (the host passes its path). */
export function catalogFileLoader(path: string): CatalogLoader {
  return async () => {
    const info = await stat(path);
    if (info.size > MAX_CATALOG_BYTES) throw new Error(`The model catalog at ${path} is ${String(info.size)} bytes, more than expected. Reinstall the extension to restore it.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      throw new Error(`The model catalog at ${path} is not valid JSON. Reinstall the extension to restore it.`);
    }
    return parseCatalogData(parsed);
  };
}

/** Loads the catalog on first use and keeps it; a failed load is retried by the next caller. */
export function lazyCatalog(load: CatalogLoader, now?: () => Date): () => Promise<ModelCatalog> {
  let pending: Promise<ModelCatalog> | undefined;
  return () => {
    pending ??= load().then(
      (data) => new ModelCatalog(data, now),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

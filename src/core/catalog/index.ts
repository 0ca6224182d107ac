// fromGenaiPrices is left out on purpose: it is for the build and the tests, and would pull the package into the bundle.
export { ModelCatalog, MODEL_ID_SOURCE } from './ModelCatalog';
export { costOf, localPrices } from './cost';
export { catalogFileLoader, lazyCatalog, MAX_CATALOG_BYTES } from './loadCatalog';
export type { CatalogLoader } from './loadCatalog';
export { parseCatalogData } from './schema';
export { priceOrigin } from './providers';
export type { OriginOptions, PriceOrigin } from './providers';
export type { CatalogData, CatalogModel, ModelPrices, PriceTier, TokenUsage } from './types';

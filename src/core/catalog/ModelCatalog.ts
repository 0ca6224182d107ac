import { localPrices } from './cost';
import { matches } from './match';
import { idCandidates } from './modelIds';
import { periodAt, resolvePrices } from './prices';
import { priceOrigin, type OriginOptions } from './providers';
import type { CatalogData, CatalogModel, CatalogModelData, CatalogProviderData, ModelPrices } from './types';

/**
 * Model metadata and prices, from data a loader produced (the build's data file, or the package itself in tests).
 * Providers are named by our ids (openai, gemini, anthropic, ollama, openai-compatible + preset); ids may be dated.
 */
/** Prefix of a price's source when it was found by the model id a server names, not by the server's provider. */
export const MODEL_ID_SOURCE = 'model id: ';

export class ModelCatalog {
  private readonly byId = new Map<string, CatalogProviderData>();

  constructor(
    private readonly data: CatalogData,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const provider of data.providers) this.byId.set(provider.id, provider);
  }

  /** "@pydantic/genai-prices@0.1.8": shown next to every price. */
  get source(): string {
    return this.data.source;
  }

  /** The catalog entry for a model, tolerant of provider aliases, "models/" prefixes and dated snapshot ids. */
  lookup(provider: string, modelId: string, options: OriginOptions = {}): CatalogModel | undefined {
    const entry = this.providerOf(provider, options);
    return entry ? this.lookupIn(entry, modelId) : undefined;
  }

  private lookupIn(entry: CatalogProviderData, modelId: string): CatalogModel | undefined {
    for (const id of idCandidates(modelId)) {
      const found = entry.models.find((m) => (m.match ? matches(m.match, id) : m.id.toLowerCase() === id));
      if (found) return this.toModel(entry, found);
    }
    return undefined;
  }

  /**
   * The entry of whichever provider makes a model, for an id served elsewhere (an OpenAI-compatible proxy or local
   * server): "openai/gpt-4o-mini" is looked up at OpenAI, a bare "gpt-4o-mini" at the provider whose own models match it.
   */
  lookupByModelId(modelId: string): CatalogModel | undefined {
    const slash = modelId.indexOf('/');
    const vendor = slash > 0 ? modelId.slice(0, slash).trim().toLowerCase() : undefined;
    const bare = slash > 0 ? modelId.slice(slash + 1) : modelId;
    if (vendor !== undefined) {
      const entry = this.byId.get(vendor);
      return entry ? this.lookupIn(entry, bare) : undefined;
    }
    for (const entry of this.data.providers) {
      // Only makers name their own families; resellers (no family rule) list everyone's models.
      if (entry.modelMatch === undefined || !matches(entry.modelMatch, bare.trim().toLowerCase())) continue;
      const found = this.lookupIn(entry, bare);
      if (found) return found;
    }
    return undefined;
  }

  /** Every model the catalog lists for a provider, in the catalog's order; empty for local and unknown providers. */
  list(provider: string, options: OriginOptions = {}): readonly CatalogModel[] {
    const entry = this.providerOf(provider, options);
    return entry ? entry.models.map((m) => this.toModel(entry, m)) : [];
  }

  /** Whether an id is one of the provider's own model families (google also prices Claude sold through Vertex). */
  isNative(provider: string, modelId: string, options: OriginOptions = {}): boolean {
    const entry = this.providerOf(provider, options);
    return entry !== undefined && (entry.modelMatch === undefined || matches(entry.modelMatch, modelId.toLowerCase()));
  }

  /**
   * The prices to bill a request at: zero for known local runtimes; for an OpenAI-compatible server the catalog does
   * not know (a gateway such as LiteLLM or Portkey), the price of the model id it names, marked as such in `source`;
   * undefined when the catalog does not know the model.
   */
  pricesFor(provider: string, modelId: string, options: OriginOptions = {}): ModelPrices | undefined {
    const origin = priceOrigin(provider, options, this.data.providers);
    if (origin?.kind === 'local') return localPrices;
    if (origin === undefined && provider === 'openai-compatible') {
      const byId = this.lookupByModelId(modelId)?.prices;
      return byId ? { ...byId, source: `${MODEL_ID_SOURCE}${byId.source}` } : undefined;
    }
    return this.lookup(provider, modelId, options)?.prices;
  }

  private providerOf(provider: string, options: OriginOptions): CatalogProviderData | undefined {
    const origin = priceOrigin(provider, options, this.data.providers);
    return origin?.kind === 'catalog' ? this.byId.get(origin.id) : undefined;
  }

  private toModel(provider: CatalogProviderData, model: CatalogModelData): CatalogModel {
    const prices = resolvePrices(periodAt(model.prices, this.now().toISOString().slice(0, 10)), this.data.source);
    return {
      id: model.id,
      displayName: model.name ?? model.id,
      catalogProvider: provider.id,
      ...(model.contextWindow === undefined ? {} : { contextWindow: model.contextWindow }),
      deprecated: model.deprecated === true,
      media: model.media ?? [],
      ...(prices ? { prices } : {}),
    };
  }
}

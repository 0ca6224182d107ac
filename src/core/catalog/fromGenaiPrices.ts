import type { ModelInfo, ModelPrice, Provider } from '@pydantic/genai-prices';
import type { CatalogData, CatalogModelData, CatalogProviderData, PricePeriod, PriceValue } from './types';

// Build-time and test-only: the extension reads the data file this produces and never bundles the 480 KB package.

/** The package's providers that our configurations can reach: the four native APIs and OpenAI-compatible services. */
export const catalogProviderIds = [
  'openai', 'google', 'anthropic', 'groq', 'openrouter', 'together',
  'deepseek', 'mistral', 'x-ai', 'fireworks', 'cerebras', 'moonshotai', 'perplexity', 'novita',
] as const;

const MEDIA = /audio|image|video|document/;

function priceValue(value: ModelPrice[string]): PriceValue | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  return { base: value.base, tiers: value.tiers.map((t) => ({ start: t.start, price: t.price })) };
}

function period(prices: ModelPrice, from: string | undefined): PricePeriod {
  const input = priceValue(prices.input_mtok);
  const output = priceValue(prices.output_mtok);
  const cachedInput = priceValue(prices.cache_read_mtok);
  const cacheWrite = priceValue(prices.cache_write_mtok);
  return {
    ...(from === undefined ? {} : { from }),
    ...(input === undefined ? {} : { input }),
    ...(output === undefined ? {} : { output }),
    ...(cachedInput === undefined ? {} : { cachedInput }),
    ...(cacheWrite === undefined ? {} : { cacheWrite }),
  };
}

function periods(model: ModelInfo): { list: PricePeriod[]; keys: Set<string> } {
  const keys = new Set<string>();
  if (!Array.isArray(model.prices)) {
    Object.keys(model.prices).forEach((k) => keys.add(k));
    return { list: [period(model.prices, undefined)], keys };
  }
  const list: PricePeriod[] = [];
  for (const conditional of model.prices) {
    Object.keys(conditional.prices).forEach((k) => keys.add(k));
    const constraint = conditional.constraint;
    // Time-of-day discounts (off-peak hours) are not tracked: requests are billed at the regular rates.
    if (constraint?.type === 'time_of_date') continue;
    list.push(period(conditional.prices, constraint?.start_date));
  }
  return { list, keys };
}

function toModel(model: ModelInfo): CatalogModelData {
  const { list, keys } = periods(model);
  const media = [...keys].filter((k) => MEDIA.test(k)).sort();
  const plainMatch = 'equals' in model.match && model.match.equals.toLowerCase() === model.id.toLowerCase();
  return {
    id: model.id,
    ...(model.name === undefined ? {} : { name: model.name }),
    ...(plainMatch ? {} : { match: model.match }),
    ...(model.context_window === undefined ? {} : { contextWindow: model.context_window }),
    ...(model.deprecated === true ? { deprecated: true } : {}),
    ...(media.length > 0 ? { media } : {}),
    prices: list,
  };
}

function toProvider(provider: Provider): CatalogProviderData {
  return {
    id: provider.id,
    name: provider.name,
    apiPattern: provider.api_pattern,
    ...(provider.model_match === undefined ? {} : { modelMatch: provider.model_match }),
    models: provider.models.map(toModel).filter((m) => m.prices.length > 0),
  };
}

/** The compact catalog of the providers we can reach, from the package's own provider data. */
export function catalogFromGenaiPrices(findProvider: (id: string) => Provider | undefined, version: string): CatalogData {
  const providers: CatalogProviderData[] = [];
  for (const id of catalogProviderIds) {
    const provider = findProvider(id);
    if (provider) providers.push(toProvider(provider));
  }
  return { source: `@pydantic/genai-prices@${version}`, providers };
}

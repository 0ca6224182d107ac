import { costOf, MODEL_ID_SOURCE, type ModelCatalog, type ModelPrices } from '../catalog';

/** USD per million tokens that a configuration's settings may set (self-hosted models, negotiated prices). */
export interface PriceOverride {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok?: number;
}

/** Which price a request was billed at; the UI says so next to every cost. */
export type PriceUsed =
  | { readonly kind: 'catalog'; readonly source: string; readonly prices: ModelPrices }
  | { readonly kind: 'override'; readonly prices: ModelPrices }
  | { readonly kind: 'local'; readonly prices: ModelPrices }
  /** The gateway in front of the provider said what the request cost (LiteLLM's x-litellm-response-cost). */
  | { readonly kind: 'gateway'; readonly costUsd: number }
  | { readonly kind: 'unknown' };

/** What choosing a price needs to know about a configuration. */
export interface PricedConfiguration {
  readonly provider: string;
  readonly model: string;
  readonly baseUrl?: string | null;
  readonly config?: Readonly<Record<string, unknown>>;
}

/** The settings keys of a price override (src/core/providers/fields.ts, priceFields). */
export const PRICE_OVERRIDE_KEYS = { input: 'inputPricePerMTok', output: 'outputPricePerMTok', cachedInput: 'cachedInputPricePerMTok' } as const;

/**
 * A well-formed override from a configuration's settings, else undefined: input and output must both be set (one
 * alone would bill the other at 0, which is no one's price); a malformed value is ignored, not half-used.
 */
export function priceOverrideOf(config: Readonly<Record<string, unknown>> | undefined): PriceOverride | undefined {
  const inputPerMTok = config?.[PRICE_OVERRIDE_KEYS.input];
  const outputPerMTok = config?.[PRICE_OVERRIDE_KEYS.output];
  const cachedInputPerMTok = config?.[PRICE_OVERRIDE_KEYS.cachedInput];
  if (!isPrice(inputPerMTok) || !isPrice(outputPerMTok)) return undefined;
  if (cachedInputPerMTok !== undefined && !isPrice(cachedInputPerMTok)) return undefined;
  return { inputPerMTok, outputPerMTok, ...(cachedInputPerMTok === undefined ? {} : { cachedInputPerMTok }) };
}

/** Override first, then the catalog (which knows local servers cost nothing), else unknown. */
export function choosePrice(catalog: ModelCatalog | undefined, configuration: PricedConfiguration): PriceUsed {
  const override = priceOverrideOf(configuration.config);
  if (override) return { kind: 'override', prices: { ...override, source: 'override' } };
  const preset = configuration.config?.preset;
  const prices = catalog?.pricesFor(configuration.provider, configuration.model, {
    preset: typeof preset === 'string' ? preset : undefined,
    baseUrl: configuration.baseUrl ?? undefined,
  });
  if (!prices) return { kind: 'unknown' };
  if (prices.source === 'local') return { kind: 'local', prices };
  return { kind: 'catalog', source: prices.source, prices };
}

/** LiteLLM's response header with the request's cost in USD, as the proxy computed it. */
export const GATEWAY_COST_HEADER = 'x-litellm-response-cost';
/** A plain decimal figure in USD, as LiteLLM writes it (no sign, hex or words). */
const DECIMAL = /^\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
/** Far beyond what one request is billed (ten million output tokens of the dearest model); a bigger figure is a broken header. */
const MAX_REPORTED_COST_USD = 10_000;

/**
 * The price to bill one response at: the user's own price and a known local runtime stay as chosen; otherwise a
 * gateway's reported cost, where its response gives one, replaces the catalog's guess.
 */
export function priceForResponse(price: PriceUsed, headers: Readonly<Record<string, string | string[] | undefined>> | undefined): PriceUsed {
  if (price.kind === 'override' || price.kind === 'local' || headers === undefined) return price;
  const raw = headers[GATEWAY_COST_HEADER];
  const text = Array.isArray(raw) ? raw[0] : raw;
  const cost = text !== undefined && DECIMAL.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  return Number.isFinite(cost) && cost <= MAX_REPORTED_COST_USD ? { kind: 'gateway', costUsd: cost } : price;
}

/** The cost of one request at a price; 0 when the price is unknown (the row says so). */
export function costWith(price: PriceUsed, usage: { readonly input: number; readonly output: number; readonly cached?: number; readonly cacheWrite?: number } | undefined): number {
  if (price.kind === 'gateway') return price.costUsd;
  if (!usage || price.kind === 'unknown') return 0;
  return costOf(usage, price.prices);
}

/** What request_log.price_source stores. */
export function priceSourceText(price: PriceUsed): string {
  return price.kind === 'catalog' ? price.source : price.kind;
}

/** One phrase for the UI: where a cost came from. */
export function describePrice(price: PriceUsed): string {
  switch (price.kind) {
    case 'catalog':
      // A gateway or proxy the catalog does not know: the figure is the model's own provider price, and says so.
      return price.source.startsWith(MODEL_ID_SOURCE) ? `catalog price of the model it names (${price.source.slice(MODEL_ID_SOURCE.length)}); the server does not report its own cost` : `catalog price (${price.source})`;
    case 'override':
      return 'your price override';
    case 'local':
      return 'local model (no charge)';
    case 'gateway':
      return "the gateway's reported cost";
    case 'unknown':
      return 'no known price: cost not counted';
  }
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

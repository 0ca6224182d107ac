/**
 * The compact catalog the build emits from the price package (dist/model-catalog.json) and the tests build in memory.
 * Prices are USD per million tokens, as the package states them.
 */
export interface CatalogData {
  /** Where the data came from, e.g. "@pydantic/genai-prices@0.1.8": every price shown says so. */
  readonly source: string;
  readonly providers: readonly CatalogProviderData[];
}

/** The package's model-matching rules, kept as data so dated and aliased ids resolve the way the package resolves them. */
export type MatchRule =
  | { readonly or: readonly MatchRule[] }
  | { readonly and: readonly MatchRule[] }
  | { readonly equals: string }
  | { readonly starts_with: string }
  | { readonly ends_with: string }
  | { readonly contains: string }
  | { readonly regex: string };

export interface CatalogProviderData {
  /** The package's provider id ("google", not our "gemini"). */
  readonly id: string;
  readonly name: string;
  /** A regular expression that the provider's API base URL matches. */
  readonly apiPattern: string;
  /** Which model ids are the provider's own (the google entry also lists Claude as sold through Vertex). */
  readonly modelMatch?: MatchRule;
  /** In the package's order: the first model whose rule matches an id wins. */
  readonly models: readonly CatalogModelData[];
}

/** A flat price, or prices that apply to the whole request once its prompt is longer than `start` tokens. */
export type PriceValue = number | { readonly base: number; readonly tiers: readonly { readonly start: number; readonly price: number }[] };

export interface PricePeriod {
  /** First day (YYYY-MM-DD, UTC) these prices apply; absent on the first period. */
  readonly from?: string;
  readonly input?: PriceValue;
  readonly output?: PriceValue;
  readonly cachedInput?: PriceValue;
  /** Prompt tokens written to the cache (Anthropic's 5-minute writes). */
  readonly cacheWrite?: PriceValue;
}

export interface CatalogModelData {
  readonly id: string;
  readonly name?: string;
  /** Absent when the rule is just "equals id". */
  readonly match?: MatchRule;
  readonly contextWindow?: number;
  readonly deprecated?: boolean;
  /** Non-text price keys (output_audio_mtok, output_image_mtok, ...): tells speech, image and realtime models apart. */
  readonly media?: readonly string[];
  /** Chronological. */
  readonly prices: readonly PricePeriod[];
}

/** The prices a request is billed at, resolved for one day. */
export interface ModelPrices {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** Prompt tokens read from the provider's cache; when absent they are billed at the input price. */
  readonly cachedInputPerMTok?: number;
  /** Prompt tokens written to the provider's cache; when absent they are billed at the input price. */
  readonly cacheWritePerMTok?: number;
  /** Higher prices for the whole request once the prompt exceeds a threshold (e.g. Gemini Pro above 200k tokens). */
  readonly tiers?: readonly PriceTier[];
  /** "@pydantic/genai-prices@0.1.8", or "local" for a model that runs on the user's machine. */
  readonly source: string;
}

export interface PriceTier {
  /** Applies when the prompt (cached tokens included) is longer than this many tokens. */
  readonly aboveInputTokens: number;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok?: number;
  readonly cacheWritePerMTok?: number;
}

/** One model as the rest of the extension sees it. */
export interface CatalogModel {
  readonly id: string;
  readonly displayName: string;
  /** The catalog's provider id ("google"). */
  readonly catalogProvider: string;
  /** Input token limit, when the catalog states it. */
  readonly contextWindow?: number;
  readonly deprecated: boolean;
  /** Speech, image or realtime pricing: not a plain text chat model. */
  readonly media: readonly string[];
  /** Undefined when the catalog has no per-token text price for it. */
  readonly prices?: ModelPrices;
}

/** Token counts of one request: `cached` is the part of `input` read from the provider's cache. */
export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  readonly cached?: number;
  /** The part of `input` written to the provider's cache. */
  readonly cacheWrite?: number;
}

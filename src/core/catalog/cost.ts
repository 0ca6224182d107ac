import type { ModelPrices, TokenUsage } from './types';

/**
 * The USD cost of one request. Cached prompt tokens (a part of `input`) are billed at the cached-input price when the
 * catalog has one, else at the input price, which is what a provider without a cache discount charges; tokens written
 * to the cache likewise at the cache-write price.
 */
export function costOf(usage: TokenUsage, prices: ModelPrices): number {
  const input = Math.max(0, usage.input);
  const cached = Math.min(Math.max(0, usage.cached ?? 0), input);
  const written = Math.min(Math.max(0, usage.cacheWrite ?? 0), input - cached);
  let rates: { inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok?: number | undefined; cacheWritePerMTok?: number | undefined } = prices;
  // A tier reprices the whole request, as providers bill long prompts.
  for (const tier of prices.tiers ?? []) if (input > tier.aboveInputTokens) rates = tier;
  const cachedRate = rates.cachedInputPerMTok ?? rates.inputPerMTok;
  const writeRate = rates.cacheWritePerMTok ?? rates.inputPerMTok;
  return ((input - cached - written) * rates.inputPerMTok + cached * cachedRate + written * writeRate + Math.max(0, usage.output) * rates.outputPerMTok) / 1_000_000;
}

/** What a model on the user's own machine costs per token. */
export const localPrices: ModelPrices = { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, source: 'local' };

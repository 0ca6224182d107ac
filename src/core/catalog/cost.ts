import type { ModelPrices, TokenUsage } from './types';

/**
 * The USD cost of one request. Cached prompt tokens (a part of `input`) are billed at the cached-input price when the
 * catalog has one, else at the input price, which is what a provider without a cache discount charges.
 */
export function costOf(usage: TokenUsage, prices: ModelPrices): number {
  const input = Math.max(0, usage.input);
  const cached = Math.min(Math.max(0, usage.cached ?? 0), input);
  let rates: { inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok?: number | undefined } = prices;
  // A tier reprices the whole request, as providers bill long prompts.
  for (const tier of prices.tiers ?? []) if (input > tier.aboveInputTokens) rates = tier;
  const cachedRate = rates.cachedInputPerMTok ?? rates.inputPerMTok;
  return ((input - cached) * rates.inputPerMTok + cached * cachedRate + Math.max(0, usage.output) * rates.outputPerMTok) / 1_000_000;
}

/** What a model on the user's own machine costs per token. */
export const localPrices: ModelPrices = { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, source: 'local' };

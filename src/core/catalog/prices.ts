import type { ModelPrices, PricePeriod, PriceTier, PriceValue } from './types';

/** The period in force on a day: the last one that has started (the first one applies before any start date). */
export function periodAt(periods: readonly PricePeriod[], day: string): PricePeriod | undefined {
  let current = periods[0];
  for (const period of periods) if (period.from === undefined || period.from <= day) current = period;
  return current;
}

function base(value: PriceValue): number {
  return typeof value === 'number' ? value : value.base;
}

function above(value: PriceValue | undefined, threshold: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  let price = value.base;
  for (const tier of value.tiers) if (threshold >= tier.start) price = tier.price;
  return price;
}

/** Per-key tiers merged into one list of thresholds, each with every price in force above it. */
function tiersOf(input: PriceValue, output: PriceValue, cached: PriceValue | undefined, cacheWrite: PriceValue | undefined): PriceTier[] {
  const starts = new Set<number>();
  for (const value of [input, output, cached, cacheWrite]) if (value !== undefined && typeof value !== 'number') for (const t of value.tiers) starts.add(t.start);
  return [...starts].sort((a, b) => a - b).map((start) => {
    const cachedAbove = above(cached, start);
    const writeAbove = above(cacheWrite, start);
    return {
      aboveInputTokens: start,
      inputPerMTok: above(input, start) ?? 0,
      outputPerMTok: above(output, start) ?? 0,
      ...(cachedAbove === undefined ? {} : { cachedInputPerMTok: cachedAbove }),
      ...(writeAbove === undefined ? {} : { cacheWritePerMTok: writeAbove }),
    };
  });
}

/** Prices for text tokens, or undefined when the period has no input or no output price (speech, image-only models). */
export function resolvePrices(period: PricePeriod | undefined, source: string): ModelPrices | undefined {
  if (period?.input === undefined || period.output === undefined) return undefined;
  const tiers = tiersOf(period.input, period.output, period.cachedInput, period.cacheWrite);
  return {
    inputPerMTok: base(period.input),
    outputPerMTok: base(period.output),
    ...(period.cachedInput === undefined ? {} : { cachedInputPerMTok: base(period.cachedInput) }),
    ...(period.cacheWrite === undefined ? {} : { cacheWritePerMTok: base(period.cacheWrite) }),
    ...(tiers.length > 0 ? { tiers } : {}),
    source,
  };
}

import type { CatalogModel, ModelPrices } from '../catalog/types';

export const tokens = new Intl.NumberFormat('en-US');

function usd(value: number): string {
  return `$${String(Number(value.toPrecision(4)))}`;
}

/** "$1.25 in / $10 out per 1M tokens, cached input $0.125", plus any long-prompt tier. */
export function describePrices(prices: ModelPrices): string {
  const cached = prices.cachedInputPerMTok === undefined ? '' : `, cached input ${usd(prices.cachedInputPerMTok)}`;
  const tiers = (prices.tiers ?? []).map((t) => `; above ${tokens.format(t.aboveInputTokens)} prompt tokens ${usd(t.inputPerMTok)} in / ${usd(t.outputPerMTok)} out`).join('');
  return `${usd(prices.inputPerMTok)} in / ${usd(prices.outputPerMTok)} out per 1M tokens${cached}${tiers}`;
}

/** A built-in template's description: context window and prices, and where the numbers come from. */
export function describeModel(model: CatalogModel): string {
  const context = model.contextWindow === undefined ? 'context window not listed' : `${tokens.format(model.contextWindow)}-token context window`;
  const prices = model.prices ? `${describePrices(model.prices)} (prices: ${model.prices.source})` : 'price not listed';
  return `${model.displayName}: ${context}; ${prices}.`;
}

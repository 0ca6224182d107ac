import { formatUsdPrice } from '../../protocol/money';
import type { CatalogModel, ModelPrices } from '../catalog/types';

export const tokens = new Intl.NumberFormat('en-US');

/** "$1.25 in / $10 out per 1M tokens, cached input $0.125", plus any long-prompt tier. */
export function describePrices(prices: ModelPrices): string {
  const cached = prices.cachedInputPerMTok === undefined ? '' : `, cached input ${formatUsdPrice(prices.cachedInputPerMTok)}`;
  const tiers = (prices.tiers ?? []).map((t) => `; above ${tokens.format(t.aboveInputTokens)} prompt tokens ${formatUsdPrice(t.inputPerMTok)} in / ${formatUsdPrice(t.outputPerMTok)} out`).join('');
  return `${formatUsdPrice(prices.inputPerMTok)} in / ${formatUsdPrice(prices.outputPerMTok)} out per 1M tokens${cached}${tiers}`;
}

/** A built-in template's description: context window and prices (the catalog they come from is named once, in the README). */
export function describeModel(model: CatalogModel): string {
  const context = model.contextWindow === undefined ? 'context window not listed' : `${tokens.format(model.contextWindow)}-token context window`;
  const prices = model.prices ? describePrices(model.prices) : 'price not listed';
  return `${model.displayName}: ${context}; ${prices}.`;
}

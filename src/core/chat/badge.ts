import { formatUsd } from '../../protocol/money';
import type { TurnBadge } from './runTurn';

/** "$0.00012" (formatUsd), or "no price known" (local models cost nothing; Ollama's price is 0). */
export function formatCost(costUsd: number | undefined): string {
  return costUsd === undefined ? 'no price known' : formatUsd(costUsd);
}

/** 950, 12k, 1.2M: a token count the way a badge shows it. */
export function compactTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${String(Math.round(count / 100) / 10).replace(/\.0$/, '')}k`;
  return `${String(Math.round(count / 100_000) / 10).replace(/\.0$/, '')}M`;
}

/** One line: "OpenAI work · gpt-4o-mini · 12 in / 34 out tokens · cached 12k · $0.00002 · 812 ms · fell back: …". */
export function badgeText(badge: TurnBadge): string {
  const parts: string[] = [];
  if (badge.member) parts.push(badge.member.name, badge.member.model);
  parts.push(badge.usage ? `${String(badge.usage.input)} in / ${String(badge.usage.output)} out tokens` : 'tokens not reported');
  if (badge.usage?.cached) parts.push(`cached ${compactTokens(badge.usage.cached)}`);
  if (badge.usage?.cacheWrite) parts.push(`cache write ${compactTokens(badge.usage.cacheWrite)}`);
  if (badge.usage?.reasoning) parts.push(`reasoning ${compactTokens(badge.usage.reasoning)}`);
  parts.push(formatCost(badge.costUsd));
  parts.push(`${String(Math.round(badge.latencyMs))} ms`);
  if (badge.fallbackReason) parts.push(`fallback: ${badge.fallbackReason}`);
  return parts.join(' · ');
}

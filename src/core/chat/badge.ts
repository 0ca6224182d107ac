import { formatUsd } from '../../protocol/money';
import type { TurnBadge } from './runTurn';

/** "$0.00012" (formatUsd), or "no price known" (local models cost nothing; Ollama's price is 0). */
export function formatCost(costUsd: number | undefined): string {
  return costUsd === undefined ? 'no price known' : formatUsd(costUsd);
}

/** One line: "OpenAI work · gpt-4o-mini · 12 in / 34 out tokens · $0.00002 · 812 ms · fell back: …". */
export function badgeText(badge: TurnBadge): string {
  const parts: string[] = [];
  if (badge.member) parts.push(badge.member.name, badge.member.model);
  parts.push(badge.usage ? `${String(badge.usage.input)} in / ${String(badge.usage.output)} out tokens` : 'tokens not reported');
  parts.push(formatCost(badge.costUsd));
  parts.push(`${String(Math.round(badge.latencyMs))} ms`);
  if (badge.fallbackReason) parts.push(`fallback: ${badge.fallbackReason}`);
  return parts.join(' · ');
}

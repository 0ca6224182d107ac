import type { TurnBadge } from './runTurn';

/** "$0.000123", or "no price known" (local models cost nothing; Ollama's price is 0). */
export function formatCost(costUsd: number | undefined): string {
  if (costUsd === undefined) return 'no price known';
  if (costUsd === 0) return '$0';
  return costUsd < 0.01 ? `$${costUsd.toFixed(6)}` : `$${costUsd.toFixed(4)}`;
}

/** One line: "OpenAI work · gpt-4o-mini · 12 in / 34 out tokens · $0.000021 · 812 ms · fell back: …". */
export function badgeText(badge: TurnBadge): string {
  const parts: string[] = [];
  if (badge.member) parts.push(badge.member.name, badge.member.model);
  parts.push(badge.usage ? `${String(badge.usage.input)} in / ${String(badge.usage.output)} out tokens` : 'tokens not reported');
  parts.push(formatCost(badge.costUsd));
  parts.push(`${String(Math.round(badge.latencyMs))} ms`);
  if (badge.fallbackReason) parts.push(`fallback: ${badge.fallbackReason}`);
  return parts.join(' · ');
}

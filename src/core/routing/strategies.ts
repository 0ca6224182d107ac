import type { LatencyWindow } from './latency';
import { keyOf, type RouteMember } from './types';

/** The member to try first and why; the rest follow in the order given, for fallback. */
export interface Selection {
  readonly order: readonly RouteMember[];
  readonly reason: string;
}

/** Ordered: the first member that is up, then the next. */
export function fallbackOrder(members: readonly RouteMember[]): Selection {
  return { order: members, reason: 'fallback: the first member that is up' };
}

/**
 * Smooth weighted round-robin (nginx): every pick adds each member's weight to its running score, takes the highest
 * and subtracts the total from it. Deterministic, and spreads a heavy member's turns instead of bunching them.
 */
export class SmoothWeightedRoundRobin {
  private readonly scores = new Map<string, Map<string, number>>();

  select(groupId: string, members: readonly RouteMember[]): Selection {
    let scores = this.scores.get(groupId);
    if (!scores) {
      scores = new Map();
      this.scores.set(groupId, scores);
    }
    let total = 0;
    let best: RouteMember | undefined;
    let bestScore = -Infinity;
    for (const member of members) {
      const key = keyOf(member);
      const score = (scores.get(key) ?? 0) + member.weight;
      scores.set(key, score);
      total += member.weight;
      if (score > bestScore) {
        bestScore = score;
        best = member;
      }
    }
    if (!best) return { order: [], reason: 'weighted round-robin' };
    const key = keyOf(best);
    scores.set(key, (scores.get(key) ?? 0) - total);
    return { order: [best, ...members.filter((m) => m !== best)], reason: `weighted round-robin: weight ${String(best.weight)} of ${String(total)}` };
  }

  forget(groupId: string): void {
    this.scores.delete(groupId);
  }
}

/** Fewest requests in flight first; among equals, the turn rotates so that idle members share the load. */
export class LeastBusy {
  private readonly turns = new Map<string, number>();

  select(groupId: string, members: readonly RouteMember[], inFlight: (member: RouteMember) => number): Selection {
    const turn = this.turns.get(groupId) ?? 0;
    this.turns.set(groupId, turn + 1);
    const n = members.length;
    const ranked = members
      .map((member, index) => ({ member, busy: inFlight(member), rotation: (index - (turn % Math.max(1, n)) + n) % Math.max(1, n) }))
      .sort((a, b) => a.busy - b.busy || a.rotation - b.rotation);
    const first = ranked[0];
    return { order: ranked.map((r) => r.member), reason: first ? `least busy: ${String(first.busy)} in flight` : 'least busy' };
  }
}

/** Lowest recent p50 first; a member never measured goes before every measured one, so each gets explored. */
export function lowestLatencyOrder(members: readonly RouteMember[], latency: LatencyWindow): Selection {
  const ranked = members
    .map((member, index) => ({ member, index, p50: latency.p50(keyOf(member)) }))
    .sort((a, b) => (a.p50 ?? -1) - (b.p50 ?? -1) || a.index - b.index);
  const first = ranked[0];
  const reason = first === undefined ? 'lowest latency' : first.p50 === undefined ? 'lowest latency: not measured yet, explored first' : `lowest latency: p50 ${first.p50.toFixed(1)} ms`;
  return { order: ranked.map((r) => r.member), reason };
}

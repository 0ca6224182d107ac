import { formatUsd } from '../../protocol/money';
import { costOf } from '../catalog';
import type { ChatRequest } from '../providers';
import { RoutingError } from './errors';
import { estimateTokens, sizeFor, type FactsOf } from './facts';
import type { Selection } from './strategies';
import type { MemberFacts, MemberTarget, RouteMember } from './types';
import { errorMessage } from '../errors';

/** Output tokens assumed for the cost comparison when the request sets no maxTokens. */
export const assumedOutputTokens = 1_000;

interface Ranked {
  readonly member: RouteMember;
  readonly resolved: MemberTarget;
  readonly facts: MemberFacts;
  readonly cost: number | undefined;
}

/**
 * The cheapest member whose capabilities and context window fit: members that lack a capability the request needs
 * (tool calling) are left out; the rest are ranked by the estimated cost of this request (input at the input price,
 * maxTokens or 1,000 tokens at the output price; unknown prices last); walking up from the cheapest, the request is
 * sized the way that member's provider counts and the first whose window holds it is picked.
 */
export async function lowestCostOrder(
  members: readonly RouteMember[],
  request: ChatRequest,
  resolve: (member: RouteMember) => Promise<MemberTarget>,
  factsOf: FactsOf,
  signal?: AbortSignal,
): Promise<Selection> {
  const needsTools = (request.tools?.length ?? 0) > 0;
  const estimate = estimateTokens(request);
  const output = request.maxTokens ?? assumedOutputTokens;
  const refused: string[] = [];
  const ranked: Ranked[] = [];
  for (const member of members) {
    let resolved: MemberTarget;
    let facts: MemberFacts;
    try {
      resolved = await resolve(member);
      facts = await factsOf(member, resolved);
    } catch (error) {
      refused.push(`${member.name}: ${errorMessage(error)}`);
      continue;
    }
    if (needsTools && !facts.tools) {
      refused.push(`${member.name}: ${member.model} does not call tools`);
      continue;
    }
    ranked.push({ member, resolved, facts, cost: facts.prices ? costOf({ input: estimate, output, cached: 0 }, facts.prices) : undefined });
  }
  ranked.sort((a, b) => (a.cost ?? Infinity) - (b.cost ?? Infinity));
  const fitting: Ranked[] = [];
  let reason = '';
  for (const candidate of ranked) {
    const window = candidate.facts.contextWindow;
    if (fitting.length === 0) {
      const size = await sizeFor(candidate.member, candidate.resolved, request, signal);
      if (window !== undefined && size.tokens + (request.maxTokens ?? 0) > window) {
        refused.push(`${candidate.member.name}: ${String(size.tokens)} tokens (${size.how}) exceed its ${String(window)}-token window`);
        continue;
      }
      const price = candidate.cost === undefined ? 'price unknown' : `about ${formatUsd(candidate.cost)} for this request`;
      reason = `lowest cost: ${candidate.member.model}, ${price}; ${String(size.tokens)} tokens ${size.how}, window ${window === undefined ? 'unknown' : String(window)}`;
      fitting.push(candidate);
      continue;
    }
    // Fallback members are checked against the estimate only: counting with every provider would cost a call each.
    if (window === undefined || estimate + (request.maxTokens ?? 0) <= window) fitting.push(candidate);
  }
  if (fitting.length === 0) {
    throw new RoutingError('no-fit', `No member fits this request: ${refused.join('; ')}.`, { attempts: refused });
  }
  return { order: fitting.map((f) => f.member), reason };
}

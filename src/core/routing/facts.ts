import type { ModelCatalog } from '../catalog';
import type { AIProvider, ChatRequest, ProviderTarget } from '../providers';
import { keyOf, type MemberFacts, type MemberTarget, type RouteMember } from './types';

/** Whether a member's model can call tools; small and injected, since only the provider knows. */
export type ToolSupport = (adapter: AIProvider, target: ProviderTarget<unknown>, model: string) => Promise<boolean>;

/** Providers whose chat APIs take tools for every current model; Ollama says per model in /api/show. */
const toolProviders = new Set(['openai', 'anthropic', 'gemini', 'openai-compatible']);

export const providerToolSupport: ToolSupport = async (adapter, target, model) => {
  if (adapter.showModel) {
    const details = await adapter.showModel(target, model);
    return details.capabilities.includes('tools');
  }
  return toolProviders.has(adapter.id);
};

export type FactsOf = (member: RouteMember, resolved: MemberTarget) => Promise<MemberFacts>;

/**
 * Context window and prices from the catalog (Ollama: the configured num_ctx, else the model's own length), tool
 * support from `tools`; kept for `ttlMs` per member, since every lowest-cost request asks.
 */
export function catalogFacts(catalog: ModelCatalog | undefined, tools: ToolSupport = providerToolSupport, now: () => number = Date.now, ttlMs = 300_000): FactsOf {
  const cache = new Map<string, { at: number; facts: Promise<MemberFacts> }>();
  return (member, resolved) => {
    const key = keyOf(member);
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.facts;
    const facts = load(member, resolved).catch((error: unknown) => {
      cache.delete(key);
      throw error;
    });
    cache.set(key, { at: now(), facts });
    return facts;
  };

  async function load(member: RouteMember, { adapter, target }: MemberTarget): Promise<MemberFacts> {
    const origin = { preset: member.preset, baseUrl: member.baseUrl };
    const prices = catalog?.pricesFor(member.provider, member.model, origin);
    const supportsTools = await tools(adapter, target, member.model).catch(() => false);
    let contextWindow = catalog?.lookup(member.provider, member.model, origin)?.contextWindow;
    if (adapter.showModel) {
      const configured = (target.config as { numCtx?: unknown } | undefined)?.numCtx;
      contextWindow = typeof configured === 'number' ? configured : await adapter.showModel(target, member.model).then((d) => d.contextLength, () => undefined);
    }
    return { contextWindow, prices, tools: supportsTools };
  }
}

/** Characters per token of the stated estimate (English text and code average about four). */
export const charsPerToken = 4;

/** ~4 characters a token over every message, tool call and tool schema, plus a few tokens of framing per message. */
export function estimateTokens(request: ChatRequest): number {
  return Math.ceil(requestChars(request) / charsPerToken);
}

/** The characters a request sends: every message, tool call and tool schema, plus 16 of framing per message. */
export function requestChars(request: ChatRequest): number {
  let chars = 0;
  for (const message of request.messages) {
    chars += message.content.length + 16;
    for (const call of message.toolCalls ?? []) chars += call.name.length + call.arguments.length + 16;
  }
  for (const tool of request.tools ?? []) chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters).length;
  return chars;
}

export interface RequestSize {
  readonly tokens: number;
  /** "counted by Anthropic" or "estimated at ~4 characters a token". */
  readonly how: string;
}

/** The request's size as the member's provider counts it when its adapter can, else the stated estimate. */
export async function sizeFor(member: RouteMember, { adapter, target }: MemberTarget, request: ChatRequest, signal?: AbortSignal): Promise<RequestSize> {
  if (adapter.countTokens) {
    try {
      const tokens = await adapter.countTokens(target, { ...request, model: member.model }, { signal, retry: false });
      return { tokens, how: `counted by ${adapter.displayName}` };
    } catch {
      // A failed count is no reason to refuse the request: the estimate stands in, and says so.
    }
  }
  return { tokens: estimateTokens(request), how: `estimated at ~${String(charsPerToken)} characters a token` };
}

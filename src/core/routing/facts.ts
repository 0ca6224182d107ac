import type { ModelCatalog, OriginOptions } from '../catalog';
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
    const contextWindow = configuredWindow(target.config) ?? (await serverWindow(member, { adapter, target })) ?? catalogWindow(catalog, member, origin);
    return { contextWindow, prices, tools: supportsTools };
  }
}

/** How long the router waits for a server's own figure before falling back to the catalog's. */
const SERVER_FACTS_TIMEOUT_MS = 1500;

/** The window the user set (OpenAI-compatible's Context window, Ollama's num_ctx): it wins over every other figure. */
function configuredWindow(config: unknown): number | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  for (const key of ['contextWindow', 'numCtx']) {
    const value = (config as Record<string, unknown>)[key];
    if (typeof value === 'number' && value > 0) return value;
  }
  return undefined;
}

/** The server's own figure: Ollama's /api/show, or an OpenAI-compatible model list that states it (OpenRouter, vLLM). */
async function serverWindow(member: RouteMember, { adapter, target }: MemberTarget): Promise<number | undefined> {
  const options = { retry: false, signal: AbortSignal.timeout(SERVER_FACTS_TIMEOUT_MS) };
  if (adapter.showModel) return adapter.showModel(target, member.model, options).then((d) => d.contextLength, () => undefined);
  if (member.provider !== 'openai-compatible') return undefined;
  const models = await adapter.listModels(target, { ...options, details: false }).catch(() => undefined);
  return models?.find((m) => m.id === member.model)?.contextWindow;
}

/** The catalog's entry for the member's provider, else (OpenAI-compatible) for whoever makes the model. */
function catalogWindow(catalog: ModelCatalog | undefined, member: RouteMember, origin: OriginOptions): number | undefined {
  const own = catalog?.lookup(member.provider, member.model, origin)?.contextWindow;
  if (own !== undefined || member.provider !== 'openai-compatible') return own;
  return catalog?.lookupByModelId(member.model)?.contextWindow;
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

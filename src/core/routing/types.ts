import type { ModelPrices } from '../catalog';
import type { AIProvider, ChatEvent, ProviderTarget } from '../providers';
import type { RouteGroupSettings, RouteStrategy } from '../store';

/** One member of a group, resolved from its configuration: what the router needs to pick and call it. */
export interface RouteMember {
  readonly configurationId: string;
  /** The configuration's name, as notices and errors show it. */
  readonly name: string;
  /** The provider id (openai, anthropic, gemini, ollama, openai-compatible). */
  readonly provider: string;
  readonly model: string;
  /** Positive; 1 unless the group says otherwise. */
  readonly weight: number;
  /** For prices of OpenAI-compatible servers (ModelCatalog's OriginOptions). */
  readonly preset?: string | undefined;
  readonly baseUrl?: string | null | undefined;
}

export type ResolvedSettings = Required<RouteGroupSettings>;

/** A group as the router uses it: members resolved, settings with their defaults. */
export interface ResolvedGroup {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly strategy: RouteStrategy;
  readonly members: readonly RouteMember[];
  readonly settings: ResolvedSettings;
  /** One configuration chatted with directly, not a group the user made: messages name it, not "members". */
  readonly single?: boolean;
}

export const defaultSettings: ResolvedSettings = {
  fallbackOnAuthError: false,
  restartStreamsWithNotice: false,
  cooldownFailures: 3,
  cooldownWindowSeconds: 60,
  cooldownSeconds: 30,
};

/** The adapter and decrypted target of a member, for one call. */
export interface MemberTarget {
  readonly adapter: AIProvider;
  readonly target: ProviderTarget<unknown>;
}

/** What lowest-cost routing and context-length fallback know about a member. */
export interface MemberFacts {
  /** Input token limit; undefined when neither the catalog nor the provider says. */
  readonly contextWindow: number | undefined;
  readonly prices: ModelPrices | undefined;
  readonly tools: boolean;
}

/** The member a notice is about, as the user knows it. */
export interface MemberRef {
  readonly configurationId: string;
  readonly name: string;
  readonly provider: string;
  readonly model: string;
}

/**
 * What the router says besides the model's own events: which member answers and why (`selected`), and that an answer
 * which had already shown text starts over on another member (`restarted`; only when the group allows it).
 */
export interface RouteNotice {
  readonly type: 'route';
  readonly kind: 'selected' | 'restarted';
  readonly groupId: string;
  readonly member: MemberRef;
  /** 1 for the first member tried. */
  readonly attempt: number;
  readonly reason: string;
}

export type RouterEvent = ChatEvent | RouteNotice;

/** A member as the router sees it: in use, out after repeated failures, its one probe in flight, or refused by a budget. */
export type RouterMemberState = 'healthy' | 'cooling-down' | 'probing' | 'paused';

/** A member entered or left cooldown, its probe began, or a budget began or stopped refusing it. */
export interface MemberStateChange {
  /** The group whose request saw the change; cooldowns are per member, so every group holding it is affected. */
  readonly groupId: string;
  readonly member: MemberRef;
  readonly state: RouterMemberState;
  readonly previous: RouterMemberState;
  /** The budget's message when paused. */
  readonly why?: string;
}

export function refOf(member: RouteMember): MemberRef {
  return { configurationId: member.configurationId, name: member.name, provider: member.provider, model: member.model };
}

/** Two members may share a configuration with different models: they are told apart by both. */
export function keyOf(member: RouteMember): string {
  return `${member.configurationId}\u0000${member.model}`;
}

// What a chat can be sent to, for every chat surface (VS Code's picker, @models, the chat panel): written once here.
import { COMPARE_MAX } from '../../protocol/compare';
import { providerDisplayName } from '../providers/displayNames';
import type { AIConfiguration, RouteGroup } from '../store';

export { COMPARE_MAX };

/** Group ids that stand for one configuration: chat to a single configuration goes through the router too. */
export const CONFIGURATION_GROUP_PREFIX = 'configuration:';

export function configurationGroupId(configurationId: string): string {
  return CONFIGURATION_GROUP_PREFIX + configurationId;
}

/** The configuration a `configuration:<id>` target stands for; undefined for a route group. */
export function configurationIdOf(groupId: string): string | undefined {
  return groupId.startsWith(CONFIGURATION_GROUP_PREFIX) ? groupId.slice(CONFIGURATION_GROUP_PREFIX.length) : undefined;
}

/** One model a chat can be sent to: an active configuration or a route group. */
export interface ChatTarget {
  readonly groupId: string;
  readonly name: string;
  readonly detail: string;
  readonly kind: 'configuration' | 'route-group';
}

/** Every active configuration, then every route group, in the order the pickers show them. */
export function chatTargets(configurations: readonly AIConfiguration[], routeGroups: readonly RouteGroup[]): ChatTarget[] {
  return [
    ...configurations.filter((c) => c.isActive).map((c): ChatTarget => ({ groupId: configurationGroupId(c.id), name: c.name, detail: `${c.model} · ${providerDisplayName(c.provider, c.config.preset)}`, kind: 'configuration' })),
    ...routeGroups.map((g): ChatTarget => ({ groupId: g.id, name: g.name, detail: `route group · ${g.strategy}`, kind: 'route-group' })),
  ];
}

/** "/compare": the picked target first, then the other active configurations, at most COMPARE_MAX in all. */
export function compareLineup<T extends Pick<ChatTarget, 'groupId' | 'kind'>, F extends Pick<ChatTarget, 'groupId'>>(targets: readonly T[], first: F | undefined): (T | F)[] {
  const others = targets.filter((t) => t.kind === 'configuration' && t.groupId !== first?.groupId);
  return [...(first ? [first] : []), ...others].slice(0, COMPARE_MAX);
}

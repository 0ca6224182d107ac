import { CONFIGURATION_GROUP_PREFIX } from '../chat/targets';
import type { AIConfiguration } from '../store';
import type { GroupSource } from './Router';
import { defaultSettings, type ResolvedGroup } from './types';

export { CONFIGURATION_GROUP_PREFIX, configurationGroupId } from '../chat/targets';

/**
 * Route groups plus one implicit group per active configuration (`configuration:<id>`), so that a chat with a single
 * configuration gets the same usage records, budgets and notices as a chat with a group. The implicit group has
 * one member and never falls back: there is nothing to fall back to.
 */
export function withConfigurationGroups(groups: GroupSource, userId: string, configuration: (id: string) => AIConfiguration | undefined): GroupSource {
  return {
    resolve(id: string): ResolvedGroup | undefined {
      if (!id.startsWith(CONFIGURATION_GROUP_PREFIX)) return groups.resolve(id);
      const row = configuration(id.slice(CONFIGURATION_GROUP_PREFIX.length));
      if (!row?.isActive) return undefined;
      const preset = row.config.preset;
      return {
        id,
        userId,
        name: row.name,
        strategy: 'fallback',
        members: [
          {
            configurationId: row.id,
            name: row.name,
            provider: row.provider,
            model: row.model,
            weight: 1,
            baseUrl: row.baseUrl,
            ...(typeof preset === 'string' ? { preset } : {}),
          },
        ],
        // A single configuration has no second member: cooling it down would only refuse the user's next try.
        settings: { ...defaultSettings, cooldownFailures: Number.MAX_SAFE_INTEGER },
        single: true,
      };
    },
  };
}

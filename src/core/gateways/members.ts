import type { AIConfiguration, RouteGroup } from '../store/types';
import type { GatewayExportInput, ResolvedMember } from './types';

/** The configurations to write: the picked ones, then any group member not picked, each once, in that order. */
export function configurationsToExport(input: GatewayExportInput): { configurations: AIConfiguration[]; members: Map<string, ResolvedMember[]>; missing: string[] } {
  const byId = new Map(input.allConfigurations.map((c) => [c.id, c]));
  const chosen = new Map(input.configurations.map((c) => [c.id, c]));
  const members = new Map<string, ResolvedMember[]>();
  const missing: string[] = [];
  for (const group of input.groups) {
    const resolved: ResolvedMember[] = [];
    for (const m of group.members) {
      const configuration = byId.get(m.configurationId);
      if (configuration === undefined) {
        missing.push(`Route group "${group.name}" has a member whose configuration no longer exists; it was left out.`);
        continue;
      }
      if (!chosen.has(configuration.id)) chosen.set(configuration.id, configuration);
      resolved.push({ configuration, model: m.model ?? configuration.model, weight: m.weight ?? 1 });
    }
    members.set(group.id, resolved);
  }
  return { configurations: [...chosen.values()], members, missing };
}

export function groupsWithMembers(groups: readonly RouteGroup[], members: Map<string, ResolvedMember[]>): { group: RouteGroup; members: ResolvedMember[] }[] {
  return groups.map((group) => ({ group, members: members.get(group.id) ?? [] })).filter((g) => g.members.length > 0);
}

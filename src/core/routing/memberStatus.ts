// The tree and the panel both show a group's members through it.
import type { StoreSession } from '../session';
import type { RouteGroup } from '../store';

/**
 * Whether a member would be asked now: in use, out after repeated failures, its one probe after the cooldown in
 * flight, paused by a budget, or gone.
 */
export type MemberState = 'healthy' | 'cooling-down' | 'probing' | 'paused' | 'disabled' | 'missing';

export interface MemberStatus {
  readonly configurationId: string;
  /** Undefined when the configuration was deleted. */
  readonly name: string | undefined;
  readonly provider: string;
  readonly model: string;
  readonly weight: number;
  readonly state: MemberState;
  /** The budget's message when paused. */
  readonly why?: string;
}

/** Each member of a group with what the router would make of it right now. */
export function memberStatuses(session: StoreSession, group: RouteGroup): MemberStatus[] {
  const resolved = session.routeGroups.resolve(group.id)?.members ?? [];
  const configurations = new Map(session.configurations.listConfigurations().map((c) => [c.id, c]));
  return group.members.map((member): MemberStatus => {
    const configuration = configurations.get(member.configurationId);
    const model = member.model ?? configuration?.model ?? '';
    const base = { configurationId: member.configurationId, name: configuration?.name, provider: configuration?.provider ?? '', model, weight: member.weight ?? 1 };
    if (!configuration) return { ...base, state: 'missing' };
    if (!configuration.isActive) return { ...base, state: 'disabled' };
    const budget = session.budgets.checkBudget(member.configurationId);
    if (!budget.allowed) return { ...base, state: 'paused', why: budget.message };
    const live = resolved.find((m) => m.configurationId === member.configurationId && m.model === model);
    return { ...base, state: live ? session.router.cooldownState(live) : 'healthy' };
  });
}

// The tree and the panel both show a group's members through it.
import { configurationStates } from '../services/configurationState';
import type { StoreSession } from '../session';
import type { RouteGroup } from '../store';

/**
 * Whether a member would be asked now: in use, out after repeated failures, its one probe after the cooldown in
 * flight, paused by a budget, or gone; and, for a member the router has nothing against, what the rest of the
 * extension knows of its configuration (its key cannot be opened, its health check or last test failed), so that a
 * member never reads "healthy" where the tree marks the same configuration otherwise.
 */
export type MemberState = 'healthy' | 'cooling-down' | 'probing' | 'paused' | 'disabled' | 'missing' | 'key-locked' | 'unreachable' | 'failed';

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
  const rows = session.configurations.listConfigurations();
  const configurations = new Map(rows.map((c) => [c.id, c]));
  const states = configurationStates(rows, session.keys, healthOf(session));
  return group.members.map((member): MemberStatus => {
    const configuration = configurations.get(member.configurationId);
    const model = member.model ?? configuration?.model ?? '';
    const base = { configurationId: member.configurationId, name: configuration?.name, provider: configuration?.provider ?? '', model, weight: member.weight ?? 1 };
    if (!configuration) return { ...base, state: 'missing' };
    if (!configuration.isActive) return { ...base, state: 'disabled' };
    const budget = session.budgets.checkBudget(member.configurationId);
    if (!budget.allowed) return { ...base, state: 'paused', why: budget.message };
    const live = resolved.find((m) => m.configurationId === member.configurationId && m.model === model);
    const routed = live ? session.router.cooldownState(live) : 'healthy';
    const known = states.get(member.configurationId);
    return { ...base, state: routed === 'healthy' && (known === 'key-locked' || known === 'unreachable' || known === 'failed') ? known : routed };
  });
}

/** The health monitor's latest checks; none where the session has no monitor (the panel's own unit tests). */
function healthOf(session: StoreSession): ReturnType<StoreSession['health']['summary']> {
  try {
    return session.health.summary();
  } catch {
    return [];
  }
}

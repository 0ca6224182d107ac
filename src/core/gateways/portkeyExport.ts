import { defaultRetryPolicy } from '../http/retry';
import { defaultSettings } from '../routing/types';
import type { RouteGroup } from '../store/types';
import { keyVariables } from './envNames';
import { configurationsToExport, groupsWithMembers } from './members';
import { portkeyTarget, type PortkeyTarget } from './portkeyTarget';
import type { GatewayExport, GatewayExportInput, ResolvedMember } from './types';

/** The statuses our router moves on after; Portkey falls back and retries on the ones it is given. */
const MOVE_ON_STATUSES = [429, 500, 502, 503, 504];

/** Retries stay within a member, as in Model Manager's router. */
function retry(): Record<string, unknown> {
  return { attempts: defaultRetryPolicy.maxAttempts - 1, on_status_codes: MOVE_ON_STATUSES };
}

function groupConfig(group: RouteGroup, targets: { target: PortkeyTarget; member: ResolvedMember }[], notCarried: string[]): PortkeyTarget {
  const settings = { ...defaultSettings, ...group.settings };
  if (group.strategy === 'fallback') {
    const codes = settings.fallbackOnAuthError ? [401, 403, ...MOVE_ON_STATUSES] : MOVE_ON_STATUSES;
    return { strategy: { mode: 'fallback', on_status_codes: codes }, targets: targets.map((t) => t.target) };
  }
  if (group.strategy !== 'weighted-round-robin') notCarried.push(`Route group "${group.name}" picks the ${group.strategy.replace('-', ' ')} member; Portkey's open-source gateway has no such mode, so its members share the traffic equally (loadbalance).`);
  const weighted = group.strategy === 'weighted-round-robin';
  return { strategy: { mode: 'loadbalance' }, targets: targets.map((t) => ({ ...t.target, weight: weighted ? t.member.weight : 1 })) };
}

/**
 * The picked configurations and route groups as one Portkey gateway config: a single pick is the config itself;
 * several are named targets chosen by the request's model (conditional routing on params.model). API keys are
 * placeholders such as "<OPENAI_API_KEY>" that the user replaces.
 */
export function exportPortkeyConfig(input: GatewayExportInput): GatewayExport {
  const { configurations, members, missing } = configurationsToExport(input);
  const notCarried = [...missing];
  const variables = keyVariables(configurations);
  const targetOf = (m: ResolvedMember): PortkeyTarget => {
    const { target, notCarried: lost } = portkeyTarget(m.configuration, m.model, variables.get(m.configuration.id)?.name);
    for (const line of lost) if (!notCarried.includes(line)) notCarried.push(line);
    return { ...target, retry: retry() };
  };
  const named: { name: string; config: PortkeyTarget }[] = [];
  const picked = new Set(input.configurations.map((c) => c.id));
  for (const c of configurations) if (picked.has(c.id)) named.push({ name: c.name, config: targetOf({ configuration: c, model: c.model, weight: 1 }) });
  const groups = groupsWithMembers(input.groups, members);
  for (const { group, members: list } of groups) {
    named.push({ name: group.name, config: groupConfig(group, list.map((member) => ({ member, target: targetOf(member) })), notCarried) });
    const settings = { ...defaultSettings, ...group.settings };
    notCarried.push(`Route group "${group.name}" cools a member down after ${String(settings.cooldownFailures)} failures for ${String(settings.cooldownSeconds)} s; Portkey's open-source gateway has no cooldown in its config.`);
  }
  const only = named.length === 1 ? named[0] : undefined;
  const config = only !== undefined
    ? only.config
    : {
        strategy: {
          mode: 'conditional',
          conditions: named.map((n) => ({ query: { 'params.model': { $eq: n.name } }, then: n.name })),
          ...(named[0] === undefined ? {} : { default: named[0].name }),
        },
        targets: named.map((n) => ({ name: n.name, ...n.config })),
      };
  return { text: `${JSON.stringify(config, null, 2)}\n`, variables: [...variables.values()], notCarried, configurations: configurations.length, groups: groups.length };
}

// The webview's route-group methods. Plain TypeScript (no vscode import), like PanelApi, so the unit tier fuzzes it.
import { excerpt, phrase } from '../core/text';
import type { RouteGroup, RouteGroupMember, RouteGroupSettings } from '../core/store';
import type { Params, Result } from '../protocol/rpc';
import type { RouteGroupView } from '../protocol/routeGroups';
import { memberStatuses } from '../core/routing/memberStatus';
import { testRouteGroup } from '../core/routing/routeGroupTest';
import type { StoreSession } from '../core/session';

type Method = 'routeGroups.list' | 'routeGroups.create' | 'routeGroups.update' | 'routeGroups.delete' | 'routeGroups.test';
type RouteGroupHandlers = { [M in Method]: (params: Params<M>, progress: (message: string) => void, signal: AbortSignal) => Promise<Result<M>> };

export function routeGroupHandlers(session: StoreSession): RouteGroupHandlers {
  const groups = session.routeGroups;
  const view = (group: RouteGroup): RouteGroupView => {
    const settings = groups.resolve(group.id)?.settings;
    return {
      id: group.id,
      name: group.name,
      strategy: group.strategy,
      members: memberStatuses(session, group).map((m) => ({
        configurationId: m.configurationId,
        name: (m.name ?? '(deleted configuration)').slice(0, 200),
        provider: m.provider.slice(0, 100),
        model: m.model.slice(0, 200),
        weight: m.weight,
        state: m.state,
      })),
      settings: {
        fallbackOnAuthError: settings?.fallbackOnAuthError ?? false,
        restartStreamsWithNotice: settings?.restartStreamsWithNotice ?? false,
        cooldownFailures: settings?.cooldownFailures ?? 0,
        cooldownWindowSeconds: settings?.cooldownWindowSeconds ?? 0,
        cooldownSeconds: settings?.cooldownSeconds ?? 0,
      },
      updatedAt: group.updatedAt,
    };
  };
  return {
    'routeGroups.list': () => Promise.resolve(groups.list().map(view)),
    'routeGroups.create': async ({ name, strategy, members, settings }) =>
      view(await groups.create({ name, strategy, members: membersOf(members), ...(settings ? { settings: settingsOf(settings) } : {}) })),
    'routeGroups.update': async ({ id, name, strategy, members, settings }) =>
      view(
        await groups.update(id, {
          ...(name === undefined ? {} : { name }),
          ...(strategy === undefined ? {} : { strategy }),
          ...(members === undefined ? {} : { members: membersOf(members) }),
          ...(settings === undefined ? {} : { settings: settingsOf(settings) }),
        }),
      ),
    'routeGroups.delete': async ({ id }) => {
      await groups.delete(id);
      return { deleted: true };
    },
    'routeGroups.test': async ({ id }, progress, signal) => {
      const group = groups.get(id);
      progress(`Sending a short chat through "${group.name}"…`);
      const result = await testRouteGroup(session, group.id, signal);
      const last = result.notices.at(-1);
      return {
        ok: result.ok,
        ...(result.ok && last ? { answeredBy: last.member.name.slice(0, 200), model: last.member.model.slice(0, 200), reason: phrase(last.reason).slice(0, 2000) } : {}),
        attempts: result.notices.length,
        // Shown as plain text: Markdown markers would show as they are.
        reply: excerpt(result.text, 2000),
        ...(result.error === undefined ? {} : { error: result.error.slice(0, 4000) }),
      };
    },
  };
}

type MemberInput = Params<'routeGroups.create'>['members'][number];
type SettingsInput = NonNullable<Params<'routeGroups.create'>['settings']>;

/** Drops the keys zod leaves undefined: the store keeps only what was set. */
function membersOf(members: readonly MemberInput[]): RouteGroupMember[] {
  return members.map((m) => ({ configurationId: m.configurationId, ...(m.weight === undefined ? {} : { weight: m.weight }) }));
}

function settingsOf(settings: SettingsInput): RouteGroupSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

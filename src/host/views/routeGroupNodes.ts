import * as vscode from 'vscode';
import { memberCount } from '../counts';
import type { ResolvedSettings } from '../../core/routing';
import type { RouteGroup, RouteStrategy } from '../../core/store';
import { memberStatuses, type MemberState } from '../../core/routing/memberStatus';
import type { StoreSession } from '../../core/session';
import { stateIcon as configurationIcon } from './configurationStateItems';


export type RouteGroupNode =
  | { readonly kind: 'routeGroups'; readonly count: number }
  | { readonly kind: 'routeGroup'; readonly group: RouteGroup; readonly settings?: ResolvedSettings | undefined }
  | {
      readonly kind: 'routeMember';
      readonly group: RouteGroup;
      readonly index: number;
      readonly name: string;
      readonly model: string;
      readonly weight: number;
      readonly state: MemberState;
      readonly why?: string | undefined;
    };

export function strategyLabel(strategy: RouteStrategy): string {
  switch (strategy) {
    case 'fallback':
      return vscode.l10n.t('fallback');
    case 'weighted-round-robin':
      return vscode.l10n.t('weighted round-robin');
    case 'least-busy':
      return vscode.l10n.t('least busy');
    case 'lowest-latency':
      return vscode.l10n.t('lowest latency');
    case 'lowest-cost':
      return vscode.l10n.t('lowest cost');
  }
}

/** The "Route Groups" section under the providers. */
export function routeGroupsRoot(session: StoreSession): RouteGroupNode {
  return { kind: 'routeGroups', count: session.routeGroups.list().length };
}

export function routeGroupChildren(session: StoreSession, node: RouteGroupNode): RouteGroupNode[] {
  if (node.kind === 'routeGroups') return session.routeGroups.list().map((group) => ({ kind: 'routeGroup', group, settings: session.routeGroups.resolve(group.id)?.settings }));
  if (node.kind !== 'routeGroup') return [];
  const { group } = node;
  return memberStatuses(session, group).map((m, index) => ({
    kind: 'routeMember',
    group,
    index,
    name: m.name ?? vscode.l10n.t('(deleted configuration)'),
    model: m.model,
    weight: m.weight,
    state: m.state,
    why: m.why,
  }));
}

export function routeGroupItem(node: RouteGroupNode): vscode.TreeItem {
  switch (node.kind) {
    case 'routeGroups': {
      const item = new vscode.TreeItem(vscode.l10n.t('Route Groups'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'routeGroups';
      item.description = node.count === 0 ? vscode.l10n.t('none yet: + to create one') : String(node.count);
      item.contextValue = 'routeGroups';
      item.iconPath = new vscode.ThemeIcon('git-merge');
      item.tooltip = vscode.l10n.t('A route group is a virtual model: requests go to its member configurations by the group\'s strategy, with fallback and cooldown.');
      return item;
    }
    case 'routeGroup': {
      const { group } = node;
      const item = new vscode.TreeItem(group.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `routeGroup:${group.id}`;
      item.description = `${strategyLabel(group.strategy)} · ${memberCount(group.members.length)}`;
      item.contextValue = 'routeGroup';
      item.iconPath = new vscode.ThemeIcon('symbol-interface');
      if (node.settings) item.tooltip = groupTooltip(group, node.settings);
      item.command = { command: 'modelManager.editRouteGroup', title: vscode.l10n.t('Edit Route Group'), arguments: [{ kind: 'routeGroup', group }] };
      return item;
    }
    case 'routeMember': {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
      item.id = `routeMember:${node.group.id}:${String(node.index)}`;
      const order = node.group.strategy === 'fallback' ? `${String(node.index + 1)}. ` : '';
      const weight = node.group.strategy === 'weighted-round-robin' ? ` · ${vscode.l10n.t('weight {0}', node.weight)}` : '';
      item.label = `${order}${node.name}`;
      item.description = `${node.model}${weight} · ${stateLabel(node.state)}`;
      item.contextValue = `routeMember:${node.state}`;
      item.iconPath = stateIcon(node.state);
      item.tooltip = node.why ?? stateLabel(node.state);
      item.accessibilityInformation = { label: `${node.name}, ${node.model}, ${stateLabel(node.state)}` };
      return item;
    }
  }
}

function stateLabel(state: MemberState): string {
  switch (state) {
    case 'healthy':
      return vscode.l10n.t('healthy');
    case 'cooling-down':
      return vscode.l10n.t('cooling down');
    case 'probing':
      return vscode.l10n.t('probing after cooldown');
    case 'paused':
      return vscode.l10n.t('paused by budget');
    case 'disabled':
      return vscode.l10n.t('configuration disabled');
    case 'missing':
      return vscode.l10n.t('configuration deleted');
    case 'key-locked':
      return vscode.l10n.t('key cannot be opened');
    case 'unreachable':
      return vscode.l10n.t('unreachable');
    case 'failed':
      return vscode.l10n.t('last test failed');
  }
}

function stateIcon(state: MemberState): vscode.ThemeIcon {
  switch (state) {
    case 'healthy':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'cooling-down':
      return new vscode.ThemeIcon('watch', new vscode.ThemeColor('testing.iconQueued'));
    case 'probing':
      return new vscode.ThemeIcon('pulse', new vscode.ThemeColor('testing.iconQueued'));
    case 'paused':
      return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('testing.iconQueued'));
    case 'disabled':
    case 'missing':
      return new vscode.ThemeIcon('circle-slash');
    case 'key-locked':
    case 'unreachable':
    case 'failed':
      // The same icon the configuration has in the tree.
      return configurationIcon(state);
  }
}

function groupTooltip(group: RouteGroup, s: ResolvedSettings): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.appendText(`${group.name} — ${strategyLabel(group.strategy)}\n\n`);
  md.appendText(vscode.l10n.t('Falls back on key errors: {0}', s.fallbackOnAuthError ? vscode.l10n.t('yes') : vscode.l10n.t('no')) + '\n\n');
  md.appendText(vscode.l10n.t('Restarts a started answer elsewhere (with a notice): {0}', s.restartStreamsWithNotice ? vscode.l10n.t('yes') : vscode.l10n.t('no')) + '\n\n');
  md.appendText(vscode.l10n.t('Cooldown: {0} failures in {1} s → out for {2} s', s.cooldownFailures, s.cooldownWindowSeconds, s.cooldownSeconds));
  return md;
}

import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import type { RouteGroup } from '../../core/store';
import { excerpt, phrase } from '../../core/text';
import { CHANGE_BUDGET_COMMAND, changeBudgetLabel } from '../budgetStop';
import { pickOne, showMessage } from '../promptSeam';
import { askForEdit, askForNewGroup } from '../routeGroupPrompts';
import { testRouteGroup, type RouteGroupTestResult } from '../../core/routing/routeGroupTest';
import type { StoreSession } from '../../core/session';
import { abortOn, sessionHandler } from './sessionCommand';
import { countOf } from '../../protocol/counts';

/** A tree node, a group id, `{ id }`, or nothing (then the user picks). */
type GroupArgument = { readonly kind: string; readonly group?: RouteGroup } | string | { readonly id: string } | undefined;

/** Create, edit, delete and test route groups from the palette and the tree. */
export function registerRouteGroupCommands(host: HostContext): vscode.Disposable[] {
  const { tree, log } = host;
  const run = <A extends unknown[], R>(body: (session: StoreSession, ...args: A) => Promise<R>) => sessionHandler(host, body);

  return [
    // Like the configuration commands: a group node or id at most, everything else asked of the user.
    vscode.commands.registerCommand('modelManager.createRouteGroup', run(async (session) => {
      const value = await askForNewGroup(session.routeGroups, session.configurations);
      if (!value) return undefined;
      const created = await session.routeGroups.create(value);
      void offerTest(created);
      return created;
    })),

    vscode.commands.registerCommand('modelManager.editRouteGroup', run(async (session, arg?: GroupArgument) => {
      const group = await resolveGroup(session, arg, vscode.l10n.t('Which route group do you want to edit?'));
      if (!group) return undefined;
      const change = await askForEdit(session.routeGroups, session.configurations, group);
      if (!change) return undefined;
      return session.routeGroups.update(group.id, change);
    })),

    vscode.commands.registerCommand('modelManager.deleteRouteGroup', run(async (session, arg?: GroupArgument) => {
      const group = await resolveGroup(session, arg, vscode.l10n.t('Which route group do you want to delete?'));
      if (!group) return false;
      const remove = vscode.l10n.t('Delete');
      const confirmed = (await showMessage(
        'warning',
        vscode.l10n.t('Delete the route group "{0}"?', group.name),
        { modal: true, detail: vscode.l10n.t('Its member configurations stay as they are; its usage history is kept.') },
        remove,
      )) === remove;
      if (!confirmed) return false;
      await session.routeGroups.delete(group.id);
      return true;
    })),

    vscode.commands.registerCommand('modelManager.testRouteGroup', run(async (session, arg?: GroupArgument) => {
      const group = await resolveGroup(session, arg, vscode.l10n.t('Which route group do you want to test?'));
      if (!group) return undefined;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sending a short chat through "{0}"…', group.name), cancellable: true },
        (_progress, token) => testRouteGroup(session, group.id, abortOn(token)),
      );
      tree.refresh();
      for (const notice of result.notices) log.info(`Route group "${group.name}": ${notice.kind} ${notice.member.name} (${notice.member.model}), attempt ${String(notice.attempt)}: ${notice.reason}`);
      report(group.name, result, log);
      return result;
    })),
  ];
}

function report(name: string, result: RouteGroupTestResult, log: vscode.LogOutputChannel): void {
  const last = result.notices.at(-1);
  if (result.ok && last) {
    // Each notice is one member tried; retries within a member are not members, so they are not counted here.
    const others = result.notices.length - 1;
    const moved = others > 0 ? vscode.l10n.t(' after {0} could not', countOf(others, 'other member')) : '';
    const reply = excerpt(result.text);
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}": {1} ({2}) answered{3}. Why: {4}. Reply: "{5}"', name, last.member.name, last.member.model, moved, phrase(last.reason), reply));
    return;
  }
  if (result.errorKind === 'budget') {
    // Nothing was sent: the budget's message says which budget and when it resets; the action opens the budgets.
    const change = changeBudgetLabel();
    void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" could not answer: {1}', name, result.error ?? ''), change).then((choice) => {
      if (choice === change) void vscode.commands.executeCommand(CHANGE_BUDGET_COMMAND);
    });
    return;
  }
  const logs = vscode.l10n.t('Show Logs');
  void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" could not answer: {1}', name, result.error ?? ''), logs).then((choice) => {
    if (choice === logs) log.show(true);
  });
}

/** The stored group a node or id names (only the id is taken from the argument), or the user's pick when none is named. */
async function resolveGroup(session: StoreSession, arg: unknown, placeHolder: string): Promise<RouteGroup | undefined> {
  const id = groupIdOf(arg);
  if (id !== undefined) {
    const found = session.routeGroups.list().find((g) => g.id === id);
    if (!found) void vscode.window.showWarningMessage(vscode.l10n.t('That route group no longer exists (it may have been deleted in another window).'));
    return found;
  }
  const groups = session.routeGroups.list();
  if (groups.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no route group yet. Create one with "Model Manager: Create Route Group".'));
    return undefined;
  }
  const picked = await pickOne(groups.map((g) => ({ label: g.name, description: `${g.strategy} · ${String(g.members.length)}`, group: g })), { placeHolder });
  return picked?.group;
}

function groupIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return undefined;
  const node = arg as { kind?: unknown; group?: { id?: unknown } | null; id?: unknown };
  if (node.kind !== undefined) return typeof node.group?.id === 'string' ? node.group.id : undefined;
  return typeof node.id === 'string' ? node.id : undefined;
}

async function offerTest(created: RouteGroup): Promise<void> {
  const test = vscode.l10n.t('Test Route Group');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Created the route group "{0}".', created.name), test);
  if (choice === test) await vscode.commands.executeCommand('modelManager.testRouteGroup', created.id);
}

import * as vscode from 'vscode';
import { configurationStates, type ConfigurationState } from '../core/services/configurationState';
import type { ServiceHost } from './ServiceHost';
import { stateText } from './views/configurationStateItems';

const LAST_ACTIVE = 'modelManager.lastActive';

interface Shown {
  readonly name: string;
  readonly model: string;
  /** The state the tree and the editor show for it; absent in what an older version kept. */
  readonly state?: ConfigurationState;
}

/** The status bar's icon: the sparkle while the active configuration is usable, else the tree's sign for what is wrong. */
const icons: Readonly<Record<ConfigurationState, string>> = {
  'key-locked': '$(lock)',
  unreachable: '$(debug-disconnect)',
  failed: '$(error)',
  passed: '$(sparkle)',
  untested: '$(sparkle)',
};

/**
 * The active configuration and model in the status bar; a click switches. At startup it shows what was active
 * last time (kept in global state) so the store need not open just to paint the status bar.
 */
export function createStatusBar(context: vscode.ExtensionContext, services: ServiceHost): { dispose(): unknown }[] {
  const item = vscode.window.createStatusBarItem('modelManager.active', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('Model Manager: active model');
  item.command = 'modelManager.selectActiveModel';
  const show = (active: Shown | undefined): void => {
    const state = active?.state ?? 'untested';
    item.text = active ? `${icons[state]} ${active.name} · ${active.model}` : `$(sparkle) ${vscode.l10n.t('No model')}`;
    item.tooltip = active
      ? vscode.l10n.t('Model Manager: "{0}" ({1}) is active: {2}. Click to switch.', active.name, active.model, stateText(state))
      : vscode.l10n.t('Model Manager: no active model. Click to choose one.');
    item.backgroundColor = state === 'key-locked' || state === 'unreachable' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  show(context.globalState.get<Shown>(LAST_ACTIVE));

  const update = (): void => {
    const session = services.current;
    if (!session) return;
    const active = session.configurations.getActiveConfiguration();
    const state = active ? configurationStates(session.configurations.listConfigurations(), session.keys, session.health.summary()).get(active.id) : undefined;
    const shown = active ? { name: active.name, model: active.model, ...(state ? { state } : {}) } : undefined;
    show(shown);
    void context.globalState.update(LAST_ACTIVE, shown);
  };
  return [
    item,
    services.onSession((session, scope) => {
      scope.add(session.configurations.onDidChange(update));
      scope.add(session.health.onDidChange(update));
      update();
    }),
  ];
}

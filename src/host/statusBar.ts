import * as vscode from 'vscode';
import type { ServiceHost } from './ServiceHost';

const LAST_ACTIVE = 'modelManager.lastActive';

/**
 * The active configuration and model in the status bar; a click switches. At startup it shows what was active
 * last time (kept in global state) so the store need not open just to paint the status bar.
 */
export function createStatusBar(context: vscode.ExtensionContext, services: ServiceHost): { dispose(): unknown }[] {
  const item = vscode.window.createStatusBarItem('modelManager.active', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('Model Manager: active model');
  item.command = 'modelManager.selectActiveModel';
  const show = (active: { name: string; model: string } | undefined): void => {
    item.text = active ? `$(sparkle) ${active.name} · ${active.model}` : `$(sparkle) ${vscode.l10n.t('No model')}`;
    item.tooltip = active
      ? vscode.l10n.t('Model Manager: "{0}" ({1}) is active. Click to switch.', active.name, active.model)
      : vscode.l10n.t('Model Manager: no active model. Click to choose one.');
    item.show();
  };
  show(context.globalState.get<{ name: string; model: string }>(LAST_ACTIVE));

  const update = (): void => {
    const session = services.current;
    if (!session) return;
    const active = session.configurations.getActiveConfiguration();
    const shown = active ? { name: active.name, model: active.model } : undefined;
    show(shown);
    void context.globalState.update(LAST_ACTIVE, shown);
  };
  return [
    item,
    services.onSession((session, scope) => {
      scope.add(session.configurations.onDidChange(update));
      update();
    }),
  ];
}

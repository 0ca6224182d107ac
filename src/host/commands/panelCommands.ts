import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import type { PanelDependencies, PanelScreen, PanelState } from '../panel/ModelManagerPanel';
import type { ServiceHost } from '../ServiceHost';

export interface PanelCommandDependencies {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly services: ServiceHost;
}

/** Open Model Manager (the panel), Show Logs, and the serializer that restores the panel after a reload. */
export function registerCommands(host: HostContext): vscode.Disposable[] {
  const deps: PanelCommandDependencies = { extensionUri: host.extension.extensionUri, log: host.log, services: host.services };
  const panelDeps: PanelDependencies = { ...deps, templates: async () => (await import('../lazyCore')).seededTemplates(await deps.services.open()) };
  // Loaded on first use: the panel pulls in the protocol schemas, which activation does not need.
  const panel = () => import('../panel/ModelManagerPanel');
  return [
    vscode.commands.registerCommand('modelManager.open', async (screen?: PanelScreen): Promise<PanelState> => {
      const { ModelManagerPanel } = await panel();
      return ModelManagerPanel.show(panelDeps, screen === 'add' || screen === 'usage' ? screen : 'list');
    }),
    vscode.commands.registerCommand('modelManager.openUsageDashboard', async (): Promise<PanelState> => {
      const { ModelManagerPanel } = await panel();
      return ModelManagerPanel.show(panelDeps, 'usage');
    }),
    vscode.commands.registerCommand('modelManager.showLogs', (): void => {
      deps.log.show(true);
    }),
    vscode.window.registerWebviewPanelSerializer('modelManager.panel', {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel): Promise<void> {
        const { ModelManagerPanel } = await panel();
        ModelManagerPanel.revive(webviewPanel, panelDeps);
      },
    }),
  ];
}

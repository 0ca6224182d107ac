import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import type { PanelDependencies, PanelScreen, PanelState } from '../panel/ModelManagerPanel';
import { editorPage } from '../webview/pages';
import { registerWebviewCommands, type WebviewDefinition } from '../webview/registration';

function panelDependencies(host: HostContext): PanelDependencies {
  const { services } = host;
  return { extensionUri: host.extension.extensionUri, log: host.log, services, templates: async () => (await import('../lazyCore')).seededTemplates(await services.open()) };
}

// Loaded on first use: the panel pulls in the protocol schemas, which activation does not need.
const panel = () => import('../panel/ModelManagerPanel');

/** The Model Manager editor: Open Model Manager, Open Usage Dashboard, and its restoration after a reload. */
export const editorWebview: WebviewDefinition = {
  viewType: editorPage.viewType,
  commands: {
    'modelManager.open': async (host, screen): Promise<PanelState> => {
      const { ModelManagerPanel } = await panel();
      return ModelManagerPanel.show(panelDependencies(host), screen === 'add' || screen === 'usage' ? (screen satisfies PanelScreen) : 'list');
    },
    'modelManager.openUsageDashboard': async (host): Promise<PanelState> => {
      const { ModelManagerPanel } = await panel();
      return ModelManagerPanel.show(panelDependencies(host), 'usage');
    },
  },
  revive: async (host, webviewPanel) => {
    const { ModelManagerPanel } = await panel();
    ModelManagerPanel.revive(webviewPanel, panelDependencies(host));
  },
};

/** The Model Manager editor's commands and Show Logs. */
export function registerCommands(host: HostContext): vscode.Disposable[] {
  return [
    ...registerWebviewCommands(host, editorWebview),
    vscode.commands.registerCommand('modelManager.showLogs', (): void => {
      host.log.show(true);
    }),
  ];
}

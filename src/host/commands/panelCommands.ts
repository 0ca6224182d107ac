import * as vscode from 'vscode';
import type { PanelState } from '../panel/ModelManagerPanel';

export interface CommandDependencies {
  readonly extensionUri: vscode.Uri;
  readonly extensionVersion: string;
  readonly log: vscode.LogOutputChannel;
}

/** Registers the palette commands. Each returns what it did, so tests and other commands can chain on it. */
export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('modelManager.open', async (): Promise<PanelState> => {
      // Loaded on first use: the panel pulls in the protocol schemas, which activation does not need.
      const { ModelManagerPanel } = await import('../panel/ModelManagerPanel');
      return ModelManagerPanel.show(deps);
    }),
    vscode.commands.registerCommand('modelManager.showLogs', (): void => {
      deps.log.show(true);
    }),
  ];
}

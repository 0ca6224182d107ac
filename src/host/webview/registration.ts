import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';

/**
 * A webview as VS Code meets it: the commands that show it and how it comes back after a window reload. The
 * serializer is registered at activation; the commands with the others, loaded on first call.
 */
export interface WebviewDefinition {
  readonly viewType: string;
  readonly commands: Readonly<Record<string, (host: HostContext, ...args: unknown[]) => unknown>>;
  /** Brings back a panel VS Code kept across a reload, with the state its page saved (unvalidated). */
  readonly revive: (host: HostContext, panel: vscode.WebviewPanel, state: unknown) => Promise<void>;
}

/** The serializer VS Code calls for a view type after a window reload; the definition loads with the commands. */
export function webviewSerializer(host: HostContext, definition: () => Promise<WebviewDefinition>): vscode.WebviewPanelSerializer {
  return {
    deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
      await (await definition()).revive(host, panel, state);
    },
  };
}

/** The serializer of one webview, registered at activation so a panel kept across a reload comes back. */
export function registerWebviewSerializer(host: HostContext, viewType: string, definition: () => Promise<WebviewDefinition>): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, webviewSerializer(host, definition));
}

/** The commands that show one webview. */
export function registerWebviewCommands(host: HostContext, definition: WebviewDefinition): vscode.Disposable[] {
  return Object.entries(definition.commands).map(([command, run]) => vscode.commands.registerCommand(command, (...args: unknown[]) => run(host, ...args)));
}

import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';

/**
 * A webview as VS Code meets it: the commands that show it and how it comes back after a window reload, registered
 * together by registerWebview. Each loads the panel's code only when called.
 */
export interface WebviewDefinition {
  readonly viewType: string;
  readonly commands: Readonly<Record<string, (host: HostContext, ...args: unknown[]) => unknown>>;
  /** Brings back a panel VS Code kept across a reload, with the state its page saved (unvalidated). */
  readonly revive: (host: HostContext, panel: vscode.WebviewPanel, state: unknown) => Promise<void>;
}

/** The serializer VS Code calls for the definition's view type after a window reload. */
export function webviewSerializer(host: HostContext, definition: WebviewDefinition): vscode.WebviewPanelSerializer {
  return {
    deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: unknown) => definition.revive(host, panel, state),
  };
}

/** One registration per webview: its commands and its serializer. */
export function registerWebview(host: HostContext, definition: WebviewDefinition): vscode.Disposable[] {
  return [
    ...Object.entries(definition.commands).map(([command, run]) => vscode.commands.registerCommand(command, (...args: unknown[]) => run(host, ...args))),
    vscode.window.registerWebviewPanelSerializer(definition.viewType, webviewSerializer(host, definition)),
  ];
}

import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { ConfigurationsTreeProvider } from './host/configurationsView';
import { createLog } from './host/log';

/** The composition root: builds each service once and wires it to VS Code. Heavy modules load on first use. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = createLog();
  const { version: extensionVersion } = context.extension.packageJSON as { version: string };
  const configurations = new ConfigurationsTreeProvider();

  context.subscriptions.push(
    log,
    configurations,
    vscode.window.registerTreeDataProvider('modelManager.configurations', configurations),
    ...registerCommands({ extensionUri: context.extensionUri, extensionVersion, log }),
  );
  log.info(`Model Manager ${extensionVersion} activated in ${(performance.now() - started).toFixed(2)} ms`);
}

export function deactivate(): void {
  // Nothing to flush yet: every registration is disposed through context.subscriptions.
}

import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { ConfigurationsTreeProvider } from './host/configurationsView';
import { registerKeyCommands } from './host/keyCommands';
import { createLog } from './host/log';
import { StoreHost } from './host/StoreHost';

/** What integration tests may reach inside the extension; returned only when VS Code runs it under test. */
export interface ModelManagerTestApi {
  readonly stores: StoreHost;
  readonly secrets: vscode.SecretStorage;
}

let stores: StoreHost | undefined;

/** The composition root: builds each service once and wires it to VS Code. Heavy modules load on first use. */
export function activate(context: vscode.ExtensionContext): ModelManagerTestApi | undefined {
  const started = performance.now();
  const log = createLog();
  const { version: extensionVersion } = context.extension.packageJSON as { version: string };
  stores = new StoreHost(context, log);
  const configurations = new ConfigurationsTreeProvider(stores, log);
  const configurationsView = vscode.window.createTreeView('modelManager.configurations', {
    treeDataProvider: configurations,
    showCollapseAll: false,
  });

  context.subscriptions.push(
    log,
    stores,
    configurations,
    configurationsView,
    stores.onDidChangeKeyState((state) => {
      configurationsView.message = state.kind === 'keys-need-reentry'
        ? vscode.l10n.t('Stored API keys cannot be opened on this machine. Run "Model Manager: Start Over with a New Master Key" or restore your keychain.')
        : '';
      configurations.refresh();
    }),
    ...registerCommands({ extensionUri: context.extensionUri, extensionVersion, log }),
    ...registerKeyCommands(stores),
  );
  log.info(`Model Manager ${extensionVersion} activated in ${(performance.now() - started).toFixed(2)} ms`);
  return context.extensionMode === vscode.ExtensionMode.Test ? { stores, secrets: context.secrets } : undefined;
}

/** Saves buffered usage rows and releases the database before the host goes away. */
export async function deactivate(): Promise<void> {
  await stores?.close();
  stores = undefined;
}

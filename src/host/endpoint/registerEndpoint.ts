import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import { EndpointController } from './EndpointController';
import { createEndpointStatusBar } from './endpointStatusBar';

/**
 * The local endpoint's controller, status bar item and tree section; starts it when the setting asks. Its commands
 * load with the others on first call (registerEndpointCommands).
 */
export function registerEndpoint(host: HostContext): { readonly controller: EndpointController; readonly disposables: { dispose(): unknown }[] } {
  const controller = new EndpointController(host);
  const disposables = [controller, ...createEndpointStatusBar(controller)];
  host.tree.showEndpoint(controller);
  if (vscode.workspace.getConfiguration('modelManager.endpoint').get<boolean>('startWithVSCode', false)) {
    void controller.start().catch((error: unknown) => {
      host.log.error(`The local endpoint did not start with VS Code: ${error instanceof Error ? error.message : String(error)}`);
    });
  } else {
    // Another window may be serving it already: show so, and take over when that window closes.
    void controller.look();
  }
  return { controller, disposables };
}

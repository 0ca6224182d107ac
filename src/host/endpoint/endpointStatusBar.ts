import * as vscode from 'vscode';
import type { EndpointController } from './EndpointController';

/** The endpoint's address in the status bar while some window serves it; hidden while it is stopped. */
export function createEndpointStatusBar(endpoint: EndpointController): { dispose(): unknown }[] {
  const item = vscode.window.createStatusBarItem('modelManager.endpoint', vscode.StatusBarAlignment.Right, 99);
  item.name = vscode.l10n.t('Model Manager: local endpoint');
  item.command = 'modelManager.copyEndpointSetup';
  const update = (): void => {
    const { holder, servingHere } = endpoint.status;
    if (!holder) {
      item.hide();
      return;
    }
    item.text = `$(broadcast) ${holder.url.replace(/^http:\/\//, '')}`;
    item.tooltip = servingHere
      ? vscode.l10n.t('Model Manager\'s local endpoint is serving at {0} from this window. Click for the lines for a terminal.', holder.url)
      : vscode.l10n.t('Model Manager\'s local endpoint is serving at {0} from the window "{1}". Click for the lines for a terminal.', holder.url, holder.window);
    item.show();
  };
  update();
  return [item, endpoint.onDidChange(update)];
}


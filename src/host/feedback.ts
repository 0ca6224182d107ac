import * as vscode from 'vscode';
import { ProviderError } from '../core/providers';
import { ConfigurationError } from '../core/services';

/** Shows a failure as a notification the user can act on; never a stack trace, never a key. */
export async function showError(error: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  log.error(message);
  if (error instanceof ConfigurationError) {
    if (error.kind === 'keys-need-reentry') {
      const startOver = vscode.l10n.t('Start Over…');
      if ((await vscode.window.showErrorMessage(message, startOver)) === startOver) {
        await vscode.commands.executeCommand('modelManager.startOverWithNewSecret');
      }
      return;
    }
    if (error.kind === 'rate-limited' || error.kind === 'validation' || error.kind === 'duplicate-name') {
      void vscode.window.showWarningMessage(message);
      return;
    }
    void vscode.window.showErrorMessage(message);
    return;
  }
  if (error instanceof ProviderError) {
    void vscode.window.showErrorMessage(`${message} ${error.hint}`.trim());
    return;
  }
  const logs = vscode.l10n.t('Show Logs');
  if ((await vscode.window.showErrorMessage(vscode.l10n.t('Model Manager: {0}', message), logs)) === logs) log.show(true);
}

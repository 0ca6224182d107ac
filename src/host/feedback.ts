import * as vscode from 'vscode';
import type { ProviderError } from '../core/providers';
import type { ConfigurationError } from '../core/services';
import { offerBudgetChange } from './budgetStop';

// Checked by name, not instanceof: importing the classes here would load the core (and undici) at activation.
function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof Error && error.name === 'ConfigurationError';
}

function isProviderError(error: unknown): error is ProviderError {
  return error instanceof Error && error.name === 'ProviderError';
}

/** Shows a failure as a notification the user can act on; never a stack trace, never a key. */
export async function showError(error: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  log.error(message);
  if (isConfigurationError(error)) {
    if (error.kind === 'keys-need-reentry') {
      const startOver = vscode.l10n.t('Start Over…');
      if ((await vscode.window.showErrorMessage(message, startOver)) === startOver) {
        await vscode.commands.executeCommand('modelManager.startOverWithNewSecret');
      }
      return;
    }
    if (error.kind === 'budget') {
      void offerBudgetChange(message);
      return;
    }
    if (error.kind === 'rate-limited' || error.kind === 'validation' || error.kind === 'duplicate-name') {
      void vscode.window.showWarningMessage(message);
      return;
    }
    void vscode.window.showErrorMessage(message);
    return;
  }
  if (isProviderError(error)) {
    void vscode.window.showErrorMessage(`${message} ${error.hint}`.trim());
    return;
  }
  const logs = vscode.l10n.t('Show Logs');
  if ((await vscode.window.showErrorMessage(vscode.l10n.t('Model Manager: {0}', message), logs)) === logs) log.show(true);
}

import * as vscode from 'vscode';
import type { ProviderError } from '../core/providers';
import type { ConfigurationError } from '../core/services';
import { keyNoticeGate } from '../core/noticeGate';
import { showMessage } from './promptSeam';
import { offerBudgetChange } from './budgetStop';
import { errorMessage, isErrorNamed } from '../core/errors';

// Checked by name, not instanceof: importing the classes here would load the core (and undici) at activation.
function isConfigurationError(error: unknown): error is ConfigurationError {
  return isErrorNamed(error, 'ConfigurationError');
}

function isProviderError(error: unknown): error is ProviderError {
  return isErrorNamed(error, 'ProviderError');
}

/** Whether a failure comes from stored keys that cannot be opened, whichever layer let it through. */
export function needsKeyReentry(error: unknown): boolean {
  if (isConfigurationError(error)) return error.kind === 'keys-need-reentry';
  return isErrorNamed(error, 'KeysNeedReentryError');
}

/** The one way out of "keys need re-entry", offered wherever that state stops an action. */
export async function offerStartOver(message: string): Promise<void> {
  const startOver = vscode.l10n.t('Start Over…');
  if ((await keyNoticeGate().show(() => showMessage('error', message, {}, startOver))) === startOver) {
    await vscode.commands.executeCommand('modelManager.startOverWithNewSecret');
  }
}

/** Shows a failure as a notification the user can act on; never a stack trace, never a key. */
export async function showError(error: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const message = errorMessage(error);
  log.error(message);
  if (needsKeyReentry(error)) {
    await offerStartOver(message);
    return;
  }
  if (isConfigurationError(error)) {
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
  if ((await showMessage('error', vscode.l10n.t('Model Manager: {0}', message), {}, logs)) === logs) log.show(true);
}

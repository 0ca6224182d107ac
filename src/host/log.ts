import * as vscode from 'vscode';

/** The extension's one diagnostics channel. Never pass it a key or a request body. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(vscode.l10n.t('Model Manager'), { log: true });
}

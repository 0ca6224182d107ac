import * as vscode from 'vscode';
import type { KeyState } from '../core/crypto';
import type { StoreHost } from './StoreHost';

/** "Start over with a new secret": the only way a new master secret replaces one that sealed stored keys. */
export function registerKeyCommands(stores: StoreHost): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('modelManager.startOverWithNewSecret', async (options?: { confirmed?: boolean }): Promise<KeyState | undefined> => {
      const state = (await stores.open()).encryption.keyState;
      if (state.kind === 'ready') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Your stored API keys can be opened; there is nothing to start over.'));
        return state;
      }
      const startOver = vscode.l10n.t('Start Over');
      const confirmed = options?.confirmed === true || (await vscode.window.showWarningMessage(
        vscode.l10n.t('Start over with a new master key?'),
        {
          modal: true,
          detail: vscode.l10n.t(
            'Your {0} configuration(s) are kept, but the API keys stored in them cannot be opened any more and must be entered again. If you can restore this machine\'s keychain instead, cancel and do that.',
            state.sealedKeyCount,
          ),
        },
        startOver,
      )) === startOver;
      if (!confirmed) return state;
      return stores.startOverWithNewSecret();
    }),
  ];
}

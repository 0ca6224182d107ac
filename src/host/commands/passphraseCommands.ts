import * as vscode from 'vscode';
import { sessionCommand } from './sessionCommand';
import type { HostContext } from '../hostContext';
import type { KeyState } from '../../core/crypto';
import { showMessage } from '../promptSeam';
import type { StoreSession } from '../../core/session';
import { countOf } from '../../protocol/counts';

/** The modal's detail when starting over: every configuration is counted, and the keys that will need re-entry. */
export function startOverDetail(session: StoreSession): string {
  const configurations = session.configurations.listConfigurations().length;
  const keys = session.encryption.countSealedKeys();
  return vscode.l10n.t(
    'Your {0} kept, but {1} stored in them cannot be opened any more and must be entered again. If you can restore this machine\'s keychain instead, cancel and do that.',
    configurations === 1 ? vscode.l10n.t('1 configuration is') : vscode.l10n.t('{0} configurations are', configurations),
    keys === 1 ? vscode.l10n.t('the 1 API key') : vscode.l10n.t('the {0} API keys', keys),
  );
}

/** The master passphrase: the way to keep keys where the keychain cannot (a browser without the key endpoint, Linux without a keyring). */
export function registerPassphraseCommands(host: HostContext): vscode.Disposable[] {
  const { services } = host;
  return [
    sessionCommand(host, 'modelManager.useMasterPassphrase', async (session): Promise<KeyState | undefined> => {
      const state = session.encryption.keyState;
      if (services.usesPassphrase) {
        if (state.kind === 'ready') void vscode.window.showInformationMessage(vscode.l10n.t('Your stored API keys are already protected by a master passphrase.'));
        else await vscode.commands.executeCommand('modelManager.enterMasterPassphrase');
        return services.current?.encryption.keyState;
      }
      const startOver = state.kind === 'keys-need-reentry';
      if (startOver) {
        const confirm = vscode.l10n.t('Start Over with a Passphrase');
        const answer = await showMessage('warning', vscode.l10n.t('Start over with a new master key protected by a master passphrase?'), { modal: true, detail: startOverDetail(session) }, confirm);
        if (answer !== confirm) return state;
      }
      if (!(await services.adoptPassphrase({ startOver }))) return state;
      void vscode.window.showInformationMessage(vscode.l10n.t('Your stored API keys are now protected by your master passphrase instead of the keychain. It is asked once per window; it is not stored and cannot be recovered.'));
      return services.current?.encryption.keyState;
    }),
    sessionCommand(host, 'modelManager.enterMasterPassphrase', async (): Promise<KeyState | undefined> => {
      if (!services.usesPassphrase) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Your stored API keys are kept in the keychain, not under a master passphrase.'));
        return services.current?.encryption.keyState;
      }
      const state = await services.unlockWithPassphrase();
      if (state.kind === 'ready') {
        const count = services.current?.encryption.countSealedKeys() ?? 0;
        void vscode.window.showInformationMessage(vscode.l10n.t('The master passphrase opened your {0}.', countOf(count, 'stored API key')));
      }
      return state;
    }),
  ];
}

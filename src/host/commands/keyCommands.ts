import * as vscode from 'vscode';
import type { KeyState } from '../../core/crypto';
import { showError } from '../feedback';
import { ask, checks, resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { startOverDetail } from './passphraseCommands';
import type { ServiceHost } from '../ServiceHost';

/** "Start over with a new secret": the only way a new master secret replaces one that sealed stored keys. */
export function registerKeyCommands(stores: ServiceHost): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('modelManager.startOverWithNewSecret', async (options?: { confirmed?: boolean }): Promise<KeyState | undefined> => {
      const session = await stores.open();
      const state = session.encryption.keyState;
      if (state.kind === 'keys-need-reentry' && state.reason === 'passphrase-needed') {
        // Locked, not lost: the passphrase opens them, starting over is not needed.
        return vscode.commands.executeCommand<KeyState | undefined>('modelManager.enterMasterPassphrase');
      }
      if (state.kind === 'ready') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Your stored API keys can be opened; there is nothing to start over.'));
        return state;
      }
      const startOver = vscode.l10n.t('Start Over');
      const confirmed = options?.confirmed === true || (await vscode.window.showWarningMessage(
        vscode.l10n.t('Start over with a new master key?'),
        {
          modal: true,
          detail: startOverDetail(session),
        },
        startOver,
      )) === startOver;
      if (!confirmed) return state;
      return stores.startOverWithNewSecret();
    }),
  ];
}

/** Rotate API Key: enter a replacement, or re-seal the stored key under a fresh IV and key version. */
export function registerRotateCommand(services: ServiceHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('modelManager.rotateApiKey', async (arg?: ConfigurationArgument, options?: { newApiKey?: string }) => {
    try {
      const session = await services.open();
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Whose API key do you want to rotate?'));
      if (!configuration) return undefined;
      let newApiKey = typeof options?.newApiKey === 'string' ? options.newApiKey : undefined;
      if (!options || Array.isArray(options)) {
        const key = session.configurations.describeApiKey(configuration.id);
        const replace = { label: vscode.l10n.t('Enter a new key'), detail: vscode.l10n.t('After you revoke or regenerate the key at the provider.'), replace: true };
        const reseal = { label: vscode.l10n.t('Re-seal the stored key'), detail: vscode.l10n.t('Same key, encrypted again under a fresh key version.'), replace: false };
        const picked = await vscode.window.showQuickPick(key.set && key.readable ? [replace, reseal] : [replace], {
          title: vscode.l10n.t('Rotate the API key of "{0}"', configuration.name),
          placeHolder: key.set ? (key.readable ? vscode.l10n.t('The stored key ends in …{0}', key.lastFour ?? '') : vscode.l10n.t('The stored key cannot be opened: enter it again')) : vscode.l10n.t('No key is stored yet'),
        });
        if (!picked) return undefined;
        if (picked.replace) {
          newApiKey = await ask({ title: vscode.l10n.t('New API key for "{0}"', configuration.name), prompt: vscode.l10n.t('The new API key (stored encrypted)'), password: true, validate: checks.apiKey });
          if (newApiKey === undefined) return undefined;
        }
      }
      const rotated = await session.configurations.rotateApiKey(configuration.id, newApiKey);
      void vscode.window.showInformationMessage(newApiKey === undefined ? vscode.l10n.t('Re-sealed the API key of "{0}".', configuration.name) : vscode.l10n.t('Replaced the API key of "{0}". Test the connection to check it.', configuration.name));
      return rotated;
    } catch (error) {
      await showError(error, log);
      return undefined;
    }
  });
}

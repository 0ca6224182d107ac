import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import type { KeyState } from '../../core/crypto';
import { sessionCommand } from './sessionCommand';
import { ask, checks, resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { pickOne, showMessage } from '../promptSeam';
import type { StoreSession } from '../../core/session';
import { startOverDetail } from './passphraseCommands';
import { countOf } from '../../protocol/counts';

/** "Start over with a new secret": the only way a new master secret replaces one that sealed stored keys. */
export function registerKeyCommands(host: HostContext): vscode.Disposable[] {
  const stores = host.services;
  return [
    sessionCommand(host, 'modelManager.startOverWithNewSecret', async (session): Promise<KeyState | undefined> => {
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
      const confirmed = (await showMessage(
        'warning',
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

/** Rotate API Key: enter a replacement, or re-seal the stored key with a fresh IV under the current key version. */
export function registerRotateCommand(host: HostContext): vscode.Disposable {
  return sessionCommand(host, 'modelManager.rotateApiKey', async (session, arg?: ConfigurationArgument) => {
    const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Whose API key do you want to rotate?'));
    if (!configuration) return undefined;
    const key = session.keys.describeApiKey(configuration.id);
    const replace = { label: vscode.l10n.t('Enter a new key'), detail: vscode.l10n.t('After you revoke or regenerate the key at the provider.'), replace: true };
    const reseal = {
      label: vscode.l10n.t('Re-seal the stored key'),
      detail: vscode.l10n.t('Same key, encrypted again with a fresh random IV under your current key version. "Rotate Encryption Key" moves every key to a new key version.'),
      replace: false,
    };
    const picked = await pickOne(key.set && key.readable ? [replace, reseal] : [replace], {
      title: vscode.l10n.t('Rotate the API key of "{0}"', configuration.name),
      placeHolder: key.set ? (key.readable ? vscode.l10n.t('The stored key ends in …{0}', key.lastFour ?? '') : vscode.l10n.t('The stored key cannot be opened: enter it again')) : vscode.l10n.t('No key is stored yet'),
    });
    if (!picked) return undefined;
    let newApiKey: string | undefined;
    if (picked.replace) {
      newApiKey = await ask({ title: vscode.l10n.t('New API key for "{0}"', configuration.name), prompt: vscode.l10n.t('The new API key (stored encrypted)'), password: true, validate: checks.apiKey });
      if (newApiKey === undefined) return undefined;
    }
    const rotated = await session.keys.rotateApiKey(configuration.id, newApiKey);
    void vscode.window.showInformationMessage(newApiKey === undefined ? vscode.l10n.t('Re-sealed the API key of "{0}".', configuration.name) : vscode.l10n.t('Replaced the API key of "{0}". Test the connection to check it.', configuration.name));
    return rotated;
  });
}

/** Rotate Encryption Key (a new per-user key version) and Rotate Master Key (a new secret in the keychain). */
export function registerKeyRotationCommands(host: HostContext): vscode.Disposable[] {
  const { log } = host;
  /** The session when its keys are ready; otherwise the key state's message, with Start Over… to offer. */
  const ready = (session: StoreSession): StoreSession | undefined => {
    const state = session.encryption.keyState;
    if (state.kind === 'ready') return session;
    const startOver = vscode.l10n.t('Start Over…');
    void showMessage('warning', state.message, {}, startOver).then((choice) => {
      if (choice === startOver) void vscode.commands.executeCommand('modelManager.startOverWithNewSecret');
    });
    return undefined;
  };
  const sealedCount = (session: StoreSession): number => session.keys.sealedKeyCount();
  const nothingToSeal = (session: StoreSession): boolean => {
    if (sealedCount(session) > 0) return false;
    void vscode.window.showInformationMessage(vscode.l10n.t('No API key is stored yet: there is nothing to re-seal.'));
    return true;
  };

  /** A modal question with one action: true when the user chose it. */
  const confirm = async (question: string, detail: string, action: string): Promise<boolean> => (await showMessage('warning', question, { modal: true, detail }, action)) === action;
  /** The session and its sealed-key count once the keys are ready, there is something to re-seal and the user agreed. */
  const agreed = async (opened: StoreSession, question: string, detail: (total: number) => string, action: string): Promise<{ session: StoreSession; total: number } | undefined> => {
    const session = ready(opened);
    if (!session || nothingToSeal(session)) return undefined;
    const total = sealedCount(session);
    return (await confirm(question, detail(total), action)) ? { session, total } : undefined;
  };
  /** The outcome of a rotation, with the keys it had to leave as they were. */
  const tell = (summary: string, unreadable: number): void => {
    if (unreadable === 0) void vscode.window.showInformationMessage(summary);
    else void vscode.window.showWarningMessage(`${summary} ${(unreadable === 1 ? vscode.l10n.t('1 stored key could not be opened and was left as it is: enter it again with "Rotate API Key".') : vscode.l10n.t('{0} stored keys could not be opened and were left as they are: enter them again with "Rotate API Key".', unreadable))}`);
  };

  return [
    sessionCommand(host, 'modelManager.rotateEncryptionKey', async (opened) => {
      const go = await agreed(
        opened,
        vscode.l10n.t('Rotate the encryption key?'),
        (total) => vscode.l10n.t(
          'A new key version is made and each of your {0} is encrypted again under it; older versions are retired once no key uses them. The API keys themselves do not change. If this is interrupted, Model Manager finishes it the next time it opens.',
          countOf(total, 'stored API key'),
        ),
        vscode.l10n.t('Rotate'),
      );
      if (!go) return undefined;
      const { session, total } = go;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Re-sealing API keys under a new key version') },
        (progress) => {
          let reported = 0;
          return session.encryption.rotateUserKey(session.userId, {
            afterBatch: (done) => {
              progress.report({ message: vscode.l10n.t('{0} of {1}', done, total), increment: total === 0 ? 100 : ((done - reported) / total) * 100 });
              reported = done;
            },
          });
        },
      );
      log.info(`Encryption key rotated: ${countOf(result.resealed, 'key')} on version ${String(result.version)}; ${String(result.unreadable.length)} could not be opened.`);
      tell(vscode.l10n.t('Encryption key rotated: {0} on key version {1}.', countOf(result.resealed, 'API key'), result.version), result.unreadable.length);
      return result;
    }),

    sessionCommand(host, 'modelManager.rotateMasterKey', async (opened) => {
      const go = await agreed(
        opened,
        vscode.l10n.t('Replace the master key?'),
        (total) => vscode.l10n.t(
          'A new master key is made in your keychain (VS Code SecretStorage) and each of your {0} is encrypted again under it. The old master key is removed only once every key opens under the new one; if this is interrupted, Model Manager finishes it the next time it opens. Reload other VS Code windows that use Model Manager afterwards.',
          countOf(total, 'stored API key'),
        ),
        vscode.l10n.t('Replace Master Key'),
      );
      if (!go) return undefined;
      const { session, total } = go;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Re-sealing {0} under a new master key', countOf(total, 'API key')) },
        () => session.encryption.rotateMasterSecret(session.userId),
      );
      log.info(`Master key replaced: ${countOf(result.resealed, 'key')} re-sealed; ${String(result.unreadable.length)} could not be opened.`);
      tell(vscode.l10n.t('Master key replaced: {0} re-sealed under the new one, and the old one removed from the keychain.', countOf(result.resealed, 'API key')), result.unreadable.length);
      return result;
    }),
  ];
}

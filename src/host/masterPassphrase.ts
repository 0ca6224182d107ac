import * as vscode from 'vscode';
import { MIN_PASSPHRASE_LENGTH } from '../core/crypto/passphrase';
import { inputBox } from './promptSeam';

/** How the host asks for the master passphrase: input boxes for the user, a fixed answer in tests. */
export interface PassphrasePrompt {
  /** The passphrase that unlocks the stored keys; `wrong` says the previous answer did not. Undefined: cancelled. */
  existing(wrong: boolean): Thenable<string | undefined>;
  /** A new passphrase, typed twice. Undefined: cancelled. */
  fresh(): Thenable<string | undefined>;
}

function problemOf(value: string): string | undefined {
  if (value.trim().length === 0) return vscode.l10n.t('Enter a passphrase.');
  if (Array.from(value).length < MIN_PASSPHRASE_LENGTH) {
    return vscode.l10n.t('Use at least {0} characters (a few unrelated words are easy to remember and hard to guess).', MIN_PASSPHRASE_LENGTH);
  }
  return undefined;
}

const errorOf = (message: string | undefined): vscode.InputBoxValidationMessage | undefined =>
  message ? { message, severity: vscode.InputBoxValidationSeverity.Error } : undefined;

export const inputBoxPassphrasePrompt: PassphrasePrompt = {
  existing: (wrong) =>
    inputBox({
      title: vscode.l10n.t('Model Manager: Master Passphrase'),
      prompt: wrong
        ? vscode.l10n.t('That is not the master passphrase. Try again (Escape leaves the stored API keys locked for this window).')
        : vscode.l10n.t('Your stored API keys are protected by your master passphrase. Enter it to open them in this window.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => errorOf(value.length === 0 ? vscode.l10n.t('Enter a passphrase.') : undefined),
    }),
  fresh: async () => {
    const first = await inputBox({
      title: vscode.l10n.t('Model Manager: New Master Passphrase (1/2)'),
      prompt: vscode.l10n.t('Choose a master passphrase. It protects your stored API keys instead of the keychain and is asked once per window. It is not stored and cannot be recovered.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => errorOf(problemOf(value)),
    });
    if (first === undefined) return undefined;
    const second = await inputBox({
      title: vscode.l10n.t('Model Manager: New Master Passphrase (2/2)'),
      prompt: vscode.l10n.t('Enter the same passphrase again.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => errorOf(value === first ? undefined : vscode.l10n.t('The two passphrases differ.')),
    });
    return second === first ? first : undefined;
  },
};

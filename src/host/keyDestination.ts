import * as vscode from 'vscode';
import { showMessage } from './promptSeam';

/** The server a refusal says the stored key would newly go to (ConfigurationError.details.keyDestination), if it is one. */
export function keyDestinationOf(error: unknown): string | undefined {
  const details = typeof error === 'object' && error !== null ? (error as { details?: { keyDestination?: unknown } }).details : undefined;
  return typeof details?.keyDestination === 'string' ? details.keyDestination : undefined;
}

/**
 * Asks, modal, whether the stored key of `name` may be sent to `server` (the address was changed to another
 * server). Resolves to the button chosen: `send`, `newKey` when offered, or undefined.
 */
export async function askKeyDestination(name: string, server: string, offerNewKey: boolean): Promise<'send' | 'newKey' | undefined> {
  const send = vscode.l10n.t('Send the Stored Key');
  const newKey = vscode.l10n.t('Enter a New Key…');
  const choice = await showMessage(
    'warning',
    vscode.l10n.t('Send the stored key of "{0}" to {1}?', name, server),
    { modal: true, detail: vscode.l10n.t('The key was entered for the server this configuration used until now. Send it to {0} only if that server is meant to receive it; otherwise enter the key for {0}.', server) },
    send,
    ...(offerNewKey ? [newKey] : []),
  );
  return choice === send ? 'send' : choice === newKey ? 'newKey' : undefined;
}

/** The editor page's question (PanelApiDeps.confirmKeyDestination): a yes sends the stored key; a new key is typed in the form. */
export async function confirmKeyDestination(name: string, server: string): Promise<boolean> {
  return (await askKeyDestination(name, server, false)) === 'send';
}

import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { HostContext } from './hostContext';

/** One feature's registration: what it registered, released on deactivate. */
export type Feature = readonly [name: string, register: (host: HostContext) => readonly { dispose(): unknown }[]];

/**
 * Registers each feature in its own try/catch, so one that fails (a command another extension already owns, a
 * proposed API missing) is logged and named to the user, and the others still work. Returns the names that failed.
 */
export function registerFeatures(host: HostContext, features: readonly Feature[]): string[] {
  const failed: string[] = [];
  for (const [name, register] of features) {
    try {
      host.extension.subscriptions.push(...register(host));
    } catch (error) {
      failed.push(name);
      host.log.error(`Could not set up ${name}: ${errorMessage(error)}`);
    }
  }
  if (failed.length > 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Model Manager could not set up {0}; everything else works. See its log for why.', failed.join(', ')));
  }
  return failed;
}

import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { HostContext } from '../hostContext';

/** The ids of the commands package.json contributes: every command Model Manager registers. */
export function contributedCommands(packageJSON: unknown): string[] {
  const commands = (packageJSON as { contributes?: { commands?: unknown } } | undefined)?.contributes?.commands;
  if (!Array.isArray(commands)) return [];
  return commands.flatMap((c: unknown) => {
    const id = (c as { command?: unknown } | null)?.command;
    return typeof id === 'string' ? [id] : [];
  });
}

/**
 * Registers each id with a stand-in, so activation neither parses nor runs the commands' code: the first call of any
 * of them loads the real handlers (`load` resolves to what registers them all), which take the stand-ins' place (VS
 * Code refuses a second registration of an id), and runs the call on them. Calls made while they load wait for them.
 */
export function registerOnFirstCall(host: HostContext, ids: readonly string[], load: () => Promise<() => void>): vscode.Disposable[] {
  let loading: Promise<void> | undefined;
  const loaded = (): Promise<void> =>
    (loading ??= load().then(
      (register) => {
        for (const standIn of standIns) standIn.dispose();
        register();
      },
      (error: unknown) => {
        // The next call tries again; this one tells the user what is wrong.
        loading = undefined;
        host.log.error(`Could not load Model Manager's commands: ${errorMessage(error)}`);
        throw new Error(vscode.l10n.t('Model Manager could not load its commands ({0}). Reload the window; if this persists, reinstall the extension.', errorMessage(error)), { cause: error });
      },
    ));
  const standIns = ids.map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]): Promise<unknown> => {
      await loaded();
      return vscode.commands.executeCommand(id, ...args);
    }),
  );
  return standIns;
}

import * as vscode from 'vscode';
import type { StoreSession } from '../../core/session';
import { isErrorNamed } from '../../core/errors';
import { showError } from '../feedback';
import type { HostContext } from '../hostContext';

/** Thrown when the user dismisses a question a command asked: the command stops without an error message. */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
}

export function cancelled(): never {
  throw new Cancelled('cancelled');
}

/** A question dismissed, or an operation the user stopped (a progress notification's Cancel): nothing to report. */
export function isCancellation(error: unknown): boolean {
  return isErrorNamed(error, 'Cancelled') || isErrorNamed(error, 'AbortError');
}

/** An AbortSignal that follows a VS Code cancellation token, already aborted if the token already was. */
export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return controller.signal;
  }
  const listener = token.onCancellationRequested(() => {
    controller.abort();
    listener.dispose();
  });
  return controller.signal;
}

/** A command body run on the open session; a failure is shown once, the user's own cancellation not at all. */
export function sessionHandler<A extends unknown[], R>(host: HostContext, body: (session: StoreSession, ...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
  return async (...args: A): Promise<R | undefined> => {
    try {
      return await body(await host.services.open(), ...args);
    } catch (error) {
      if (isCancellation(error)) host.log.info('Stopped by the user.');
      else await showError(error, host.log);
      return undefined;
    }
  };
}

/** Registers a command whose body runs on the open session, with cancellation and error display handled here. */
export function sessionCommand<R>(host: HostContext, id: string, body: (session: StoreSession, ...args: never[]) => Promise<R>): vscode.Disposable {
  return vscode.commands.registerCommand(id, sessionHandler(host, body));
}

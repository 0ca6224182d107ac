import * as vscode from 'vscode';

/** One question a command puts to the user, as a test sees it. */
export type PromptRequest =
  | { readonly kind: 'quickPick'; readonly items: readonly vscode.QuickPickItem[]; readonly options: vscode.QuickPickOptions }
  | { readonly kind: 'inputBox'; readonly options: vscode.InputBoxOptions }
  | { readonly kind: 'message'; readonly severity: 'information' | 'warning' | 'error'; readonly message: string; readonly options: vscode.MessageOptions; readonly actions: readonly string[] }
  | { readonly kind: 'saveDialog'; readonly options: vscode.SaveDialogOptions }
  | { readonly kind: 'openDialog'; readonly options: vscode.OpenDialogOptions };

/**
 * Answers in place of the user: the picked item(s) (from the request's own items), the typed text, the chosen button,
 * the file; undefined cancels. Installed only through the test API, which VS Code hands out only under test.
 */
export type PromptAnswerer = (request: PromptRequest) => unknown;

let answerer: PromptAnswerer | undefined;

/** Routes every question of the commands to `handler` until the returned disposable is disposed. */
export function answerPromptsWith(handler: PromptAnswerer): vscode.Disposable {
  answerer = handler;
  return new vscode.Disposable(() => {
    if (answerer === handler) answerer = undefined;
  });
}

export async function pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions = {}): Promise<T | undefined> {
  if (!answerer) return vscode.window.showQuickPick(items, { ...options, canPickMany: false });
  const answer = await answerer({ kind: 'quickPick', items, options: { ...options, canPickMany: false } });
  if (answer === undefined) return undefined;
  const found = items.find((item) => item === answer);
  if (!found) throw new Error('The answer to a quick pick must be one of its items.');
  return found;
}

export async function pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions = {}): Promise<T[] | undefined> {
  if (!answerer) return vscode.window.showQuickPick(items, { ...options, canPickMany: true });
  const answer = await answerer({ kind: 'quickPick', items, options: { ...options, canPickMany: true } });
  if (answer === undefined) return undefined;
  if (!Array.isArray(answer) || !answer.every((a) => items.includes(a as T))) throw new Error('The answer to a multi-select quick pick must be some of its items.');
  return answer as T[];
}

/** An input box; an answer its own check refuses is refused here too, as the real box would not accept it. */
export async function inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
  if (!answerer) return vscode.window.showInputBox(options);
  const answer = await answerer({ kind: 'inputBox', options });
  if (answer === undefined) return undefined;
  if (typeof answer !== 'string') throw new Error('The answer to an input box must be text.');
  const problem = await options.validateInput?.(answer);
  if (problem) throw new Error(`The input box refused the answer: ${typeof problem === 'string' ? problem : problem.message}`);
  return answer;
}

/** A message with buttons (modal for confirmations); resolves to the button chosen. */
export async function showMessage(severity: 'information' | 'warning' | 'error', message: string, options: vscode.MessageOptions, ...actions: string[]): Promise<string | undefined> {
  if (!answerer) {
    if (severity === 'error') return vscode.window.showErrorMessage(message, options, ...actions);
    if (severity === 'warning') return vscode.window.showWarningMessage(message, options, ...actions);
    return vscode.window.showInformationMessage(message, options, ...actions);
  }
  const answer = await answerer({ kind: 'message', severity, message, options, actions });
  if (answer === undefined) return undefined;
  if (typeof answer !== 'string' || !actions.includes(answer)) throw new Error('The answer to a message must be one of its buttons.');
  return answer;
}

export async function showSaveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
  if (!answerer) return vscode.window.showSaveDialog(options);
  const answer = await answerer({ kind: 'saveDialog', options });
  if (answer === undefined) return undefined;
  if (!(answer instanceof vscode.Uri)) throw new Error('The answer to a save dialog must be a file.');
  return answer;
}

export async function showOpenDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
  if (!answerer) return (await vscode.window.showOpenDialog(options))?.[0];
  const answer = await answerer({ kind: 'openDialog', options });
  if (answer === undefined) return undefined;
  if (!(answer instanceof vscode.Uri)) throw new Error('The answer to an open dialog must be a file.');
  return answer;
}

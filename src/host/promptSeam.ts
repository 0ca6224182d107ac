import * as vscode from 'vscode';

/** Where a question sits in a palette wizard: its step, and whether it has a Back button. */
export interface StepOptions {
  readonly step?: number;
  readonly totalSteps?: number;
  readonly canGoBack?: boolean;
}

/** What a wizard step resolves to when the user presses its Back button (a test answers `{ back: true }`). */
export const BACK: unique symbol = Symbol('back');
export type Back = typeof BACK;

/** One question a command puts to the user, as a test sees it. */
export type PromptRequest =
  | { readonly kind: 'quickPick'; readonly items: readonly vscode.QuickPickItem[]; readonly options: vscode.QuickPickOptions & StepOptions }
  | { readonly kind: 'inputBox'; readonly options: vscode.InputBoxOptions & StepOptions }
  | { readonly kind: 'message'; readonly severity: 'information' | 'warning' | 'error'; readonly message: string; readonly options: vscode.MessageOptions; readonly actions: readonly string[] }
  | { readonly kind: 'saveDialog'; readonly options: vscode.SaveDialogOptions }
  | { readonly kind: 'openDialog'; readonly options: vscode.OpenDialogOptions };

/**
 * Answers in place of the user: the picked item(s) (from the request's own items), the typed text, the chosen button,
 * the file, `{ back: true }` for a step's Back button; undefined cancels. Installed only through the test API, which VS Code hands out only under test.
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

function isBackAnswer(answer: unknown, options: StepOptions): boolean {
  if (typeof answer !== 'object' || answer === null || (answer as { back?: unknown }).back !== true) return false;
  if (!options.canGoBack) throw new Error('This question has no Back button.');
  return true;
}

/** A wizard step's quick pick, with the step number in its title and a Back button where there is a step before it. */
export async function pickOneStep<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & StepOptions): Promise<T | Back | undefined> {
  if (!answerer) return showStepPick(items, options, false) as Promise<T | Back | undefined>;
  const answer = await answerer({ kind: 'quickPick', items, options: { ...options, canPickMany: false } });
  if (answer === undefined) return undefined;
  if (isBackAnswer(answer, options)) return BACK;
  const found = items.find((item) => item === answer);
  if (!found) throw new Error('The answer to a quick pick must be one of its items.');
  return found;
}

export async function pickManyStep<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & StepOptions): Promise<T[] | Back | undefined> {
  if (!answerer) return showStepPick(items, options, true) as Promise<T[] | Back | undefined>;
  const answer = await answerer({ kind: 'quickPick', items, options: { ...options, canPickMany: true } });
  if (answer === undefined) return undefined;
  if (isBackAnswer(answer, options)) return BACK;
  if (!Array.isArray(answer) || !answer.every((a) => items.includes(a as T))) throw new Error('The answer to a multi-select quick pick must be some of its items.');
  return answer as T[];
}

/** A wizard step's input box; its check runs as the user types, and an answer it refuses is refused here too. */
export async function inputBoxStep(options: vscode.InputBoxOptions & StepOptions): Promise<string | Back | undefined> {
  if (!answerer) return showStepInput(options);
  const answer = await answerer({ kind: 'inputBox', options });
  if (answer === undefined) return undefined;
  if (isBackAnswer(answer, options)) return BACK;
  if (typeof answer !== 'string') throw new Error('The answer to an input box must be text.');
  const problem = await options.validateInput?.(answer);
  if (problem) throw new Error(`The input box refused the answer: ${typeof problem === 'string' ? problem : problem.message}`);
  return answer;
}

function stepButtons(options: StepOptions): vscode.QuickInputButton[] {
  return options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
}

// showQuickPick and showInputBox have no Back button: a step is a QuickPick or InputBox of its own.
function showStepPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & StepOptions, many: boolean): Promise<T | T[] | Back | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<T>();
    pick.items = items;
    pick.canSelectMany = many;
    if (many) pick.selectedItems = items.filter((item) => item.picked === true);
    pick.title = options.title;
    pick.placeholder = options.placeHolder;
    pick.step = options.step;
    pick.totalSteps = options.totalSteps;
    pick.ignoreFocusOut = options.ignoreFocusOut ?? false;
    pick.matchOnDescription = options.matchOnDescription ?? false;
    pick.matchOnDetail = options.matchOnDetail ?? false;
    pick.buttons = stepButtons(options);
    let settled = false;
    const finish = (value: T | T[] | Back | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish(BACK);
    });
    pick.onDidAccept(() => {
      if (many) finish([...pick.selectedItems]);
      else if (pick.selectedItems[0]) finish(pick.selectedItems[0]);
    });
    pick.onDidHide(() => {
      finish(undefined);
    });
    pick.show();
  });
}

function showStepInput(options: vscode.InputBoxOptions & StepOptions): Promise<string | Back | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    box.placeholder = options.placeHolder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = options.ignoreFocusOut ?? false;
    box.step = options.step;
    box.totalSteps = options.totalSteps;
    box.buttons = stepButtons(options);
    let settled = false;
    let checking = 0;
    // Only the newest value's verdict is shown: an older check that ends later does not overwrite it.
    const check = async (value: string): Promise<boolean> => {
      const mine = ++checking;
      const problem = (await options.validateInput?.(value)) ?? undefined;
      if (mine === checking && !settled) box.validationMessage = problem;
      return !problem;
    };
    const finish = (value: string | Back | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((value) => void check(value));
    box.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish(BACK);
    });
    box.onDidAccept(async () => {
      const value = box.value;
      if (await check(value)) finish(value);
    });
    box.onDidHide(() => {
      finish(undefined);
    });
    // As showInputBox does, the first value's verdict waits for a change or Enter: the prompt shows until then.
    box.show();
  });
}

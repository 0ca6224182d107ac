import * as vscode from 'vscode';
import { isErrorNamed } from '../core/errors';
import type { RoutingError } from '../core/routing';

/** The command that lists the budgets, where the user raises a limit, turns the hard stop off or deletes the budget. */
export const CHANGE_BUDGET_COMMAND = 'modelManager.showBudgets';

/**
 * Whether a routed request was refused because every member is paused by a budget's hard stop. Checked by name and
 * kind, not instanceof: importing the class would load the core at activation.
 */
export function isBudgetStop(error: unknown): error is RoutingError {
  return isErrorNamed<RoutingError>(error, 'RoutingError') && error.kind === 'budget';
}

export function changeBudgetLabel(): string {
  return vscode.l10n.t('Change Budget…');
}

/** The budget's own message as a warning, with the way to change the budget; resolves once the user chose. */
export async function offerBudgetChange(message: string): Promise<void> {
  const change = changeBudgetLabel();
  if ((await vscode.window.showWarningMessage(message, change)) === change) await vscode.commands.executeCommand(CHANGE_BUDGET_COMMAND);
}

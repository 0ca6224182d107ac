import * as vscode from 'vscode';
import type { StoreSession } from '../../core/session';

/**
 * The view's own badge and description: how many budgets are at 80 % or more and how many configurations are
 * unreachable (the badge), and the budget over all configurations (the description next to the title).
 */
export function updateViewSummary(view: vscode.TreeView<unknown>, session: StoreSession): void {
  let statuses: ReturnType<StoreSession['budgets']['status']> = [];
  try {
    statuses = session.budgets.status();
  } catch {
    // The tree's own refresh reports an unreadable store; the badge just stays empty.
  }
  const overBudget = statuses.filter((s) => s.fraction >= 0.8);
  const unreachable = session.health.summary().filter((h) => h.state === 'unhealthy');
  const count = overBudget.length + unreachable.length;
  const parts = [
    overBudget.length > 0 ? (overBudget.length === 1 ? vscode.l10n.t('1 budget at 80 % or more') : vscode.l10n.t('{0} budgets at 80 % or more', overBudget.length)) : undefined,
    unreachable.length > 0 ? (unreachable.length === 1 ? vscode.l10n.t('1 configuration unreachable') : vscode.l10n.t('{0} configurations unreachable', unreachable.length)) : undefined,
  ].filter(Boolean);
  view.badge = count > 0 ? { value: count, tooltip: parts.join(', ') } : undefined;
  const overall = statuses.filter((s) => s.budget.configurationId === null).sort((a, b) => b.fraction - a.fraction)[0];
  view.description = overall ? vscode.l10n.t('{0} % of the {1} budget', Math.floor(overall.fraction * 100), overall.budget.period === 'day' ? vscode.l10n.t('daily') : vscode.l10n.t('monthly')) : '';
}

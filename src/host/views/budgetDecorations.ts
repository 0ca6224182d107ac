import * as vscode from 'vscode';

export const BUDGET_DECORATION_SCHEME = 'model-manager-budget';

/** What the tree shows of the budgets covering one configuration. */
export interface BudgetBadge {
  readonly percent: number;
  readonly budgetName: string;
}

export function budgetUri(configurationId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: BUDGET_DECORATION_SCHEME, path: `/${configurationId}` });
}

/**
 * The tree's budget badges: a configuration item carries budgetUri(id) as its resourceUri, and this provider puts
 * "50", "80" or "!" (used up) on it, colored as a warning or an error, with the budget in the tooltip.
 */
export class BudgetDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private badges = new Map<string, BudgetBadge>();

  /** Replaces every badge; only items whose badge changed are redrawn. */
  update(next: ReadonlyMap<string, BudgetBadge>): void {
    const touched = new Set([...this.badges.keys(), ...next.keys()]);
    const changed = [...touched].filter((id) => threshold(this.badges.get(id)) !== threshold(next.get(id)) || this.badges.get(id)?.budgetName !== next.get(id)?.budgetName);
    this.badges = new Map(next);
    if (changed.length > 0) this.changed.fire(changed.map(budgetUri));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== BUDGET_DECORATION_SCHEME) return undefined;
    const badge = this.badges.get(uri.path.slice(1));
    const level = threshold(badge);
    if (!badge || level === 0) return undefined;
    const tooltip = vscode.l10n.t('Budget "{0}": {1} % used', badge.budgetName, Math.floor(badge.percent));
    if (level >= 100) return new vscode.FileDecoration('!', tooltip, new vscode.ThemeColor('list.errorForeground'));
    return new vscode.FileDecoration(String(level), tooltip, new vscode.ThemeColor('list.warningForeground'));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The highest warning threshold reached: 0, 50, 80 or 100. */
function threshold(badge: BudgetBadge | undefined): number {
  if (!badge) return 0;
  return [100, 80, 50].find((t) => badge.percent >= t) ?? 0;
}

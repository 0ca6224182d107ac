import * as vscode from 'vscode';
import { Disposable, type DisposableStore } from '../core/lifecycle';
import type { BudgetAlert, HealthStatus } from '../core/usage';
import type { ServiceHost } from './ServiceHost';
import type { StoreSession } from '../core/session';

/**
 * Turns the usage services' events into what the user sees: a notification for each budget threshold (the monitor
 * fires each once per period) and for a configuration that turns unreachable; keeps the health checks running at
 * the interval the settings say.
 */
export class Alerts extends Disposable implements vscode.Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** A budget alert or a change of health: views showing them refresh. */
  readonly onDidChange = this.changed.event;
  private readonly shown: BudgetAlert[] = [];

  constructor(
    private readonly services: ServiceHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(services.onSession((session, scope) => {
      this.attach(session, scope);
    }));
    this._register(vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('modelManager.healthCheckIntervalMinutes')) this.restartHealthChecks();
    }));
  }

  /** The budget alerts shown since the extension started (integration tests read them). */
  get budgetAlerts(): readonly BudgetAlert[] {
    return this.shown;
  }

  private attach(session: StoreSession, scope: DisposableStore): void {
    scope.add(session.budgets.onDidAlert((alert) => {
      this.shown.push(alert);
      this.changed.fire();
      void this.showBudgetAlert(alert);
    }));
    scope.add(session.health.onDidChange(() => {
      this.changed.fire();
    }));
    scope.add(session.health.onDidTurnUnhealthy((status) => {
      void this.showUnhealthy(status);
    }));
  }

  private restartHealthChecks(): void {
    const session = this.services.current;
    if (!session) return;
    // The interval is read when the session opens; a changed setting applies from the next start of the checks.
    const minutes = vscode.workspace.getConfiguration('modelManager').get<number>('healthCheckIntervalMinutes', 15);
    session.health.stop();
    if (minutes > 0) {
      session.health.setIntervalMs(minutes * 60_000);
      session.health.start();
    }
  }

  private async showBudgetAlert(alert: BudgetAlert): Promise<void> {
    this.log.warn(alert.message);
    const change = vscode.l10n.t('Change Budget…');
    const usage = vscode.l10n.t('Show Usage');
    const show = alert.threshold >= 100 ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const choice = await show(alert.message, change, usage);
    if (choice === change) await vscode.commands.executeCommand('modelManager.showBudgets');
    else if (choice === usage) await vscode.commands.executeCommand('modelManager.openUsageDashboard');
  }

  private async showUnhealthy(status: HealthStatus): Promise<void> {
    const test = vscode.l10n.t('Test Connection');
    const logs = vscode.l10n.t('Show Logs');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('"{0}" stopped answering its health check: {1}', status.name, status.error ?? vscode.l10n.t('unknown error')),
      test,
      logs,
    );
    if (choice === test) await vscode.commands.executeCommand('modelManager.testConnection', status.configurationId);
    else if (choice === logs) this.log.show(true);
  }
}

import * as vscode from 'vscode';
import { showError } from '../feedback';
import { resolveConfiguration, type ConfigurationArgument } from '../prompts';
import type { ServiceHost } from '../ServiceHost';

export const AUDIT_SCHEME = 'model-manager-audit';

/** Show Usage (this month's totals of one configuration) and Open Audit Log (a read-only document). */
export function registerUsageCommands(services: ServiceHost, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const audit = new AuditLogDocument(services);
  return [
    vscode.workspace.registerTextDocumentContentProvider(AUDIT_SCHEME, audit),
    vscode.commands.registerCommand('modelManager.showUsage', async (arg?: ConfigurationArgument) => {
      try {
        const session = await services.open();
        const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Whose usage do you want to see?'));
        if (!configuration) return undefined;
        const month = session.configurations.getUsageStats(configuration.id, 'month');
        const average = month.latencyCount > 0 ? Math.round(month.latencyMsSum / month.latencyCount) : undefined;
        void vscode.window.showInformationMessage(
          vscode.l10n.t(
            '"{0}" this month: {1} requests, {2} tokens ({3} in, {4} out, {5} cached), ${6}, {7} errors{8}.',
            configuration.name,
            month.requestCount,
            month.totalTokens.toLocaleString('en-US'),
            month.inputTokens.toLocaleString('en-US'),
            month.outputTokens.toLocaleString('en-US'),
            month.cachedTokens.toLocaleString('en-US'),
            month.costUsd.toFixed(4),
            month.errorCount,
            average === undefined ? '' : vscode.l10n.t(', {0} ms on average', average),
          ),
        );
        return month;
      } catch (error) {
        await showError(error, log);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('modelManager.openAuditLog', async () => {
      try {
        const uri = vscode.Uri.from({ scheme: AUDIT_SCHEME, path: '/Model Manager Audit Log' });
        audit.refresh(uri);
        const document = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(document, { preview: true });
        return document.getText();
      } catch (error) {
        await showError(error, log);
        return undefined;
      }
    }),
  ];
}

/** The audit log as text: what was done to which configuration and when; details never hold a key. */
class AuditLogDocument implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: ServiceHost) {}

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(): Promise<string> {
    const { store, userId } = await this.services.open();
    const entries = store.read((r) => r.audit.list(userId, 500));
    const names = new Map(store.read((r) => r.configurations.list(userId)).map((c) => [c.id, c.name]));
    const lines = entries.map((e) => {
      const target = e.targetId ? (names.get(e.targetId) ?? e.targetId) : '';
      const details = Object.keys(e.details).length > 0 ? `  ${JSON.stringify(e.details)}` : '';
      return `${e.at}  ${e.action.padEnd(26)} ${target}${details}`;
    });
    return [
      vscode.l10n.t('Model Manager audit log — the last {0} actions, newest first. API keys are never recorded.', entries.length),
      '',
      ...lines,
    ].join('\n');
  }
}

import * as vscode from 'vscode';
import type { ServiceHost } from '../ServiceHost';

export const AUDIT_SCHEME = 'model-manager-audit';

/**
 * The audit log as text: what was done to which configuration and when; details never hold a key. Registered at
 * activation (not with Open Audit Log, which loads on first call) so a log restored after a reload has its text.
 */
export class AuditLogDocument implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: ServiceHost) {}

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(): Promise<string> {
    const { configurations } = await this.services.open();
    const entries = configurations.auditLog(500);
    const names = new Map(configurations.listConfigurations().map((c) => [c.id, c.name]));
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

  dispose(): void {
    this.changed.dispose();
  }
}

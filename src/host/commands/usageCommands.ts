import * as vscode from 'vscode';
import { formatUsd } from '../../protocol/money';
import { sessionCommand } from './sessionCommand';
import type { HostContext } from '../hostContext';
import { resolveConfiguration, type ConfigurationArgument } from '../prompts';
import type { RateLimitState, RateLimitWindow } from '../../core/usage';
import type { ServiceHost } from '../ServiceHost';
import type { StoreSession } from '../../core/session';
import { registerAuditCommands } from './auditCommands';
import { showMessage } from '../promptSeam';

export const AUDIT_SCHEME = 'model-manager-audit';

/** Show Usage (this month's totals of one configuration), Open Audit Log (a read-only document) and Export Audit Log. */
export function registerUsageCommands(host: HostContext): vscode.Disposable[] {
  const { services } = host;
  const audit = new AuditLogDocument(services);
  return [
    ...registerAuditCommands(host),
    vscode.workspace.registerTextDocumentContentProvider(AUDIT_SCHEME, audit),
    sessionCommand(host, 'modelManager.showUsage', async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Whose usage do you want to see?'));
      if (!configuration) return undefined;
      const month = session.usage.getUsageStats(configuration.id, 'month');
      const { describePrice } = await import('../lazyCore');
      const price = describePrice(await session.usage.priceFor(configuration.id));
      const quota = quotaText(session.usage.rateLimitFor(configuration.id));
      const latency = month.p50LatencyMs === null ? '' : vscode.l10n.t(', latency p50 {0} ms / p95 {1} ms', Math.round(month.p50LatencyMs), Math.round(month.p95LatencyMs ?? 0));
      const clients = await byClientText(session, configuration.id);
      const unpriced = month.unpricedRequests > 0 ? vscode.l10n.t(' ({0} requests without a known price are not counted)', month.unpricedRequests) : '';
      void showMessage(
        'information',
        vscode.l10n.t(
          '"{0}" this month: {1} requests, {2} tokens ({3} in, {4} out, {5} cached), {6} at {7}{8}, {9} errors{10}.{11}',
          configuration.name,
          month.requestCount,
          month.tokenCount.toLocaleString('en-US'),
          month.inputTokens.toLocaleString('en-US'),
          month.outputTokens.toLocaleString('en-US'),
          month.cachedTokens.toLocaleString('en-US'),
          formatUsd(month.costUSD),
          price,
          unpriced,
          month.errorCount,
          latency,
          quota ? ` ${quota}` : '',
        ) + clients,
        {},
      );
      return month;
    }),
    sessionCommand(host, 'modelManager.checkHealth', async (session) => {
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking every active configuration…') },
        () => session.health.checkNow(),
      );
      const down = summary.filter((s) => s.state === 'unhealthy');
      const up = summary.filter((s) => s.state === 'healthy');
      const message = down.length === 0
        ? vscode.l10n.t('All {0} active configurations answered.', up.length)
        : vscode.l10n.t('{0} answered, {1} did not: {2}', up.length, down.length, down.map((s) => `"${s.name}" (${s.error ?? ''})`).join('; '));
      if (down.length === 0) void vscode.window.showInformationMessage(message);
      else void vscode.window.showWarningMessage(message);
      return summary;
    }),
    sessionCommand(host, 'modelManager.openAuditLog', async () => {
      const uri = vscode.Uri.from({ scheme: AUDIT_SCHEME, path: '/Model Manager Audit Log' });
      audit.refresh(uri);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true });
      return document.getText();
    }),
  ];
}

/** " Requests by client: VS Code 12, terminal 3." for this month, when a local endpoint client sent any of them. */
async function byClientText(session: StoreSession, configurationId: string): Promise<string> {
  const { clientTokensOf } = await import('../lazyCore');
  const now = session.now();
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
  const rows = clientTokensOf(session).requestsByClient(since, configurationId);
  if (!rows.some((row) => row.client !== null)) return '';
  const parts = rows.map((row) => `${row.client ?? vscode.l10n.t('VS Code')} ${String(row.requests)}`);
  return ` ${vscode.l10n.t('Requests by client: {0}.', parts.join(', '))}`;
}

/** "Quota left: 4,999 of 5,000 requests, 159,000 of 160,000 tokens." when the provider said. */
function quotaText(state: RateLimitState | undefined): string {
  if (!state) return '';
  const windows: [string, RateLimitWindow | undefined][] = [
    [vscode.l10n.t('requests'), state.requests],
    [vscode.l10n.t('tokens'), state.tokens],
    [vscode.l10n.t('input tokens'), state.inputTokens],
    [vscode.l10n.t('output tokens'), state.outputTokens],
  ];
  const parts = windows
    .filter((w): w is [string, RateLimitWindow] => w[1]?.remaining !== undefined)
    .map(([name, w]) => (w.limit === undefined ? `${(w.remaining ?? 0).toLocaleString('en-US')} ${name}` : `${(w.remaining ?? 0).toLocaleString('en-US')} of ${w.limit.toLocaleString('en-US')} ${name}`));
  return parts.length === 0 ? '' : vscode.l10n.t('Quota left (as the provider last said): {0}.', parts.join(', '));
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
}

import * as vscode from 'vscode';
import { errorCount, requestCount } from '../counts';
import { formatUsd } from '../../protocol/money';
import { sessionCommand } from './sessionCommand';
import type { HostContext } from '../hostContext';
import { resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { inputBox, pickOne, showMessage } from '../promptSeam';
import type { RateLimitState, RateLimitWindow } from '../../core/usage';
import type { StoreSession } from '../../core/session';
import { registerAuditCommands } from './auditCommands';
import { gatewayBudgetDetail } from '../views/gatewayBudgetText';
import { AUDIT_SCHEME, type AuditLogDocument } from '../views/auditLogDocument';

/** Show Usage (one configuration's totals for a day, a week, a month or any range), Open Audit Log (a read-only document) and Export Audit Log. */
export function registerUsageCommands(host: HostContext, audit: AuditLogDocument): vscode.Disposable[] {
  return [
    ...registerAuditCommands(host),
    sessionCommand(host, 'modelManager.showUsage', async (session, arg?: ConfigurationArgument, periodArg?: unknown) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Whose usage do you want to see?'));
      if (!configuration) return undefined;
      const period = usagePeriodOf(periodArg);
      const { describePrice, resolvePeriod } = await import('../lazyCore');
      let range;
      try {
        range = resolvePeriod(period, session.now());
      } catch (error) {
        throw new Error(vscode.l10n.t('Show Usage needs a period of day, week, month or a start and end date: {0}', error instanceof Error ? error.message : String(error)), { cause: error });
      }
      const stats = session.usage.getUsageStats(configuration.id, period);
      const price = describePrice(await session.usage.priceFor(configuration.id));
      const quota = quotaText(session.usage.rateLimitFor(configuration.id));
      const latency = stats.p50LatencyMs === null ? '' : vscode.l10n.t(', latency p50 {0} ms / p95 {1} ms', Math.round(stats.p50LatencyMs), Math.round(stats.p95LatencyMs ?? 0));
      const unpriced = stats.unpricedRequests > 0 ? (stats.unpricedRequests === 1 ? vscode.l10n.t(' (1 request without a known price is not counted)') : vscode.l10n.t(' ({0} requests without a known price are not counted)', stats.unpricedRequests)) : '';
      const clients = await byClientText(session, configuration.id);
      // The last read (with the health check), else the first read under way for at most 3 s.
      const read = await session.gatewayBudgets.firstRead(configuration);
      const gateway = read === 'pending' ? vscode.l10n.t('Team gateway budget: not checked yet (the LiteLLM proxy has not answered; it shows in the tree when it does)') : gatewayBudgetDetail(read);
      const other = vscode.l10n.t('Another Period…');
      void showMessage(
        'information',
        vscode.l10n.t(
          '"{0}" {1}: {2}, {3} tokens ({4} in, {5} out, {6} cached), {7} at {8}{9}, {10}{11}.{12}',
          configuration.name,
          periodText(period, range),
          requestCount(stats.requestCount),
          stats.tokenCount.toLocaleString('en-US'),
          stats.inputTokens.toLocaleString('en-US'),
          stats.outputTokens.toLocaleString('en-US'),
          stats.cachedTokens.toLocaleString('en-US'),
          formatUsd(stats.costUSD),
          price,
          unpriced,
          errorCount(stats.errorCount),
          latency,
          quota ? ` ${quota}` : '',
        ) + clients + (gateway ? ` ${gateway.replace(/\.$/, '')}.` : ''),
        {},
        other,
      ).then(async (choice) => {
        if (choice !== other) return;
        const next = await askUsagePeriod();
        if (next) await vscode.commands.executeCommand('modelManager.showUsage', configuration.id, next);
      });
      return stats;
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

type UsagePeriodChoice = 'day' | 'week' | 'month' | { readonly from: string; readonly to: string };

/** The period another extension or the message's button passed; this month when none (or one not understood). */
function usagePeriodOf(value: unknown): UsagePeriodChoice {
  if (value === 'day' || value === 'week' || value === 'month') return value;
  if (typeof value === 'object' && value !== null) {
    const { from, to } = value as { from?: unknown; to?: unknown };
    if (typeof from === 'string' && typeof to === 'string' && from.length <= 64 && to.length <= 64) return { from, to };
  }
  return 'month';
}

/** "this month (1 Dec 00:00 to 1 Jan 00:00 UTC)": the window counted, in UTC days as the usage records keep them. */
function periodText(period: UsagePeriodChoice, range: { readonly from: Date; readonly to: Date }): string {
  const utc = (at: Date): string => at.toISOString().slice(0, 16).replace('T', ' ');
  const window = vscode.l10n.t('{0} to {1} UTC', utc(range.from), utc(range.to));
  if (period === 'day') return vscode.l10n.t('today ({0})', window);
  if (period === 'week') return vscode.l10n.t('in the last 7 days ({0})', window);
  if (period === 'month') return vscode.l10n.t('this month ({0})', window);
  return vscode.l10n.t('from {0}', window);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today, the last 7 days, this month, or two dates (whole UTC days, the end date included). */
async function askUsagePeriod(): Promise<UsagePeriodChoice | undefined> {
  const title = vscode.l10n.t('Show Usage');
  const items: (vscode.QuickPickItem & { period: UsagePeriodChoice | 'custom' })[] = [
    { label: vscode.l10n.t('Today'), description: vscode.l10n.t('since 00:00 UTC'), period: 'day' },
    { label: vscode.l10n.t('Last 7 days'), description: vscode.l10n.t('today included'), period: 'week' },
    { label: vscode.l10n.t('This month'), description: vscode.l10n.t('since the 1st, 00:00 UTC'), period: 'month' },
    { label: vscode.l10n.t('Custom range…'), description: vscode.l10n.t('two dates, whole UTC days'), period: 'custom' },
  ];
  const picked = await pickOne(items, { title, placeHolder: vscode.l10n.t('Which period?') });
  if (!picked) return undefined;
  if (picked.period !== 'custom') return picked.period;
  const validate = (value: string): string | undefined => (DATE.test(value.trim()) && !Number.isNaN(Date.parse(`${value.trim()}T00:00:00Z`)) ? undefined : vscode.l10n.t('Enter a date as YYYY-MM-DD.'));
  const from = await inputBox({ title, prompt: vscode.l10n.t('First day (YYYY-MM-DD, UTC)'), validateInput: validate });
  if (from === undefined) return undefined;
  const to = await inputBox({
    title,
    prompt: vscode.l10n.t('Last day, included (YYYY-MM-DD, UTC)'),
    validateInput: (value) => validate(value) ?? (value.trim() < from.trim() ? vscode.l10n.t('The last day cannot be before the first ({0}).', from.trim()) : undefined),
  });
  if (to === undefined) return undefined;
  const end = new Date(Date.parse(`${to.trim()}T00:00:00Z`) + 86_400_000);
  return { from: `${from.trim()}T00:00:00.000Z`, to: end.toISOString() };
}

import * as vscode from 'vscode';
import { providerDisplayName } from '../../core/providers/displayNames';
import { formatUsd } from '../../protocol/money';
import type { HostContext } from '../hostContext';
import type { Budget, BudgetPeriod } from '../../core/store';
import type { BudgetStatus } from '../../core/usage';
import { sessionCommand } from './sessionCommand';
import { ask, resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { pickOne, showMessage } from '../promptSeam';
import type { StoreSession } from '../../core/session';

const ALL = '__all__';
/** A scope id for the requests of one local endpoint client. */
const CLIENT = 'client:';

/** Set Budget, Show Budgets and Delete Budget: limits per configuration or over all of them, daily or monthly. */
export function registerBudgetCommands(host: HostContext): vscode.Disposable[] {
  return [
    sessionCommand(host, 'modelManager.setBudget', (session, arg?: ConfigurationArgument) => setBudget(session, arg)),
    sessionCommand(host, 'modelManager.showBudgets', (session) => showBudgets(session)),
    sessionCommand(host, 'modelManager.deleteBudget', (session, budgetId?: unknown) => deleteBudget(session, budgetId)),
  ];
}

async function setBudget(session: StoreSession, arg: ConfigurationArgument): Promise<Budget | undefined> {
  const title = vscode.l10n.t('Set Budget');
  const scope = arg === undefined ? await pickScope(session) : (await resolveConfiguration(session.configurations, arg, ''))?.id;
  if (scope === undefined) return undefined;
  const clientId = scope.startsWith(CLIENT) ? scope.slice(CLIENT.length) : null;
  const configurationId = scope === ALL || clientId !== null ? null : scope;
  const periods: { label: string; description: string; period: BudgetPeriod }[] = [
    { label: vscode.l10n.t('Monthly'), description: vscode.l10n.t('resets on the 1st at 00:00 UTC'), period: 'month' },
    { label: vscode.l10n.t('Daily'), description: vscode.l10n.t('resets at 00:00 UTC'), period: 'day' },
  ];
  const period = await pickOne(periods, { title, placeHolder: vscode.l10n.t('Which period does the limit cover?') });
  if (!period) return undefined;
  // One budget per scope and period: setting it again edits it.
  const existing = session.budgets.listBudgets().find((b) => b.configurationId === configurationId && b.clientId === clientId && b.period === period.period);
  const usdText = await ask({
    title,
    prompt: vscode.l10n.t('Limit in USD (leave empty for a token limit only)'),
    value: existing?.limitUsd == null ? '' : String(existing.limitUsd),
    placeHolder: '10',
    validate: (value) => (value.trim() === '' || positive(value) ? undefined : vscode.l10n.t('Enter an amount above 0, like 25 or 2.50, or leave it empty.')),
  });
  if (usdText === undefined) return undefined;
  const tokensText = await ask({
    title,
    prompt: usdText.trim() === '' ? vscode.l10n.t('Limit in tokens (input + output)') : vscode.l10n.t('Limit in tokens (input + output; leave empty for none)'),
    value: existing?.limitTokens == null ? '' : String(existing.limitTokens),
    placeHolder: '1000000',
    validate: (value) => {
      const clean = value.replace(/[,_\s]/g, '');
      if (clean === '') return usdText.trim() === '' ? vscode.l10n.t('Set a limit in USD, in tokens, or both.') : undefined;
      return /^\d+$/.test(clean) && Number(clean) > 0 ? undefined : vscode.l10n.t('Enter a whole number of tokens above 0, like 500000.');
    },
  });
  if (tokensText === undefined) return undefined;
  const stop = await pickOne(
    [
      { label: vscode.l10n.t('Warn only'), description: vscode.l10n.t('notifications at 50, 80 and 100 %'), hardStop: false, picked: existing?.hardStop !== true },
      { label: vscode.l10n.t('Warn, then stop at 100 %'), description: vscode.l10n.t('requests are refused until the period resets'), hardStop: true, picked: existing?.hardStop === true },
    ],
    { title, placeHolder: vscode.l10n.t('What happens when the limit is reached?') },
  );
  if (!stop) return undefined;
  const client = clientId === null ? undefined : session.usage.clients().find((c) => c.id === clientId);
  const who = client ? vscode.l10n.t('Client "{0}"', client.name) : configurationId === null ? vscode.l10n.t('All configurations') : session.configurations.getConfiguration(configurationId).name;
  const budget = await session.budgets.saveBudget({
    ...(existing ? { id: existing.id } : {}),
    configurationId,
    clientId,
    name: `${who} · ${period.label}`,
    period: period.period,
    limitUsd: usdText.trim() === '' ? null : Number(usdText.trim()),
    limitTokens: tokensText.replace(/[,_\s]/g, '') === '' ? null : Number(tokensText.replace(/[,_\s]/g, '')),
    hardStop: stop.hardStop,
  });
  // A budget set below what was already spent warns now, not at the next request.
  await session.budgets.evaluate(configurationId ?? undefined, clientId ?? undefined);
  await vscode.commands.executeCommand('modelManager.refresh');
  const status = session.budgets.status().find((s) => s.budget.id === budget.id);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Budget "{0}" saved: {1}.', budget.name, status ? describeStatus(status) : vscode.l10n.t('nothing spent yet')),
  );
  return budget;
}

async function pickScope(session: StoreSession): Promise<string | undefined> {
  const picked = await pickOne(
    [
      { label: vscode.l10n.t('All configurations'), description: vscode.l10n.t('everything this profile spends'), id: ALL },
      ...session.configurations.listConfigurations().map((c) => ({ label: c.name, description: `${providerDisplayName(c.provider, c.config.preset)} · ${c.model}`, id: c.id })),
      // The local endpoint's clients: a budget of one counts only the requests its token sent.
      ...session.usage.clients().filter((c) => c.revokedAt === null).map((c) => ({
        label: vscode.l10n.t('Client "{0}"', c.name), description: vscode.l10n.t('requests of this local endpoint client, to any model'), id: `${CLIENT}${c.id}`,
      })),
    ],
    { title: vscode.l10n.t('Set Budget'), placeHolder: vscode.l10n.t('What should the budget cover?'), matchOnDescription: true },
  );
  return picked?.id;
}

async function showBudgets(session: StoreSession): Promise<BudgetStatus[]> {
  const statuses = session.budgets.status();
  if (statuses.length === 0) {
    const set = vscode.l10n.t('Set Budget…');
    if ((await showMessage('information', vscode.l10n.t('No budgets yet. A budget warns at 50, 80 and 100 % of a daily or monthly limit.'), {}, set)) === set) {
      await vscode.commands.executeCommand('modelManager.setBudget');
    }
    return statuses;
  }
  const picked = await pickOne(
    statuses.map((s) => ({ label: s.budget.name, description: describeStatus(s), detail: projectionText(s), status: s })),
    { title: vscode.l10n.t('Budgets'), placeHolder: vscode.l10n.t('Pick a budget to change or delete it') },
  );
  if (!picked) return statuses;
  const change = vscode.l10n.t('Change…');
  const remove = vscode.l10n.t('Delete…');
  const action = (await pickOne([{ label: change }, { label: remove }], { title: picked.label }))?.label;
  if (action === change) await setBudget(session, picked.status.budget.configurationId ?? undefined);
  else if (action === remove) await deleteBudget(session, picked.status.budget.id);
  return statuses;
}

async function deleteBudget(session: StoreSession, budgetId: unknown): Promise<boolean> {
  let budget = typeof budgetId === 'string' ? session.budgets.listBudgets().find((b) => b.id === budgetId) : undefined;
  if (!budget) {
    const picked = await pickOne(
      session.budgets.status().map((s) => ({ label: s.budget.name, description: describeStatus(s), budget: s.budget })),
      { title: vscode.l10n.t('Delete Budget'), placeHolder: vscode.l10n.t('Which budget?') },
    );
    budget = picked?.budget;
  }
  if (!budget) return false;
  const confirm = vscode.l10n.t('Delete');
  const answer = await showMessage(
    'warning',
    vscode.l10n.t('Delete the budget "{0}"? Its usage stays recorded.', budget.name),
    { modal: true },
    confirm,
  );
  if (answer !== confirm) return false;
  await session.budgets.deleteBudget(budget.id);
  // The tree's badges are worked out when it lists its items.
  await vscode.commands.executeCommand('modelManager.refresh');
  return true;
}

/** "62 % used: $6.20 of $10.00 · stops at 100 %". */
export function describeStatus(s: BudgetStatus): string {
  const parts: string[] = [];
  if (s.budget.limitUsd !== null) parts.push(`${formatUsd(s.spentUsd)} / ${formatUsd(s.budget.limitUsd)}`);
  if (s.budget.limitTokens !== null) parts.push(vscode.l10n.t('{0} / {1} tokens', Math.round(s.spentTokens).toLocaleString('en-US'), s.budget.limitTokens.toLocaleString('en-US')));
  const stop = s.budget.hardStop ? vscode.l10n.t(' · stops at 100 %') : '';
  return vscode.l10n.t('{0} % used: {1}{2}', Math.floor(s.fraction * 100), parts.join(', '), stop);
}

function projectionText(s: BudgetStatus): string {
  const resets = s.resetsAt.slice(0, 10);
  if (s.budget.period === 'day') return vscode.l10n.t('Resets {0} 00:00 UTC', resets);
  return vscode.l10n.t('Month-end projection: {0} % ({1}). Resets {2}.', Math.round(s.projectedFraction * 100), s.budget.limitUsd === null ? `${Math.round(s.projectedTokens).toLocaleString('en-US')} tokens` : formatUsd(s.projectedUsd), resets);
}

function positive(value: string): boolean {
  const n = Number(value.trim());
  return Number.isFinite(n) && n > 0;
}

import * as vscode from 'vscode';
import type { GatewayBudgetState } from '../../core/gateways/GatewayBudgets';
import { formatUsd } from '../../protocol/money';

/** A reset time in the user's own zone: the proxy resets at its own midnight, which may be another day here. */
function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "Team gateway budget: $12.40 of $50.00 left (resets …)", or why there is none; undefined for a configuration not on LiteLLM. */
export function gatewayBudgetLine(state: GatewayBudgetState | undefined): string | undefined {
  if (!state) return undefined;
  if (state.kind === 'not-checked') return vscode.l10n.t('Team gateway budget: not checked yet');
  if (state.kind === 'not-reported') return vscode.l10n.t('Team gateway budget: not reported (this LiteLLM key may not read /key/info)');
  if (state.kind === 'failed') return vscode.l10n.t('Team gateway budget: could not be read: {0}', state.message);
  const b = state.budget;
  if (b.maxBudgetUsd === null) return vscode.l10n.t('Team gateway budget: no budget set on this LiteLLM key ({0} spent)', formatUsd(b.spendUsd));
  const left = vscode.l10n.t('Team gateway budget: {0} of {1} left', formatUsd(b.remainingUsd ?? 0), formatUsd(b.maxBudgetUsd));
  const resets = b.resetsAt ? ` ${vscode.l10n.t('(resets {0})', when(b.resetsAt))}` : '';
  const blocked = b.blocked ? ` ${vscode.l10n.t('— the gateway blocks this key')}` : '';
  return `${left}${resets}${blocked}`;
}

/** The line with what the proxy said besides: spent, the key's name, the team, the alert threshold. */
export function gatewayBudgetDetail(state: GatewayBudgetState | undefined): string | undefined {
  const line = gatewayBudgetLine(state);
  if (line === undefined || state?.kind !== 'reported' || state.budget.maxBudgetUsd === null) return line;
  const b = state.budget;
  const parts = [vscode.l10n.t('{0} spent', formatUsd(b.spendUsd))];
  if (b.keyAlias) parts.push(vscode.l10n.t('key "{0}"', b.keyAlias));
  if (b.teamId) parts.push(vscode.l10n.t('team {0}', b.teamId));
  if (b.softBudgetUsd !== null) parts.push(vscode.l10n.t('alert at {0}', formatUsd(b.softBudgetUsd)));
  return `${line}; ${parts.join(', ')}`;
}

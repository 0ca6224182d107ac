import * as vscode from 'vscode';

// Counts in the host's messages, each with its noun in the singular for one ("1 request", never "1 requests").
// One l10n string per form, so that a translation can word each.

export function requestCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 request') : vscode.l10n.t('{0} requests', count.toLocaleString('en-US'));
}

export function answerCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 answer') : vscode.l10n.t('{0} answers', count.toLocaleString('en-US'));
}

export function memberCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 member') : vscode.l10n.t('{0} members', count);
}

export function errorCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', count.toLocaleString('en-US'));
}

export function modelCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 model') : vscode.l10n.t('{0} models', count);
}

export function configurationCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 configuration') : vscode.l10n.t('{0} configurations', count);
}

import * as vscode from 'vscode';
import type { ClientSummary } from '../../core/endpoint';
import type { ClientScope } from '../../core/store';

export function scopeLabel(scope: ClientScope): string {
  return scope === 'admin' ? vscode.l10n.t('admin') : vscode.l10n.t('chat');
}

export function lastUse(client: ClientSummary): string {
  return client.lastUsedAt ? vscode.l10n.t('last used {0}', new Date(client.lastUsedAt).toLocaleString()) : vscode.l10n.t('never used');
}

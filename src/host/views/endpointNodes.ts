import * as vscode from 'vscode';
import type { ClientSummary, EndpointStatus } from '../../core/endpoint';
import type { StoreSession } from '../../core/session';
import { lastUse, scopeLabel } from '../endpoint/clientText';

/** What the tree needs of the endpoint: its state as this window last saw it, and its address. */
export interface EndpointView {
  readonly status: EndpointStatus;
  readonly url: string;
  readonly onDidChange: vscode.Event<unknown>;
}

export type EndpointNode =
  | { readonly kind: 'endpoint'; readonly status: EndpointStatus }
  | { readonly kind: 'endpointState'; readonly status: EndpointStatus; readonly url: string }
  | { readonly kind: 'endpointClient'; readonly client: ClientSummary };

/** The "Local Endpoint" section: its state and address, then the clients with a token. */
export function endpointRoot(view: EndpointView): EndpointNode {
  return { kind: 'endpoint', status: view.status };
}

export async function endpointChildren(session: StoreSession, view: EndpointView): Promise<EndpointNode[]> {
  const { clientTokensOf } = await import('../lazyCore');
  const clients = clientTokensOf(session).list().filter((c) => c.revokedAt === null);
  return [{ kind: 'endpointState', status: view.status, url: view.url }, ...clients.map((client): EndpointNode => ({ kind: 'endpointClient', client }))];
}

export function endpointItem(node: EndpointNode): vscode.TreeItem {
  switch (node.kind) {
    case 'endpoint': {
      const item = new vscode.TreeItem(vscode.l10n.t('Local Endpoint'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'endpoint';
      item.contextValue = node.status.holder ? 'endpoint:running' : 'endpoint:stopped';
      item.iconPath = new vscode.ThemeIcon('broadcast');
      item.description = node.status.holder ? vscode.l10n.t('running') : vscode.l10n.t('stopped');
      return item;
    }
    case 'endpointState': {
      const { holder } = node.status;
      const label = holder ? holder.url : vscode.l10n.t('Stopped');
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.id = 'endpoint:state';
      item.contextValue = 'endpointState';
      item.iconPath = new vscode.ThemeIcon(holder ? 'pass-filled' : 'circle-slash');
      item.description = holder
        ? node.status.servingHere ? vscode.l10n.t('served by this window') : vscode.l10n.t('served by the window "{0}"', holder.window)
        : vscode.l10n.t('would serve {0}', node.url);
      item.tooltip = holder
        ? vscode.l10n.t('OpenAI API at {0}/v1, Anthropic API at {0}. Tools need a client token.', holder.url)
        : vscode.l10n.t('Run "Model Manager: Start Local Endpoint" to serve your configurations and route groups to other tools.');
      item.command = holder
        ? { command: 'modelManager.copyEndpointSetup', title: vscode.l10n.t('Copy Setup…') }
        : { command: 'modelManager.startEndpoint', title: vscode.l10n.t('Start Local Endpoint') };
      return item;
    }
    case 'endpointClient': {
      const item = new vscode.TreeItem(node.client.name, vscode.TreeItemCollapsibleState.None);
      item.id = `endpointClient:${node.client.id}`;
      item.contextValue = 'endpointClient';
      item.iconPath = new vscode.ThemeIcon('key');
      item.description = `${scopeLabel(node.client.scope)} · ${lastUse(node.client)}`;
      return item;
    }
  }
}

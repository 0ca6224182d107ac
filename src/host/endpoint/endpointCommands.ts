import * as vscode from 'vscode';
import type { ClientSummary } from '../../core/endpoint';
import type { ClientScope } from '../../core/store';
import { cancelled, sessionCommand, sessionHandler } from '../commands/sessionCommand';
import type { HostContext } from '../hostContext';
import { inputBox, pickOne, showMessage } from '../promptSeam';
import type { EndpointController } from './EndpointController';
import { lastUse, scopeLabel } from './clientText';
import { setupLines, toolsThatReadThem } from './setupText';

/** Start/Stop Local Endpoint, Create/Revoke Client Token and Copy Setup. */
export function registerEndpointCommands(host: HostContext, endpoint: EndpointController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('modelManager.startEndpoint', sessionHandler(host, async () => {
      const status = await endpoint.start();
      if (!status.wanted) return status;
      const copy = vscode.l10n.t('Copy Setup…');
      const message = status.servingHere || !status.holder
        ? vscode.l10n.t('The local endpoint is serving at {0} (this window).', endpoint.url)
        : vscode.l10n.t('The local endpoint is serving at {0} from the window "{1}".', status.holder.url, status.holder.window);
      void showMessage('information', message, {}, copy).then((choice) => {
        if (choice === copy) void vscode.commands.executeCommand('modelManager.copyEndpointSetup');
      });
      return status;
    })),
    vscode.commands.registerCommand('modelManager.stopEndpoint', sessionHandler(host, async () => {
      const status = await endpoint.stop();
      void showMessage('information', status.holder ? vscode.l10n.t('The window "{0}" has not stopped the local endpoint yet.', status.holder.window) : vscode.l10n.t('The local endpoint is stopped.'), {});
      return status;
    })),
    sessionCommand(host, 'modelManager.createClientToken', async (session) => {
      const { clientTokensOf } = await import('../lazyCore');
      const created = await createToken(clientTokensOf(session));
      host.tree.refresh();
      return created.client;
    }),
    sessionCommand(host, 'modelManager.revokeClientToken', async (session, arg?: { readonly id?: unknown }) => {
      const { clientTokensOf } = await import('../lazyCore');
      const tokens = clientTokensOf(session);
      const live = tokens.list().filter((c) => c.revokedAt === null);
      const chosen = typeof arg?.id === 'string' ? live.find((c) => c.id === arg.id) : (await pickOne(live.map((c) => ({ label: c.name, description: scopeLabel(c.scope), detail: lastUse(c), client: c })), { placeHolder: vscode.l10n.t('Which client\'s token do you want to revoke?') }))?.client;
      if (!chosen) {
        if (live.length === 0) void showMessage('information', vscode.l10n.t('There is no client token to revoke.'), {});
        return false;
      }
      const revoke = vscode.l10n.t('Revoke');
      if ((await showMessage('warning', vscode.l10n.t('Revoke the token of "{0}"? Its next request is refused; the tool needs a new token.', chosen.name), { modal: true }, revoke)) !== revoke) return false;
      const done = await tokens.revoke(chosen.id);
      host.tree.refresh();
      return done;
    }),
    sessionCommand(host, 'modelManager.copyEndpointSetup', async (session) => {
      const { clientTokensOf } = await import('../lazyCore');
      const create = { label: vscode.l10n.t('Create a client token for this terminal…') };
      const placeholder = { label: vscode.l10n.t('Use a token I already have'), detail: vscode.l10n.t('The lines say <client token>: put the tool\'s token there.') };
      const choice = await pickOne([create, placeholder], { placeHolder: vscode.l10n.t('Tokens are shown only once, when they are created.') });
      if (!choice) cancelled();
      const token = choice === create ? (await createToken(clientTokensOf(session), { copy: false })).token : '<client token>';
      const lines = setupLines(endpoint.url, token);
      await vscode.env.clipboard.writeText(lines);
      const running = endpoint.status.holder ? '' : ` ${vscode.l10n.t('The endpoint is not running: run "Model Manager: Start Local Endpoint" first.')}`;
      void showMessage('information', `${vscode.l10n.t('Copied the lines for a terminal.')} ${toolsThatReadThem()}${running}`, {});
      // The token goes to the clipboard only: the extension that ran the command gets the lines without it.
      return setupLines(endpoint.url, '<client token>');
    }),
  ];
}

/** Asks a name and a scope, creates the token and shows it once (with Copy unless the caller uses it itself). */
async function createToken(tokens: { create(name: string, scope: ClientScope): Promise<{ readonly client: ClientSummary; readonly token: string }> }, options: { readonly copy: boolean } = { copy: true }): Promise<{ readonly client: ClientSummary; readonly token: string }> {
  const name = await inputBox({
    prompt: vscode.l10n.t('A name for the client: the tool or script that will use the token'),
    placeHolder: vscode.l10n.t('e.g. terminal, aider, test scripts'),
    validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Give the client a name.') : value.trim().length > 100 ? vscode.l10n.t('At most 100 characters.') : undefined),
  });
  if (name === undefined) cancelled();
  const chat = { label: vscode.l10n.t('Chat'), description: vscode.l10n.t('the model APIs (/v1/…)'), scope: 'chat' as const };
  const admin = { label: vscode.l10n.t('Admin'), description: vscode.l10n.t('the model APIs and the management API (/api/…)'), scope: 'admin' as const };
  const scope = await pickOne([chat, admin], { placeHolder: vscode.l10n.t('What may "{0}" use?', name.trim()) });
  if (!scope) cancelled();
  const created = await tokens.create(name, scope.scope);
  if (options.copy) {
    const copy = vscode.l10n.t('Copy');
    const choice = await showMessage('information', vscode.l10n.t('The client token of "{0}" is shown this once; Model Manager keeps only its hash:\n\n{1}', created.client.name, created.token), { modal: true }, copy);
    if (choice === copy) await vscode.env.clipboard.writeText(created.token);
  }
  return created;
}

import * as vscode from 'vscode';
import type { GatewayEngine, GatewayExport, GatewayImportOutcome } from '../../core/gateways';
import type { StoreSession } from '../../core/session';
import type { HostContext } from '../hostContext';
import { pickMany, showMessage, showOpenDialog, showSaveDialog } from '../promptSeam';
import { sessionCommand } from './sessionCommand';
import { countOf } from '../../protocol/counts';

interface SelectionItem extends vscode.QuickPickItem {
  readonly kind?: vscode.QuickPickItemKind;
  readonly configurationId?: string;
  readonly groupId?: string;
}

const engines: Record<GatewayEngine, { title: () => string; file: string; filter: () => string; ext: string }> = {
  litellm: { title: () => vscode.l10n.t('Export for LiteLLM Proxy'), file: 'config.yaml', filter: () => vscode.l10n.t('LiteLLM proxy config'), ext: 'yaml' },
  portkey: { title: () => vscode.l10n.t('Export for Portkey Gateway'), file: 'portkey-config.json', filter: () => vscode.l10n.t('Portkey config'), ext: 'json' },
};

/** Configurations and route groups, all ticked: a team usually takes the whole set, and unticking is one click. */
async function pickSelection(session: StoreSession, title: string): Promise<{ configurationIds: string[]; groupIds: string[] } | undefined> {
  const configurations = session.configurations.listConfigurations();
  const groups = session.routeGroups.list();
  if (configurations.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is nothing to export yet: add a configuration first.'));
    return undefined;
  }
  const items: SelectionItem[] = [
    { label: vscode.l10n.t('Configurations'), kind: vscode.QuickPickItemKind.Separator },
    ...configurations.map((c) => ({ label: c.name, description: `${c.provider} · ${c.model}`, picked: true, configurationId: c.id })),
    ...(groups.length === 0 ? [] : [{ label: vscode.l10n.t('Route groups'), kind: vscode.QuickPickItemKind.Separator }]),
    ...groups.map((g) => ({ label: g.name, description: vscode.l10n.t('route group · {0} · {1}', g.strategy, countOf(g.members.length, 'member')), picked: true, groupId: g.id })),
  ];
  const chosen = await pickMany(items, { title, placeHolder: vscode.l10n.t('What to carry to the gateway (a group brings its members along)') });
  if (chosen === undefined || chosen.length === 0) return undefined;
  return {
    configurationIds: chosen.flatMap((i) => (i.configurationId === undefined ? [] : [i.configurationId])),
    groupIds: chosen.flatMap((i) => (i.groupId === undefined ? [] : [i.groupId])),
  };
}

/** What the user pastes into a shell (LiteLLM) or reads as the placeholders to replace (Portkey). */
function copyText(engine: GatewayEngine, exported: GatewayExport): string {
  return exported.variables.map((v) => (engine === 'litellm' ? `export ${v.name}=` : `<${v.name}>`)).join('\n');
}

async function exportFor(host: HostContext, session: StoreSession, engine: GatewayEngine): Promise<vscode.Uri | undefined> {
  const spec = engines[engine];
  const title = spec.title();
  const selection = await pickSelection(session, title);
  if (!selection) return undefined;
  const uri = await showSaveDialog({ title, defaultUri: vscode.Uri.file(spec.file), filters: { [spec.filter()]: [spec.ext] }, saveLabel: vscode.l10n.t('Export') });
  if (!uri) return undefined;
  const { exportForGateway, recordGatewayExport } = await import('../lazyCore');
  const exported = await exportForGateway(session, engine, selection);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(exported.text));
  await recordGatewayExport(session, engine, exported);
  for (const line of exported.notCarried) host.log.warn(`${title}: not carried over: ${line}`);
  await vscode.window.showTextDocument(uri, { preview: false });
  const names = exported.variables.map((v) => v.name).join(', ');
  const summary = vscode.l10n.t('Exported {0} and {1} to {2}. No API key is in the file.', countOf(exported.configurations, 'configuration'), countOf(exported.groups, 'route group'), uri.fsPath);
  const keys = exported.variables.length === 0
    ? ''
    : engine === 'litellm'
      ? vscode.l10n.t('Set these environment variables where the proxy runs: {0}.', names)
      : vscode.l10n.t('Replace these placeholders with the keys: {0}.', exported.variables.map((v) => `<${v.name}>`).join(', '));
  const lost = exported.notCarried.length === 0 ? '' : engine === 'litellm'
    ? (exported.notCarried.length === 1 ? vscode.l10n.t('1 setting could not be carried over; the comment at the top of the file names it.') : vscode.l10n.t('{0} settings could not be carried over; the comment at the top of the file lists them.', exported.notCarried.length))
    : (exported.notCarried.length === 1 ? vscode.l10n.t('1 setting could not be carried over; the log names it.') : vscode.l10n.t('{0} settings could not be carried over; the log lists them.', exported.notCarried.length));
  const copy = vscode.l10n.t('Copy Variable Names');
  const details = vscode.l10n.t('Show Details');
  const actions = [...(exported.variables.length > 0 ? [copy] : []), ...(exported.notCarried.length > 0 && engine === 'portkey' ? [details] : [])];
  void showMessage('information', [summary, keys, lost].filter((s) => s !== '').join(' '), {}, ...actions).then(async (choice) => {
    if (choice === copy) await vscode.env.clipboard.writeText(copyText(engine, exported));
    if (choice === details) host.log.show(true);
  });
  return uri;
}

function report(host: HostContext, outcome: GatewayImportOutcome, uri: vscode.Uri): void {
  const { log } = host;
  for (const c of outcome.created) log.info(`Imported "${c.name}" (${c.provider}, ${c.model}) from ${uri.fsPath}. ${(outcome.configurationNotes.get(c.name) ?? []).join(' ')}`.trim());
  const problems = [...outcome.rejected.map((r) => r.reasons.join(' ')), ...outcome.failed];
  for (const p of [...problems, ...outcome.notes]) log.warn(`From ${uri.fsPath}: ${p}`);
  const keysLater = outcome.created.filter((c) => c.encryptedApiKey === null).length;
  const summary = vscode.l10n.t('Imported {0} and {1} from {2}.', countOf(outcome.created.length, 'configuration'), countOf(outcome.groups.length, 'route group'), uri.fsPath);
  const keys = keysLater === 0 ? '' : (keysLater === 1 ? vscode.l10n.t('1 needs an API key: the file names only environment variables, which are never read. Enter the key with "Rotate API Key".') : vscode.l10n.t('{0} need an API key: the file names only environment variables, which are never read. Enter each key with "Rotate API Key".', keysLater));
  const details = vscode.l10n.t('Show Details');
  const text = [summary, keys, problems.length === 0 ? '' : (problems.length === 1 ? vscode.l10n.t('1 entry was not imported: {0}', problems.slice(0, 2).join(' ')) : vscode.l10n.t('{0} entries were not imported: {1}', problems.length, problems.slice(0, 2).join(' ')))].filter((s) => s !== '').join(' ');
  void showMessage(problems.length === 0 ? 'information' : 'warning', text, {}, details).then((choice) => {
    if (choice === details) log.show(true);
  });
}

/** Export for LiteLLM Proxy…, Export for Portkey Gateway… and Import from LiteLLM config.yaml…. */
export function registerGatewayCommands(host: HostContext): vscode.Disposable[] {
  return [
    sessionCommand(host, 'modelManager.exportForLiteLLM', (session) => exportFor(host, session, 'litellm')),
    sessionCommand(host, 'modelManager.exportForPortkey', (session) => exportFor(host, session, 'portkey')),
    sessionCommand(host, 'modelManager.importLiteLLMConfig', async (session): Promise<GatewayImportOutcome | undefined> => {
      const uri = await showOpenDialog({ title: vscode.l10n.t('Import from LiteLLM config.yaml'), canSelectMany: false, filters: { [vscode.l10n.t('LiteLLM proxy config')]: ['yaml', 'yml'] }, openLabel: vscode.l10n.t('Import') });
      if (!uri) return undefined;
      const { importLiteLLMUserData, MAX_LITELLM_BYTES } = await import('../lazyCore');
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_LITELLM_BYTES) throw new Error(vscode.l10n.t('{0} is {1} MB, more than a LiteLLM config can be here ({2} MB). Check that this is the proxy\'s config.yaml.', uri.fsPath, (stat.size / 1e6).toFixed(1), (MAX_LITELLM_BYTES / 1e6).toFixed(0)));
      const text = new TextDecoder('utf-8', { fatal: false }).decode(await vscode.workspace.fs.readFile(uri));
      const outcome = await importLiteLLMUserData(session, text);
      report(host, outcome, uri);
      return outcome;
    }),
  ];
}

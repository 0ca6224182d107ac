import * as vscode from 'vscode';
import { sessionCommand } from './sessionCommand';
import type { HostContext } from '../hostContext';
import type { ImportOutcome } from '../../core/importExport';
import type { TemplateView } from '../../protocol';
import { ask, checks } from '../prompts';
import { pickOne, showOpenDialog, showSaveDialog } from '../promptSeam';
import type { StoreSession } from '../../core/session';
import { registerGatewayCommands } from './gatewayCommands';
import { registerTemplateCommands } from './templateCommands';
import { countOf } from '../../protocol/counts';

export type { ImportOutcome } from '../../core/importExport';

/** Create from Template, Import Configurations (our bundles and Continue's config) and Export Configurations. */
export function registerDataCommands(host: HostContext): vscode.Disposable[] {
  const { log } = host;
  return [
    ...registerTemplateCommands(host),
    ...registerGatewayCommands(host),
    // A template id at most: the name and the key are always the user's answers, files always the user's choice.
    sessionCommand(host, 'modelManager.createFromTemplate', async (session, templateId?: unknown) => {
      const { seededTemplates } = await import('../lazyCore');
      const templates = await seededTemplates(session);
      const template = typeof templateId === 'string'
        ? templates.find((t) => t.id === templateId)
        : (await pickOne(
            await groupedByProvider(session, templates),
            { title: vscode.l10n.t('Create from Template'), placeHolder: vscode.l10n.t('Which model?'), matchOnDescription: true, matchOnDetail: true },
          ));
      if (!template) return undefined;
      const chosen = templates.find((t) => t.id === template.id);
      if (!chosen) return undefined;
      const { draftFromTemplate } = await import('../lazyCore');
      const taken = session.configurations.listConfigurations().map((c) => c.name);
      const draft = draftFromTemplate({ ...chosen, config: chosen.settings }, taken);
      const provider = await session.providers.get(draft.provider);
      let apiKey: string | undefined;
      const typedName = await ask({ title: chosen.name, prompt: vscode.l10n.t('A name for the configuration'), value: draft.name, validate: checks.name(session.configurations) });
      if (typedName === undefined) return undefined;
      const name = typedName.trim();
      if (provider.apiKey !== 'none') {
        apiKey = await ask({ title: chosen.name, prompt: vscode.l10n.t('The {0} API key (stored encrypted)', provider.displayName), password: true, validate: (v) => (provider.apiKey === 'optional' && v === '' ? undefined : checks.apiKey(v)) });
        if (apiKey === undefined) return undefined;
      }
      let model = draft.model;
      if (!model) {
        const typed = await ask({ title: chosen.name, prompt: vscode.l10n.t('The model id this server serves'), validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a model id.')) });
        if (!typed) return undefined;
        model = typed.trim();
      }
      return await session.configurations.createConfiguration({
        name,
        provider: draft.provider,
        settings: { ...draft.config, model },
        ...(apiKey ? { apiKey } : {}),
      });
    }),

    sessionCommand(host, 'modelManager.exportConfigurations', async (session) => {
      const uri = await showSaveDialog({
        title: vscode.l10n.t('Export Configurations'),
        defaultUri: vscode.Uri.file('model-manager-configurations.json'),
        filters: { [vscode.l10n.t('Model Manager bundle')]: ['json'] },
        saveLabel: vscode.l10n.t('Export'),
      });
      if (!uri) return undefined;
      const { exportUserData, recordExport } = await import('../lazyCore');
      const exported = exportUserData(session);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(exported.text));
      await recordExport(session, exported);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Exported {0} and {1} to {2}. API keys are never exported: enter them again after importing.', countOf(exported.configurations, 'configuration'), countOf(exported.templates, 'template'), uri.fsPath),
      );
      return uri;
    }),

    sessionCommand(host, 'modelManager.importConfigurations', async (session): Promise<ImportOutcome | undefined> => {
      const uri = await showOpenDialog({
        title: vscode.l10n.t('Import Configurations'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Model Manager bundle or Continue config')]: ['json', 'yaml', 'yml'] },
        openLabel: vscode.l10n.t('Import'),
      });
      if (!uri) return undefined;
      const outcome = await importFile(session, uri);
      report(outcome, uri, log);
      return outcome;
    }),
  ];
}

/** Template picks under one separator per provider, in the registry's order (OpenAI, Gemini, Ollama, …). */
async function groupedByProvider(session: StoreSession, templates: readonly TemplateView[]): Promise<(vscode.QuickPickItem & { id: string })[]> {
  const providers = await session.providers.list();
  const order = new Map(providers.map((p, index) => [p.id, index]));
  const names = new Map(providers.map((p) => [p.id, p.displayName]));
  const sorted = [...templates].sort((a, b) => (order.get(a.provider) ?? 99) - (order.get(b.provider) ?? 99) || a.name.localeCompare(b.name));
  const items: (vscode.QuickPickItem & { id: string })[] = [];
  let previous: string | undefined;
  for (const t of sorted) {
    if (t.provider !== previous) items.push({ label: names.get(t.provider) ?? t.provider, kind: vscode.QuickPickItemKind.Separator, id: '' });
    previous = t.provider;
    items.push({ label: t.name, description: t.model || vscode.l10n.t('choose a model from the server'), detail: t.description, id: t.id });
  }
  return items;
}

async function importFile(session: StoreSession, uri: vscode.Uri): Promise<ImportOutcome> {
  const { importUserData, MAX_BUNDLE_BYTES } = await import('../lazyCore');
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_BUNDLE_BYTES) {
    throw new Error(vscode.l10n.t('{0} is {1} MB, more than an import can be ({2} MB). Check that this is the file you meant.', uri.fsPath, (stat.size / 1e6).toFixed(1), (MAX_BUNDLE_BYTES / 1e6).toFixed(0)));
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(await vscode.workspace.fs.readFile(uri));
  return importUserData(session, text);
}

function report(outcome: ImportOutcome, uri: vscode.Uri, log: vscode.LogOutputChannel): void {
  const problems = [...outcome.rejected.map((r) => r.reasons.join(' ')), ...outcome.failed];
  for (const c of outcome.created) {
    log.info(`Imported "${c.name}" (${c.provider}, ${c.model}) from ${uri.fsPath}${c.encryptedApiKey ? '' : '; enter its API key with "Rotate API Key" if the provider needs one'}.`);
  }
  for (const p of problems) log.warn(`Not imported from ${uri.fsPath}: ${p}`);
  const summary = vscode.l10n.t('Imported {0} and {1} from {2}.', countOf(outcome.created.length, 'configuration'), countOf(outcome.templates, 'template'), uri.fsPath);
  if (problems.length === 0) {
    void vscode.window.showInformationMessage(summary);
    return;
  }
  const details = vscode.l10n.t('Show Details');
  void vscode.window
    .showWarningMessage(`${summary} ${(problems.length === 1 ? vscode.l10n.t('1 entry was not imported: {0}', problems.slice(0, 2).join(' ')) : vscode.l10n.t('{0} entries were not imported: {1}', problems.length, problems.slice(0, 2).join(' ')))}`, details)
    .then((choice) => {
      if (choice === details) log.show(true);
    });
}

import * as vscode from 'vscode';
import type { ModelInfo, OllamaModelDetails } from '../../core/providers';
import { markdownText } from '../../core/text';
import type { StoreSession } from '../../core/session';
import type { AIConfiguration } from '../../core/store';
import type { HostContext } from '../hostContext';
import { pickOne, showMessage } from '../promptSeam';
import { resolveConfiguration } from '../prompts';
import { cancelled, sessionCommand } from './sessionCommand';
import { OLLAMA_DETAILS_SCHEME, type OllamaDetailsDocuments } from '../views/ollamaDetailsDocuments';

type Target = Awaited<ReturnType<StoreSession['providerAccess']['targetOf']>>;

/** A tree node of an installed model, or nothing (then the user picks the server and the model). */
type ModelArgument = { readonly kind?: unknown; readonly configuration?: { readonly id?: unknown } | null; readonly model?: { readonly id?: unknown } | null } | null | undefined;

/** Delete Model and Show Details on an Ollama server's installed models (the tree's model nodes, or the palette). */
export function registerOllamaModelCommands(host: HostContext, documents: OllamaDetailsDocuments): vscode.Disposable[] {
  return [
    sessionCommand(host, 'modelManager.deleteOllamaModel', async (session, arg?: ModelArgument) => {
      const { configuration, model, provider } = await resolveModel(session, arg, vscode.l10n.t('Delete which model?'));
      const size = model.sizeBytes === undefined ? undefined : formatBytes(model.sizeBytes);
      const users = session.configurations.listConfigurations().filter((c) => c.provider === 'ollama' && c.baseUrl === configuration.baseUrl && sameModel(c.model, model.id));
      const detail = [
        size ? vscode.l10n.t('This frees {0} of disk on the Ollama server at {1}.', size, configuration.baseUrl ?? '') : vscode.l10n.t('The server did not say how much disk this frees.'),
        users.length > 0 ? vscode.l10n.t('Used by {0}: they stop working until the model is pulled again.', users.map((c) => `"${c.name}"`).join(', ')) : '',
      ].filter(Boolean).join(' ');
      const remove = vscode.l10n.t('Delete Model');
      if ((await showMessage('warning', vscode.l10n.t('Delete {0} from "{1}"?', model.id, configuration.name), { modal: true, detail }, remove)) !== remove) return false;
      if (!provider.deleteModel) throw new Error(vscode.l10n.t('{0} cannot delete models.', provider.displayName));
      // The same delete and audit entry as the editor's Ollama screen.
      const { OllamaModels } = await import('../lazyCore');
      await new OllamaModels(session).delete(configuration.id, model);
      // The adapter dropped its cached list: the tree lists the server again.
      host.tree.refresh();
      void vscode.window.showInformationMessage(size ? vscode.l10n.t('Deleted {0} from "{1}", freeing {2}.', model.id, configuration.name, size) : vscode.l10n.t('Deleted {0} from "{1}".', model.id, configuration.name));
      return true;
    }),

    sessionCommand(host, 'modelManager.showOllamaModelDetails', async (session, arg?: ModelArgument) => {
      const { configuration, model, provider, target } = await resolveModel(session, arg, vscode.l10n.t('Show the details of which model?'));
      if (!provider.showModel) throw new Error(vscode.l10n.t('{0} cannot describe models.', provider.displayName));
      const details = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the details of {0}…', model.id) },
        () => provider.showModel?.(target, model.id) ?? Promise.reject(new Error('unreachable')),
      );
      const markdown = detailsMarkdown(configuration, model, details);
      const uri = vscode.Uri.from({ scheme: OLLAMA_DETAILS_SCHEME, path: `/${model.id.replace(/[/\\]/g, '_')}.md`, query: configuration.id });
      documents.set(uri, markdown);
      const document = await vscode.workspace.openTextDocument(uri);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        // Without the built-in Markdown extension the source is readable too.
        await vscode.window.showTextDocument(document, { preview: true });
      }
      return markdown;
    }),
  ];
}

/** The configuration and installed model a command acts on: from a tree node (checked against the live list) or asked. */
async function resolveModel(session: StoreSession, arg: ModelArgument, placeHolder: string): Promise<{ configuration: AIConfiguration; model: ModelInfo } & Target> {
  // typeof null is 'object': a caller that passes null gets the questions, as with no argument.
  const fromNode = typeof arg === 'object' && arg !== null && arg.kind === 'model' ? arg : undefined;
  const configuration = await resolveConfiguration(session.configurations, fromNode, vscode.l10n.t('On which Ollama server?'), (c) => c.provider === 'ollama');
  if (!configuration) return cancelled();
  const { provider, target } = await session.providerAccess.targetOf(configuration);
  // Fetched afresh: the size and the model must be what the server has now, whoever passed the node.
  const models = await provider.listModels(target, { refresh: true });
  const wanted = typeof fromNode?.model?.id === 'string' ? fromNode.model.id : undefined;
  let model = wanted === undefined ? undefined : models.find((m) => m.id === wanted);
  if (wanted !== undefined && !model) throw new Error(vscode.l10n.t('"{0}" no longer has {1} installed.', configuration.name, wanted));
  if (!model) {
    if (models.length === 0) throw new Error(vscode.l10n.t('"{0}" has no models installed. Pull one with "Model Manager: Pull Ollama Model".', configuration.name));
    const picked = await pickOne(models.map((m) => ({ label: m.id, description: m.sizeBytes === undefined ? '' : formatBytes(m.sizeBytes), model: m })), { title: configuration.name, placeHolder });
    model = picked?.model ?? cancelled();
  }
  return { configuration, model, provider, target };
}

/** "llama3.2" names the same model as "llama3.2:latest". */
function sameModel(a: string, b: string): boolean {
  const full = (name: string): string => (name.includes(':') ? name : `${name}:latest`);
  return full(a) === full(b);
}

/** Bytes as Ollama's own `ollama list` shows them: decimal units, one decimal place. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${String(bytes)} B` : [value.toFixed(1), units[unit] ?? ''].join(' ');
}

function detailsMarkdown(configuration: AIConfiguration, model: ModelInfo, d: OllamaModelDetails): string {
  const unknown = vscode.l10n.t('not stated');
  const licence = d.license?.trim();
  const firstLine = licence?.split('\n')[0]?.trim();
  const modified = d.modifiedAt ? new Date(d.modifiedAt) : undefined;
  const rows: [string, string][] = [
    [vscode.l10n.t('Family'), d.family ?? unknown],
    [vscode.l10n.t('Parameters'), d.parameterSize ?? unknown],
    [vscode.l10n.t('Quantisation'), d.quantization ?? unknown],
    [vscode.l10n.t('Context length'), d.contextLength === undefined ? unknown : vscode.l10n.t('{0} tokens', d.contextLength.toLocaleString('en-US'))],
    [vscode.l10n.t('Capabilities'), d.capabilities.length > 0 ? d.capabilities.join(', ') : unknown],
    [vscode.l10n.t('Licence'), firstLine ?? unknown],
    [vscode.l10n.t('Size on disk'), model.sizeBytes === undefined ? unknown : formatBytes(model.sizeBytes)],
    [vscode.l10n.t('Modified'), modified && !Number.isNaN(modified.getTime()) ? `${modified.toISOString().slice(0, 16).replace('T', ' ')} UTC` : unknown],
  ];
  const lines = [
    `# ${markdownText(model.id)}`,
    '',
    vscode.l10n.t('Installed on "{0}" ({1}).', markdownText(configuration.name), markdownText(configuration.baseUrl ?? '')),
    '',
    `| ${vscode.l10n.t('Property')} | ${vscode.l10n.t('Value')} |`,
    '|---|---|',
    ...rows.map(([name, value]) => `| ${name} | ${markdownText(value)} |`),
  ];
  if (licence && licence !== firstLine) lines.push('', `## ${vscode.l10n.t('Licence')}`, '', '```text', licence.replace(/```/g, '``\u200b`'), '```');
  return `${lines.join('\n')}\n`;
}

import * as vscode from 'vscode';
import { abortOn, cancelled, sessionHandler } from './sessionCommand';
import type { HostContext } from '../hostContext';
import type { ModelInfo } from '../../core/providers';
import { SEALED_HEADER_VALUE } from '../../core/providers/secretHeaders';
import type { ConfigurationInput, ConfigurationUpdate } from '../../core/services';
import type { AIConfiguration } from '../../core/store';
import { ask, checks, resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { pickOne, showMessage } from '../promptSeam';
import type { StoreSession } from '../../core/session';
import { errorMessage } from '../../core/errors';

interface ProviderChoice extends vscode.QuickPickItem {
  readonly provider: string;
  readonly apiKey: 'required' | 'optional' | 'none';
  readonly baseUrl?: string;
  readonly preset?: string;
}

/** Add, edit, duplicate, delete and choose the active configuration. */
export function registerConfigurationCommands(host: HostContext): vscode.Disposable[] {
  const run = <A extends unknown[], R>(body: (session: StoreSession, ...args: A) => Promise<R>) => sessionHandler(host, body);

  return [
    // Every command takes at most what the tree and menus pass (a node or an id) and asks the user for the rest:
    // any other extension can run them, so no argument may carry settings, keys or a confirmation.
    vscode.commands.registerCommand('modelManager.addConfiguration', run(async (session) => {
      const created = await session.configurations.createConfiguration((await askForNewConfiguration(session)) ?? cancelled());
      void offerTest(created);
      return created;
    })),

    vscode.commands.registerCommand('modelManager.editConfiguration', run(async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Which configuration do you want to edit?'));
      if (!configuration) return undefined;
      const change = await askForEdit(session, configuration);
      if (!change) return undefined;
      return session.configurations.updateConfiguration(configuration.id, change, configuration);
    })),

    vscode.commands.registerCommand('modelManager.duplicateConfiguration', run(async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Which configuration do you want to duplicate?'));
      return configuration ? session.configurations.duplicateConfiguration(configuration.id) : undefined;
    })),

    vscode.commands.registerCommand('modelManager.deleteConfiguration', run(async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Which configuration do you want to delete?'));
      if (!configuration) return false;
      const remove = vscode.l10n.t('Delete');
      const confirmed = (await showMessage(
        'warning',
        vscode.l10n.t('Delete "{0}"?', configuration.name),
        { modal: true, detail: vscode.l10n.t('Its settings and stored API key are removed. Its usage history is kept.') },
        remove,
      )) === remove;
      if (!confirmed) return false;
      await session.configurations.deleteConfiguration(configuration.id);
      return true;
    })),

    vscode.commands.registerCommand('modelManager.setActiveConfiguration', run(async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Which configuration should be active?'));
      if (!configuration) return undefined;
      await session.configurations.setActiveConfiguration(configuration.id);
      return configuration;
    })),

    vscode.commands.registerCommand('modelManager.selectActiveModel', run(async (session) => {
      const active = session.configurations.getActiveConfiguration();
      const items = session.configurations.listConfigurations().map((c) => ({
        label: `${c.id === active?.id ? '$(check) ' : ''}${c.name}`,
        description: `${c.provider} · ${c.model}`,
        id: c.id,
      }));
      const add = { label: `$(add) ${vscode.l10n.t('Add Configuration…')}`, description: '', id: '' };
      const picked = await pickOne([...items, add], { placeHolder: vscode.l10n.t('Select the active model'), matchOnDescription: true });
      if (!picked) return undefined;
      if (!picked.id) return vscode.commands.executeCommand('modelManager.addConfiguration');
      await session.configurations.setActiveConfiguration(picked.id);
      return session.configurations.getConfiguration(picked.id);
    })),
  ];
}


async function offerTest(created: AIConfiguration): Promise<void> {
  const test = vscode.l10n.t('Test Connection');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Added "{0}" ({1}).', created.name, created.model), test);
  if (choice === test) await vscode.commands.executeCommand('modelManager.testConnection', created.id);
}

/** The palette flow: provider → name → endpoint → key → model, each checked as it is typed. */
async function askForNewConfiguration(session: StoreSession): Promise<ConfigurationInput | undefined> {
  const title = vscode.l10n.t('Add Configuration');
  const { compatiblePresets } = await import('../lazyCore');
  const providers = await session.providers.list();
  const choices: ProviderChoice[] = [
    ...providers
      .filter((p) => p.id !== 'openai-compatible')
      .map((p) => ({ label: p.displayName, description: keyNote(p.apiKey), provider: p.id, apiKey: p.apiKey })),
    { label: '', kind: vscode.QuickPickItemKind.Separator, provider: '', apiKey: 'none' },
    ...compatiblePresets.map((p) => ({
      label: p.displayName,
      description: vscode.l10n.t('OpenAI-compatible · {0}', p.baseUrl),
      provider: 'openai-compatible',
      apiKey: p.apiKey,
      baseUrl: p.baseUrl,
      preset: p.id,
    })),
    { label: vscode.l10n.t('Other OpenAI-compatible server…'), description: '', provider: 'openai-compatible', apiKey: 'optional' },
  ];
  const provider = await pickOne(choices, { title, placeHolder: vscode.l10n.t('Which provider?'), ignoreFocusOut: true });
  if (!provider) return undefined;

  const name = await ask({ title, prompt: vscode.l10n.t('A name you will recognise, e.g. "Work OpenAI"'), value: provider.label.replace(/…$/, ''), validate: checks.name(session.configurations) });
  if (name === undefined) return undefined;

  const needsEndpoint = provider.provider === 'ollama' || provider.provider === 'openai-compatible';
  const defaultUrl = provider.baseUrl ?? (provider.provider === 'ollama' ? 'http://127.0.0.1:11434' : undefined);
  const baseUrl = needsEndpoint
    ? await ask({ title, prompt: vscode.l10n.t('The server address'), ...(defaultUrl ? { value: defaultUrl } : {}), placeHolder: 'https://api.example.com/v1', validate: checks.url })
    : undefined;
  if (needsEndpoint && baseUrl === undefined) return undefined;

  let apiKey: string | undefined;
  if (provider.apiKey !== 'none') {
    apiKey = await ask({
      title,
      prompt: provider.apiKey === 'required' ? vscode.l10n.t('The API key (stored encrypted, never shown again)') : vscode.l10n.t('The API key, if the server needs one (leave empty if not)'),
      password: true,
      validate: (v) => (provider.apiKey === 'optional' && v === '' ? undefined : checks.apiKey(v)),
    });
    if (apiKey === undefined) return undefined;
  }

  const base = { ...(baseUrl ? { baseUrl: baseUrl.trim() } : {}), ...(provider.preset ? { preset: provider.preset } : {}) };
  const model = await askForModel(session, provider.provider, base, apiKey === '' ? undefined : apiKey, title);
  if (!model) return undefined;
  return { name: name.trim(), provider: provider.provider, settings: { ...base, model }, ...(apiKey ? { apiKey: apiKey.trim() } : {}) };
}

function keyNote(requirement: 'required' | 'optional' | 'none'): string {
  if (requirement === 'required') return vscode.l10n.t('needs an API key');
  if (requirement === 'optional') return vscode.l10n.t('API key optional');
  return vscode.l10n.t('no key needed');
}

/** Offers the provider's live model list; falls back to typing an id when the list cannot be fetched. */
async function askForModel(
  session: StoreSession,
  providerId: string,
  base: Record<string, unknown>,
  apiKey: string | undefined,
  title: string,
): Promise<string | undefined> {
  let models: readonly ModelInfo[] = [];
  let problem: string | undefined;
  try {
    const provider = await session.providers.get(providerId);
    const parsed = await session.providers.parseConfig(providerId, { ...base, model: 'placeholder' });
    if (parsed.ok) {
      models = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching the model list…'), cancellable: true },
        (_progress, token) => provider.listModels({ config: parsed.config, ...(apiKey ? { apiKey } : {}) }, { signal: abortOn(token) }),
      );
    }
  } catch (error) {
    problem = errorMessage(error);
  }
  if (models.length > 0) {
    const typeIt = { label: vscode.l10n.t('Enter a model id…'), id: '' };
    const picked = await pickOne(
      [...models.map((m) => ({ label: m.id, description: m.contextWindow ? vscode.l10n.t('{0} tokens context', m.contextWindow.toLocaleString('en-US')) : '', id: m.id })), typeIt],
      { title, placeHolder: vscode.l10n.t('Which model?'), ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if (picked.id) return picked.id;
  }
  const typed = await ask({
    title,
    prompt: problem ? vscode.l10n.t('The model list could not be fetched ({0}). Type the model id.', problem) : vscode.l10n.t('The model id, e.g. gpt-4.1-mini'),
    validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a model id.')),
  });
  return typed?.trim();
}

/** The palette edit flow: pick what to change, then change it with the provider's own rules checked as you type. */
async function askForEdit(session: StoreSession, configuration: AIConfiguration): Promise<ConfigurationUpdate | undefined> {
  const title = vscode.l10n.t('Edit "{0}"', configuration.name);
  const { settingsOf } = await import('../lazyCore');
  const settings = settingsOf(configuration);
  const schema = (await session.providers.schema(configuration.provider)) as { properties?: Record<string, { type?: string; description?: string }> };
  const fields = Object.entries(schema.properties ?? {}).filter(([key]) => key !== 'preset');
  const items = [
    { label: vscode.l10n.t('Name'), description: configuration.name, field: '#name' },
    ...fields.map(([key, property]) => ({
      label: key,
      description: describeValue(settings[key]),
      detail: property.description ?? '',
      field: key,
    })),
    { label: configuration.isActive ? vscode.l10n.t('Disable') : vscode.l10n.t('Enable'), description: vscode.l10n.t('whether it is offered in chat'), field: '#active' },
  ];
  const picked = await pickOne(items, { title, placeHolder: vscode.l10n.t('What do you want to change?'), matchOnDetail: true });
  if (!picked) return undefined;
  if (picked.field === '#name') {
    const name = await ask({ title, prompt: vscode.l10n.t('New name'), value: configuration.name, validate: checks.name(session.configurations, configuration.name) });
    return name === undefined ? undefined : { name: name.trim() };
  }
  if (picked.field === '#active') return { isActive: !configuration.isActive };
  const field = picked.field;
  const type = schemaType(fields.find(([key]) => key === field)?.[1]);
  const current = settings[field];
  const raw = await ask({
    title,
    prompt: field === 'headers'
      ? vscode.l10n.t('Headers as JSON (leave empty for none). Headers whose name contains key, secret, token, passw, credential, auth, cookie, session or signature, or whose value looks like a key, are stored encrypted; keep "{0}" to keep a stored value.', SEALED_HEADER_VALUE)
      : vscode.l10n.t('{0} (leave empty for the provider default)', field),
    value: current === undefined ? '' : typeof current === 'string' ? current : JSON.stringify(current),
    validate: async (value) => {
      const next = withField(settings, field, value, type);
      if (next === 'invalid') return vscode.l10n.t('Enter a {0}.', type);
      const parsed = await session.configurations.validateProvider(configuration.provider, next);
      if (parsed.ok) return undefined;
      const problem = parsed.errors.find((e) => e.field === field || e.field.startsWith(`${field}.`)) ?? parsed.errors[0];
      return problem ? `${problem.field || field}: ${problem.message}` : undefined;
    },
  });
  if (raw === undefined) return undefined;
  const next = withField(settings, field, raw, type);
  return next === 'invalid' ? undefined : { settings: next };
}

function describeValue(value: unknown): string {
  if (value === undefined) return vscode.l10n.t('default');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function schemaType(property: { type?: string } | undefined): string {
  return property?.type ?? 'string';
}

/** The settings with one field set from what the user typed (empty = default); 'invalid' if it does not parse. */
function withField(settings: Record<string, unknown>, field: string, raw: string, type: string): Record<string, unknown> | 'invalid' {
  const text = raw.trim();
  if (text === '') return Object.fromEntries(Object.entries(settings).filter(([key]) => key !== field));
  const next = { ...settings };
  if (type === 'number' || type === 'integer') {
    const value = Number(text);
    if (!Number.isFinite(value)) return 'invalid';
    next[field] = value;
  } else if (type === 'object' || type === 'array' || type === 'boolean') {
    try {
      next[field] = JSON.parse(text) as unknown;
    } catch {
      return 'invalid';
    }
  } else {
    next[field] = text;
  }
  return next;
}

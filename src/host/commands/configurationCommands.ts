import * as vscode from 'vscode';
import { providerDisplayName } from '../../core/providers/displayNames';
import { abortOn, cancelled, sessionHandler } from './sessionCommand';
import type { HostContext } from '../hostContext';
import type { ModelInfo } from '../../core/providers';
import { SEALED_HEADER_VALUE } from '../../core/providers/secretHeaders';
import type { ConfigurationInput, ConfigurationUpdate } from '../../core/services';
import type { AIConfiguration, ProviderTemplate } from '../../core/store';
import { ask, askStep, checks, resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { BACK, pickOne, pickOneStep, showMessage, type Back, type StepOptions } from '../promptSeam';
import type { StoreSession } from '../../core/session';
import { askKeyDestination, keyDestinationOf } from '../keyDestination';

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
      return saveEdit(session, configuration, change);
    })),

    vscode.commands.registerCommand('modelManager.duplicateConfiguration', run(async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Which configuration do you want to duplicate?'));
      return configuration ? session.configurations.duplicateConfiguration(configuration.id) : undefined;
    })),

    vscode.commands.registerCommand('modelManager.deleteConfiguration', run(async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Which configuration do you want to delete?'));
      if (!configuration) return false;
      const remove = vscode.l10n.t('Delete');
      const budgets = session.budgets.listBudgets().filter((b) => b.configurationId === configuration.id).length;
      const detail = budgets === 0
        ? vscode.l10n.t('Its settings and stored API key are removed. Its usage history is kept.')
        : budgets === 1
          ? vscode.l10n.t('Its settings, stored API key and budget are removed. Its usage history is kept.')
          : vscode.l10n.t('Its settings, stored API key and {0} budgets are removed. Its usage history is kept.', budgets);
      const confirmed = (await showMessage(
        'warning',
        vscode.l10n.t('Delete "{0}"?', configuration.name),
        { modal: true, detail },
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
        description: `${providerDisplayName(c.provider, c.config.preset)} · ${c.model}`,
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

type Step = 'provider' | 'name' | 'address' | 'key' | 'model';

/** What the user has answered so far; going Back keeps it, so a step shows its earlier answer. */
interface Answers {
  provider?: ProviderChoice;
  /** The provider's default template, which the later steps start from. */
  template?: ProviderTemplate | undefined;
  name?: string;
  baseUrl?: string;
  apiKey?: string;
}

function needsAddress(provider: ProviderChoice | undefined): boolean {
  return provider?.provider === 'ollama' || provider?.provider === 'openai-compatible';
}

/**
 * The palette flow: provider → name → endpoint → key → model, each checked as it is typed, each with a Back button.
 * When the model list shows the settings cannot work (a refused key, no API at that address), the model step says
 * so and offers to re-enter the key, edit the address or save anyway, instead of saving in silence.
 */
async function askForNewConfiguration(session: StoreSession): Promise<ConfigurationInput | undefined> {
  const title = vscode.l10n.t('Add Configuration');
  const { compatiblePresets, uniqueName } = await import('../lazyCore');
  const { templates } = session;
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
  const answers: Answers = {};
  const stepsOf = (provider: ProviderChoice | undefined): Step[] => ['provider', 'name', ...(needsAddress(provider) ? ['address' as const] : []), ...(provider?.apiKey === 'none' ? [] : ['key' as const]), 'model'];
  let step: Step = 'provider';
  // A fix chosen at the model step (the key, the address) returns to the model step once it is answered.
  let resume: Step | undefined;
  for (;;) {
    const steps = stepsOf(answers.provider);
    const index = steps.indexOf(step);
    // Until the provider is chosen, the number of steps is not known.
    const at = { title, step: index + 1, ...(answers.provider ? { totalSteps: steps.length } : {}), canGoBack: index > 0 };
    const back = (): void => {
      resume = undefined;
      step = steps[index - 1] ?? 'provider';
    };
    const forward = (): void => {
      step = resume ?? steps[index + 1] ?? 'model';
      resume = undefined;
    };
    const provider = answers.provider;
    if (step === 'provider' || !provider) {
      const picked = await pickOneStep(choices, { ...at, placeHolder: vscode.l10n.t('Which provider?'), ignoreFocusOut: true });
      if (picked === undefined || picked === BACK) return undefined;
      // Another provider starts afresh from the name on; the same one keeps what was typed.
      if (picked !== provider) {
        answers.provider = picked;
        answers.template = templates.defaultFor(picked.provider, picked.preset);
        delete answers.name;
        delete answers.baseUrl;
        delete answers.apiKey;
      }
      step = 'name';
      continue;
    }
    if (step === 'name') {
      const { template } = answers;
      const suggested = template ? uniqueName(template.name, session.configurations.listConfigurations().map((c) => c.name)) : provider.label.replace(/…$/, '');
      const prompt = template
        ? vscode.l10n.t('A name you will recognise. Starting from your default template "{0}" ({1}).', template.name, template.model)
        : vscode.l10n.t('A name you will recognise, e.g. "Work OpenAI"');
      const name = await askStep({ ...at, prompt, value: answers.name ?? suggested, validate: checks.name(session.configurations) });
      if (name === undefined) return undefined;
      if (name === BACK) back();
      else {
        answers.name = name;
        forward();
      }
      continue;
    }
    if (step === 'address') {
      const defaultUrl = provider.baseUrl ?? (provider.provider === 'ollama' ? 'http://127.0.0.1:11434' : undefined);
      const value = answers.baseUrl ?? templateAddress(answers.template) ?? defaultUrl;
      const baseUrl = await askStep({ ...at, prompt: vscode.l10n.t('The server address'), ...(value ? { value } : {}), placeHolder: 'https://api.example.com/v1', validate: checks.url });
      if (baseUrl === undefined) return undefined;
      if (baseUrl === BACK) back();
      else {
        answers.baseUrl = baseUrl.trim();
        forward();
      }
      continue;
    }
    if (step === 'key') {
      const apiKey = await askStep({
        ...at,
        prompt: provider.apiKey === 'required' ? vscode.l10n.t('The API key (stored encrypted, never shown again)') : vscode.l10n.t('The API key, if the server needs one (leave empty if not)'),
        password: true,
        ...(answers.apiKey ? { value: answers.apiKey } : {}),
        validate: (v) => (provider.apiKey === 'optional' && v === '' ? undefined : checks.apiKey(v)),
      });
      if (apiKey === undefined) return undefined;
      if (apiKey === BACK) back();
      else {
        answers.apiKey = apiKey.trim();
        forward();
      }
      continue;
    }
    const address = answers.baseUrl ?? templateAddress(answers.template);
    const base = { ...(address ? { baseUrl: address } : {}), ...(provider.preset ? { preset: provider.preset } : {}) };
    const apiKey = answers.apiKey === '' ? undefined : answers.apiKey;
    const outcome = await askForModel(session, provider, base, apiKey, at, answers.template?.model);
    if (outcome === undefined) return undefined;
    if (outcome === BACK) {
      back();
      continue;
    }
    if (outcome.kind === 'go') {
      if (outcome.baseUrl) answers.baseUrl = outcome.baseUrl;
      resume = outcome.step === 'model' ? undefined : 'model';
      step = outcome.step;
      continue;
    }
    return { name: (answers.name ?? '').trim(), provider: provider.provider, settings: { ...templateSettings(answers.template), ...base, model: outcome.model }, ...(apiKey ? { apiKey } : {}) };
  }
}

function templateAddress(template: ProviderTemplate | undefined): string | undefined {
  return typeof template?.config.baseUrl === 'string' ? template.config.baseUrl : undefined;
}

/** A default template's settings other than the model and address, which the wizard asks for. */
function templateSettings(template: ProviderTemplate | undefined): Record<string, unknown> {
  if (!template) return {};
  return Object.fromEntries(Object.entries(template.config).filter(([key]) => key !== 'baseUrl' && key !== 'model'));
}

function keyNote(requirement: 'required' | 'optional' | 'none'): string {
  if (requirement === 'required') return vscode.l10n.t('needs an API key');
  if (requirement === 'optional') return vscode.l10n.t('API key optional');
  return vscode.l10n.t('no key needed');
}

type ModelOutcome = { readonly kind: 'model'; readonly model: string } | { readonly kind: 'go'; readonly step: Step; readonly baseUrl?: string };

/**
 * Offers the provider's live model list (chat models only); when the list fails, says why and lets the user fix the
 * key or the address, try the address with /v1 (a 404 under an address without it), or save anyway with a typed id.
 */
async function askForModel(
  session: StoreSession,
  choice: ProviderChoice,
  base: Record<string, unknown>,
  apiKey: string | undefined,
  at: StepOptions & { readonly title: string },
  preferred?: string,
): Promise<ModelOutcome | Back | undefined> {
  let models: readonly ModelInfo[] = [];
  let failure: unknown;
  try {
    const provider = await session.providers.get(choice.provider);
    const parsed = await session.providers.parseConfig(choice.provider, { ...base, model: 'placeholder' });
    if (parsed.ok) {
      const { chatModelsOf } = await import('../lazyCore');
      const listed = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching the model list…'), cancellable: true },
        (_progress, token) => provider.listModels({ config: parsed.config, ...(apiKey ? { apiKey } : {}) }, { signal: abortOn(token) }),
      );
      models = chatModelsOf(listed);
    }
  } catch (error) {
    failure = error;
  }
  for (;;) {
    if (failure !== undefined) {
      const fix = await askHowToRecover(choice, base, failure, at);
      if (fix === undefined || fix === BACK) return fix;
      if (fix.kind === 'go') return fix;
    } else if (models.length > 0) {
      const typeIt = { label: vscode.l10n.t('Enter a model id…'), id: '' };
      // The default template's model comes first, so Enter keeps it.
      const ordered = preferred && models.some((m) => m.id === preferred) ? [...models.filter((m) => m.id === preferred), ...models.filter((m) => m.id !== preferred)] : models;
      const described = (m: ModelInfo): string => [m.id === preferred ? vscode.l10n.t('from your default template') : '', m.contextWindow ? vscode.l10n.t('{0} tokens context', m.contextWindow.toLocaleString('en-US')) : ''].filter(Boolean).join(' · ');
      const picked = await pickOneStep(
        [...ordered.map((m) => ({ label: m.id, description: described(m), id: m.id })), typeIt],
        { ...at, placeHolder: vscode.l10n.t('Which model?'), ignoreFocusOut: true },
      );
      if (picked === undefined || picked === BACK) return picked;
      if (picked.id) return { kind: 'model', model: picked.id };
    }
    const typed = await askStep({
      ...at,
      canGoBack: true,
      prompt: vscode.l10n.t('The model id, e.g. gpt-4.1-mini'),
      ...(preferred ? { value: preferred } : {}),
      validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a model id.')),
    });
    if (typed === undefined) return undefined;
    // Back from typing the id returns to the list or the choices it came from (or the step before, with neither).
    if (typed === BACK) {
      if (failure === undefined && models.length === 0) return BACK;
      continue;
    }
    return { kind: 'model', model: typed.trim() };
  }
}

type Recovery = { readonly kind: 'go'; readonly step: Step; readonly baseUrl?: string } | { readonly kind: 'type' };

/** The model list failed: what went wrong, and the ways on (the first one the likeliest fix). */
async function askHowToRecover(
  choice: ProviderChoice,
  base: Record<string, unknown>,
  failure: unknown,
  at: StepOptions & { readonly title: string },
): Promise<Recovery | Back | undefined> {
  const { ProviderError } = await import('../lazyCore');
  const error = failure instanceof ProviderError ? failure : undefined;
  const keyProblem = error?.kind === 'auth' || error?.kind === 'forbidden';
  const baseUrl = typeof base.baseUrl === 'string' ? base.baseUrl : undefined;
  const withV1 = choice.provider === 'openai-compatible' && error?.kind === 'not-found' && baseUrl !== undefined ? addV1(baseUrl) : undefined;
  const items: (vscode.QuickPickItem & { readonly fix: Recovery })[] = [];
  if (withV1) {
    items.push({ label: `$(lightbulb) ${vscode.l10n.t('Use {0}', withV1)}`, detail: vscode.l10n.t('The server has no model list at this address: OpenAI-compatible servers usually answer under /v1.'), fix: { kind: 'go', step: 'model', baseUrl: withV1 } });
  }
  const reenter = choice.apiKey === 'none' ? undefined : { label: `$(key) ${vscode.l10n.t('Re-enter key')}`, detail: vscode.l10n.t('Type the API key again.'), fix: { kind: 'go', step: 'key' } as const };
  const edit = needsAddress(choice) ? { label: `$(link) ${vscode.l10n.t('Edit address')}`, detail: vscode.l10n.t('Change the server address ({0}).', baseUrl ?? ''), fix: { kind: 'go', step: 'address' } as const } : undefined;
  for (const item of keyProblem ? [reenter, edit] : [edit, reenter]) if (item) items.push(item);
  items.push({ label: `$(warning) ${vscode.l10n.t('Save anyway')}`, detail: vscode.l10n.t('Type the model id and save these settings as they are; connection tests will fail until they are fixed.'), fix: { kind: 'type' } });
  const reason = error ? error.message : failure instanceof Error ? failure.message : String(failure);
  const picked = await pickOneStep(items, { ...at, placeHolder: vscode.l10n.t('The model list failed: {0} What now?', reason), ignoreFocusOut: true });
  if (picked === undefined || picked === BACK) return picked;
  return picked.fix;
}

/** The address with /v1 added to its path, or undefined when its path already ends in a version (/v1, /v1beta). */
function addV1(baseUrl: string): string | undefined {
  try {
    const url = new URL(baseUrl);
    if (/\/v\d+\w*\/?$/.test(url.pathname)) return undefined;
    return `${baseUrl.replace(/\/+$/, '')}/v1`;
  } catch {
    return undefined;
  }
}

/** The palette edit flow: pick what to change, then change it with the provider's own rules checked as you type. */
/** Saves an edit; a new address on another server takes the stored key along only if the user says so, or gets a new key. */
async function saveEdit(session: StoreSession, configuration: AIConfiguration, change: ConfigurationUpdate): Promise<AIConfiguration | undefined> {
  try {
    return await session.configurations.updateConfiguration(configuration.id, change, configuration);
  } catch (error) {
    const server = keyDestinationOf(error);
    if (server === undefined) throw error;
    const choice = await askKeyDestination(configuration.name, server, true);
    if (choice === undefined) return undefined;
    if (choice === 'send') return session.configurations.updateConfiguration(configuration.id, { ...change, sendStoredKeyTo: server }, configuration);
    const apiKey = await ask({ title: vscode.l10n.t('API key of "{0}" for {1}', configuration.name, server), prompt: vscode.l10n.t('The API key for the new server (stored encrypted)'), password: true, validate: checks.apiKey });
    return apiKey === undefined ? undefined : session.configurations.updateConfiguration(configuration.id, { ...change, apiKey: apiKey.trim() }, configuration);
  }
}

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

import { checkName, nameProblemPhrase, nameProblemSentence } from '../../protocol/names';
import { SEALED_HEADER_VALUE, isSecretHeader, type ParsedConfig } from '../providers';
import { withoutSecrets as withoutSecretFields } from '../importExport/secrets';
import { ConfigurationError, describeFieldErrors } from '../services/errors';
import type { AIConfiguration, ProviderTemplate, Repositories, Store } from '../store';

export interface TemplateServiceDeps {
  readonly store: Store;
  readonly userId: string;
  readonly providers: { parseConfig(id: string, input: unknown): Promise<ParsedConfig> };
}

export interface TemplateInput {
  readonly name: string;
  readonly description?: string;
}

export interface TemplateUpdate {
  readonly name?: string;
  readonly description?: string;
  /** The provider's settings as a whole (model and base URL included), replacing the stored ones. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Longest description kept (the editor's template view accepts no more). */
const MAX_DESCRIPTION = 2000;

/**
 * Templates of the user's own: saved from a configuration (never its key or secret headers), renamed, described,
 * their settings changed, deleted, and one per provider made the default that Add Configuration starts from.
 * Built-in templates come from the catalog and are refused here, with a message that says what to do instead.
 */
export class TemplateService {
  constructor(private readonly deps: TemplateServiceDeps) {}

  list(): ProviderTemplate[] {
    return this.deps.store.read((r) => r.templates.list());
  }

  /** The provider's default template (an OpenAI-compatible one only for the same preset, or for none). */
  defaultFor(provider: string, preset?: string): ProviderTemplate | undefined {
    const found = this.deps.store.read((r) => r.templates.defaultFor(provider));
    if (!found) return undefined;
    const its = typeof found.config.preset === 'string' ? found.config.preset : undefined;
    return provider === 'openai-compatible' && its !== preset ? undefined : found;
  }

  /** Save as Template: the configuration's provider, model, address and settings; no key, no secret header. */
  async saveFromConfiguration(configuration: AIConfiguration, input: TemplateInput): Promise<ProviderTemplate> {
    const name = templateName(input.name);
    const config = withoutSecrets({ ...configuration.config, ...(configuration.baseUrl ? { baseUrl: configuration.baseUrl } : {}) });
    const { userId } = this.deps;
    return this.deps.store.write((r) => {
      assertNameFree(r, name);
      const saved = r.templates.upsert({ provider: configuration.provider, name, model: configuration.model, description: description(input.description), config, isBuiltin: false });
      r.audit.record(userId, 'template.create', 'template', saved.id, { name, provider: saved.provider, model: saved.model, from: configuration.id });
      return saved;
    });
  }

  async update(id: string, update: TemplateUpdate): Promise<ProviderTemplate> {
    const current = this.ownTemplate(id);
    const name = update.name === undefined ? undefined : templateName(update.name);
    let settings: { model: string; config: Record<string, unknown> } | undefined;
    if (update.settings) {
      const parsed = await this.deps.providers.parseConfig(current.provider, update.settings);
      if (!parsed.ok) throw new ConfigurationError('validation', `Check the settings: ${describeFieldErrors(parsed.errors)}.`, { fieldErrors: parsed.errors });
      const { model, ...rest } = parsed.config as { model: string } & Record<string, unknown>;
      settings = { model, config: withoutSecrets(rest) };
    }
    const { userId } = this.deps;
    return this.deps.store.write((r) => {
      const latest = r.templates.get(id);
      if (!latest) throw notFound(id);
      if (name !== undefined && name.toLowerCase() !== latest.name.toLowerCase()) assertNameFree(r, name);
      const saved = r.templates.upsert({
        id,
        provider: latest.provider,
        name: name ?? latest.name,
        model: settings?.model ?? latest.model,
        description: update.description === undefined ? latest.description : description(update.description),
        config: settings?.config ?? latest.config,
        isBuiltin: false,
      });
      const fields = [...(name === undefined ? [] : ['name']), ...(update.description === undefined ? [] : ['description']), ...(settings ? ['settings'] : [])];
      r.audit.record(userId, 'template.update', 'template', id, { fields });
      return saved;
    });
  }

  async delete(id: string): Promise<void> {
    const template = this.ownTemplate(id);
    const { userId } = this.deps;
    await this.deps.store.write((r) => {
      if (!r.templates.delete(id)) throw notFound(id);
      r.audit.record(userId, 'template.delete', 'template', id, { name: template.name, provider: template.provider });
    });
  }

  /** Makes a template of one's own its provider's default (the previous default no longer is), or stops it being one. */
  async setDefault(id: string, isDefault: boolean): Promise<ProviderTemplate> {
    const template = this.ownTemplate(id);
    const { userId } = this.deps;
    return this.deps.store.write((r) => {
      const current = r.templates.defaultFor(template.provider);
      if (isDefault) r.templates.setDefault(template.provider, id);
      else if (current?.id === id) r.templates.setDefault(template.provider, null);
      r.audit.record(userId, 'template.setDefault', 'template', id, { provider: template.provider, isDefault, replaced: isDefault && current && current.id !== id ? current.id : null });
      return r.templates.get(id) ?? template;
    });
  }

  /** A template the user may change: it exists and is not built in. */
  private ownTemplate(id: string): ProviderTemplate {
    const found = this.deps.store.read((r) => r.templates.get(id));
    if (!found) throw notFound(id);
    if (found.isBuiltin) {
      throw new ConfigurationError('validation', `"${found.name}" is a built-in template and cannot be changed or deleted. Create a configuration from it and use "Save as Template" to make one of your own.`);
    }
    return found;
  }
}

/**
 * Settings without any credential: a header that carries one (a sealed one's placeholder, or a plain one from an older
 * version), any field named or shaped like one at any depth (an extra parameter "api_key"), the address's user info.
 */
export function withoutSecrets(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const headers = config.headers;
  const others = Object.fromEntries(Object.entries(config).filter(([name]) => name !== 'headers'));
  const rest = withoutSecretFields(others).config;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return rest;
  const kept = Object.entries(headers as Record<string, unknown>).filter(([name, value]) => typeof value === 'string' && value !== SEALED_HEADER_VALUE && !isSecretHeader(name, value));
  return kept.length > 0 ? { ...rest, headers: Object.fromEntries(kept) } : rest;
}

function templateName(raw: string): string {
  const checked = checkName(raw);
  if (checked.ok) return checked.name;
  throw new ConfigurationError('validation', nameProblemSentence(checked.problem, 'template'), { fieldErrors: [{ field: 'name', message: nameProblemPhrase(checked.problem) }] });
}

function description(text: string | undefined): string {
  return (text ?? '').trim().slice(0, MAX_DESCRIPTION);
}

function assertNameFree(r: Repositories, name: string): void {
  if (r.templates.list().some((t) => t.name.toLowerCase() === name.toLowerCase())) {
    throw new ConfigurationError('duplicate-name', `A template named "${name}" already exists. Choose another name.`, { fieldErrors: [{ field: 'name', message: 'this name is taken' }] });
  }
}

function notFound(id: string): ConfigurationError {
  return new ConfigurationError('not-found', `The template ${id} no longer exists (it may have been deleted in another window).`);
}

import type { IDisposable } from '../lifecycle';
import type { Emitter } from '../events';
import type { Logger } from '../logger';
import type { AIProvider, ParsedConfig, ProviderSummary } from '../providers';
import type { AIConfiguration, Repositories } from '../store';
import { ConfigurationError, describeFieldErrors, type FieldChange } from './errors';
import { checkName as checkNameRule, fitName, nameProblemPhrase, nameProblemSentence } from '../../protocol/names';
import { configurationRow, notFound } from './rows';
import { HEADERS_FIELD, hasSealedHeaders, separateSecretHeaders } from './secretHeaders';
import { plainCredentialFields } from './plainCredentials';
import { keyDestinationRefusal, newKeyDestination } from './keyDestination';
import { pastedKeyPaths } from './pastedKeys';
import type { SharedParts } from './shared';
import type { ConfigurationChange, ConfigurationInput, ConfigurationUpdate } from './types';
import { errorMessage } from '../errors';
import { auditEndpoint } from '../audit';

export interface ConfigurationServiceDeps extends SharedParts {
  readonly logger: Logger;
}

const ACTIVE_KEY = 'activeConfiguration:';

/**
 * The seed's ConfigurationService: every read and change of a user's configurations goes through it, so that
 * validation, the audit log and change events apply everywhere the same way. Keys are sealed by the KeyService; calls
 * to providers (tests, model lists) go through ProviderAccess.
 */
export class ConfigurationService {
  readonly onDidChange: Emitter<ConfigurationChange>['event'];

  constructor(private readonly deps: ConfigurationServiceDeps) {
    this.onDidChange = deps.changes.event;
  }

  /** `configurations.list` */
  listConfigurations(): AIConfiguration[] {
    return this.read((r) => r.configurations.list(this.deps.userId));
  }

  /** `configurations.get` */
  getConfiguration(id: string): AIConfiguration {
    return configurationRow(this.deps.store, this.deps.userId, id);
  }

  /** `providers.list` */
  listProviders(): Promise<readonly ProviderSummary[]> {
    return this.deps.providers.list();
  }

  /** Checks settings against the provider's schema; the field errors are what forms show. */
  async validateProvider(provider: string, settings: unknown): Promise<ParsedConfig> {
    try {
      return await this.deps.providers.parseConfig(provider, settings);
    } catch (error) {
      return { ok: false, errors: [{ field: 'provider', message: messageOf(error) }] };
    }
  }

  /** `configurations.create` */
  async createConfiguration(input: ConfigurationInput): Promise<AIConfiguration> {
    const name = checkName(input.name);
    const provider = await this.providerOrError(input.provider);
    const parsed = await this.parse(input.provider, input.settings);
    if (provider.apiKey === 'required' && !input.apiKey?.trim() && input.keyLater !== true) {
      throw new ConfigurationError('validation', `${provider.displayName} needs an API key.`, {
        fieldErrors: [{ field: 'apiKey', message: 'enter the API key' }],
      });
    }
    const apiKey = input.apiKey?.trim();
    const { userId } = this.deps;
    const tested = await this.deps.drafts.takeForNew(input.provider, input.settings, apiKey);
    const headers = separateSecretHeaders(parsed.rest, () => ({}));
    refusePlainCredentials(parsed.baseUrl, headers.config);
    const draftId = this.deps.drafts.reservedId(input.provider, parsed.baseUrl);
    const created = await this.write((r) => {
      assertNameFree(r, userId, name);
      const reuse = draftId !== undefined && !r.configurations.get(userId, draftId);
      const row = r.configurations.create(userId, {
        ...(reuse ? { id: draftId } : {}),
        name,
        provider: input.provider,
        model: parsed.model,
        baseUrl: parsed.baseUrl,
        config: headers.config,
        isActive: input.isActive ?? true,
      });
      const withKey = r.configurations.update(userId, row.id, {
        ...(apiKey ? { encryptedApiKey: this.deps.keys.seal(apiKey, row.id, r.keys) } : {}),
        ...(headers.secrets ? { encryptedHeaders: this.deps.keys.seal(JSON.stringify(headers.secrets), row.id, r.keys, HEADERS_FIELD) } : {}),
        ...(tested ? { lastTestedAt: tested.at.toISOString(), testStatus: tested.ok ? 'success' : 'failed' } : {}),
      });
      r.audit.record(userId, 'configuration.create', 'configuration', row.id, { name, provider: input.provider, model: parsed.model, hasApiKey: Boolean(apiKey), ...(reuse ? { unsavedRequests: true } : {}) });
      // The first configuration becomes the active one, so the status bar and chat have a model right away.
      if (!r.meta.get(ACTIVE_KEY + userId)) r.meta.set(ACTIVE_KEY + userId, row.id);
      return withKey ?? row;
    });
    if (draftId === created.id) this.deps.drafts.release(input.provider, parsed.baseUrl, created.id);
    this.deps.logger.info(`Created configuration "${name}" (${input.provider}, ${parsed.model}).`);
    this.deps.changes.fire({ kind: 'created', id: created.id });
    return created;
  }

  /**
   * `configurations.update`. `base` is the copy the user edited: if another window changed the configuration
   * since, the update is refused with what changed, never applied over it. A change of test status alone is no
   * conflict. When only the edited copy's `updatedAt` is known, a change is refused without the details. A new
   * `apiKey` is sealed in the same transaction as the settings: a new address is never saved beside the old key.
   */
  async updateConfiguration(id: string, update: ConfigurationUpdate, base?: AIConfiguration | { readonly updatedAt: string }): Promise<AIConfiguration> {
    const current = this.getConfiguration(id);
    const name = update.name === undefined ? undefined : checkName(update.name);
    const parsed = update.settings ? await this.parse(current.provider, update.settings) : undefined;
    const apiKey = update.apiKey?.trim();
    if (update.apiKey !== undefined && !apiKey) {
      throw new ConfigurationError('validation', 'The new API key is empty.', { fieldErrors: [{ field: 'apiKey', message: 'enter the new API key' }] });
    }
    const { userId } = this.deps;
    const updated = await this.write((r) => {
      const latest = r.configurations.get(userId, id);
      if (!latest) throw notFound(id);
      if (base && latest.updatedAt !== base.updatedAt) {
        const changes = 'id' in base ? diff(base, latest) : undefined;
        if (changes === undefined || changes.length > 0) {
          const what = changes === undefined ? '' : ` (${changes.map((c) => `${c.field}: ${c.from} → ${c.to}`).join('; ')})`;
          throw new ConfigurationError(
            'conflict',
            `"${latest.name}" was changed in another window while you were editing it${what}. Your edit was not saved: reopen it and apply your change again.`,
            { changes: changes ?? [] },
          );
        }
      }
      if (name !== undefined && name.toLowerCase() !== latest.name.toLowerCase()) assertNameFree(r, userId, name);
      // A kept placeholder keeps the stored header value; a typed one replaces it; a removed header is gone.
      const headers = parsed ? separateSecretHeaders(parsed.rest, () => this.deps.keys.openHeaders(latest)) : undefined;
      if (parsed && headers) refusePlainCredentials(parsed.baseUrl, headers.config);
      // The stored key (and kept sealed headers) would go to a new server: only with a new key or the user's yes.
      const destination = parsed ? newKeyDestination(latest, parsed.baseUrl, { key: !apiKey, headers: hasSealedHeaders(parsed.rest) }) : undefined;
      if (destination !== undefined && update.sendStoredKeyTo !== destination) throw keyDestinationRefusal(latest, destination, 'save the new address');
      const row = r.configurations.update(userId, id, {
        ...(name === undefined ? {} : { name }),
        ...(parsed && headers
          ? { model: parsed.model, baseUrl: parsed.baseUrl, config: headers.config, encryptedHeaders: headers.secrets ? this.deps.keys.seal(JSON.stringify(headers.secrets), id, r.keys, HEADERS_FIELD) : null }
          : {}),
        ...(update.isActive === undefined ? {} : { isActive: update.isActive }),
        // A seal that fails throws here, inside the transaction: the settings above are rolled back with it.
        ...(apiKey ? { encryptedApiKey: this.deps.keys.seal(apiKey, id, r.keys), testStatus: null, lastTestedAt: null } : {}),
      });
      if (!row) throw notFound(id);
      r.audit.record(userId, 'configuration.update', 'configuration', id, {
        fields: [...(name === undefined ? [] : ['name']), ...(parsed ? ['settings'] : []), ...(update.isActive === undefined ? [] : ['isActive'])],
      });
      if (parsed && parsed.baseUrl !== latest.baseUrl) {
        r.audit.record(userId, 'configuration.endpoint', 'configuration', id, { from: auditEndpoint(latest.baseUrl), to: auditEndpoint(parsed.baseUrl), ...(destination === undefined ? {} : { confirmedSendTo: destination }) });
      }
      if (apiKey) r.audit.record(userId, 'configuration.rotateKey', 'configuration', id, { replaced: true });
      return row;
    });
    const withTest = parsed || apiKey ? ((await this.deps.drafts.applyToSaved(updated, () => apiKey ?? this.deps.keys.storedKeyOf(updated))) ?? updated) : updated;
    this.deps.changes.fire({ kind: 'updated', id });
    if (apiKey) this.deps.changes.fire({ kind: 'key-rotated', id });
    return withTest;
  }

  /** `configurations.delete` */
  async deleteConfiguration(id: string): Promise<void> {
    const { userId } = this.deps;
    const name = await this.write((r) => {
      const row = r.configurations.get(userId, id);
      if (!row) throw notFound(id);
      r.configurations.delete(userId, id);
      const budgets = r.budgets.deleteForConfiguration(userId, id);
      if (r.meta.get(ACTIVE_KEY + userId) === id) r.meta.delete(ACTIVE_KEY + userId);
      r.audit.record(userId, 'configuration.delete', 'configuration', id, { name: row.name, provider: row.provider, budgets });
      return row.name;
    });
    this.deps.logger.info(`Deleted configuration "${name}".`);
    this.deps.changes.fire({ kind: 'deleted', id });
  }

  /** A copy under a free name ("… (copy)"), key included (re-sealed for the new row). */
  async duplicateConfiguration(id: string): Promise<AIConfiguration> {
    const source = this.getConfiguration(id);
    const apiKey = source.encryptedApiKey ? this.deps.keys.openKey(source) : undefined;
    const headers = source.encryptedHeaders ? this.deps.keys.openHeaders(source) : undefined;
    const { userId } = this.deps;
    const copy = await this.write((r) => {
      const taken = new Set(r.configurations.list(userId).map((c) => c.name.toLowerCase()));
      let name = fitName(source.name, ' (copy)');
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = fitName(source.name, ` (copy ${String(n)})`);
      const row = r.configurations.create(userId, {
        name,
        provider: source.provider,
        model: source.model,
        baseUrl: source.baseUrl,
        config: source.config,
        isActive: source.isActive,
      });
      const sealed = apiKey ? this.deps.keys.seal(apiKey, row.id, r.keys) : null;
      const sealedHeaders = headers ? this.deps.keys.seal(JSON.stringify(headers), row.id, r.keys, HEADERS_FIELD) : null;
      r.audit.record(userId, 'configuration.duplicate', 'configuration', row.id, { from: id, hasApiKey: Boolean(apiKey) });
      return (sealed || sealedHeaders ? r.configurations.update(userId, row.id, { encryptedApiKey: sealed, encryptedHeaders: sealedHeaders }) : row) ?? row;
    });
    this.deps.changes.fire({ kind: 'created', id: copy.id });
    return copy;
  }

  /** The configuration the status bar shows and new chats use. */
  getActiveConfiguration(): AIConfiguration | undefined {
    const { userId } = this.deps;
    return this.read((r) => {
      const id = r.meta.get(ACTIVE_KEY + userId);
      return id ? r.configurations.get(userId, id) : undefined;
    });
  }

  async setActiveConfiguration(id: string | undefined): Promise<void> {
    const { userId } = this.deps;
    await this.write((r) => {
      if (id === undefined) {
        r.meta.delete(ACTIVE_KEY + userId);
        return;
      }
      if (!r.configurations.get(userId, id)) throw notFound(id);
      r.meta.set(ACTIVE_KEY + userId, id);
      r.audit.record(userId, 'configuration.setActive', 'configuration', id, {});
    });
    this.deps.changes.fire({ kind: 'active-changed', id });
  }

  /** The user's recent audit entries, newest first (never a key: none is ever recorded). */
  auditLog(limit: number): ReturnType<Repositories['audit']['list']> {
    return this.read((r) => r.audit.list(this.deps.userId, limit));
  }

  /** Records an action on the user's data that no service performs itself (an export, an import). */
  /** Looks whether another window saved since this one last read (loading its copy if so): for views open a long time. */
  checkOtherWindows(): void {
    this.deps.store.reloadIfSavedElsewhere();
  }

  /** Called whenever this window loads another window's save (the configurations may have changed there). */
  onDidLoadOtherWindowsSave(listener: () => void): IDisposable {
    return this.deps.store.onDidReloadFromDisk(listener);
  }

  async recordAudit(action: string, targetType: string, targetId: string | null, details: Record<string, unknown>): Promise<void> {
    await this.write((r) => {
      r.audit.record(this.deps.userId, action, targetType, targetId, details);
    });
  }

  private async providerOrError(id: string): Promise<AIProvider> {
    try {
      return await this.deps.providers.get(id);
    } catch (error) {
      throw new ConfigurationError('validation', messageOf(error), { fieldErrors: [{ field: 'provider', message: messageOf(error) }] });
    }
  }

  private async parse(provider: string, settings: unknown): Promise<{ model: string; baseUrl: string | null; rest: Record<string, unknown> }> {
    const parsed = await this.validateProvider(provider, settings);
    if (!parsed.ok) {
      throw new ConfigurationError('validation', `Check the settings: ${describeFieldErrors(parsed.errors)}.`, { fieldErrors: parsed.errors });
    }
    const { model, baseUrl, ...rest } = parsed.config as { model: string; baseUrl?: string } & Record<string, unknown>;
    const pasted = pastedKeyPaths(rest);
    if (pasted.length > 0) {
      const advice = 'looks like a key: enter the key in the API key field (stored encrypted), or as a header, which is sealed';
      throw new ConfigurationError('validation', `Check the settings: ${pasted.join(', ')} ${advice}.`, { fieldErrors: pasted.map((field) => ({ field, message: advice })) });
    }
    return { model, baseUrl: baseUrl ?? null, rest };
  }

  private read<T>(fn: (r: Repositories) => T): T {
    return this.deps.store.read(fn);
  }

  private write<T>(fn: (r: Repositories) => T): Promise<T> {
    return this.deps.store.write(fn);
  }
}

function checkName(raw: string): string {
  const checked = checkNameRule(raw);
  if (checked.ok) return checked.name;
  throw new ConfigurationError('validation', nameProblemSentence(checked.problem, 'configuration'), { fieldErrors: [{ field: 'name', message: nameProblemPhrase(checked.problem) }] });
}

/** Settings are stored in plain text: a credential outside the key and the sealed headers is refused, never stored. */
function refusePlainCredentials(baseUrl: string | null, config: Readonly<Record<string, unknown>>): void {
  const found = plainCredentialFields({ ...(baseUrl === null ? {} : { baseUrl }), ...config });
  if (found.length === 0) return;
  throw new ConfigurationError('validation', `Settings are stored in plain text, so they cannot hold a credential. ${describeFieldErrors(found)}.`, { fieldErrors: found });
}

function assertNameFree(r: Repositories, userId: string, name: string): void {
  if (r.configurations.list(userId).some((c) => c.name.toLowerCase() === name.toLowerCase())) {
    throw new ConfigurationError('duplicate-name', `A configuration named "${name}" already exists. Choose another name.`, {
      fieldErrors: [{ field: 'name', message: 'this name is taken' }],
    });
  }
  // Chat picks a group and a configuration by name (`@models /use <name>`): the two must not share one.
  const group = r.routeGroups.list(userId).find((g) => g.name.toLowerCase() === name.toLowerCase());
  if (group) {
    throw new ConfigurationError('duplicate-name', `A route group is named "${group.name}": chat could not tell the two apart. Give the configuration another name.`, {
      fieldErrors: [{ field: 'name', message: 'a route group has this name' }],
    });
  }
}

function diff(before: AIConfiguration, after: AIConfiguration): FieldChange[] {
  const changes: FieldChange[] = [];
  const plain = (field: string, a: unknown, b: unknown): void => {
    const from = JSON.stringify(a ?? null);
    const to = JSON.stringify(b ?? null);
    if (from !== to) changes.push({ field, from, to });
  };
  plain('name', before.name, after.name);
  plain('model', before.model, after.model);
  plain('baseUrl', before.baseUrl, after.baseUrl);
  plain('settings', before.config, after.config);
  plain('active', before.isActive, after.isActive);
  if (before.encryptedApiKey !== after.encryptedApiKey) changes.push({ field: 'apiKey', from: 'stored key', to: 'replaced' });
  return changes;
}

function messageOf(error: unknown): string {
  return errorMessage(error);
}

import { createHash, randomUUID } from 'node:crypto';
import { DecryptError, KeysNeedReentryError, type EncryptionService } from '../crypto';
import type { Logger } from '../logger';
import { chatModelsOf, ProviderError, type AIProvider, type ModelInfo, type ParsedConfig, type ProviderSummary, type TestResult } from '../providers';
import type { AIConfiguration, Repositories, Store, UsageTotals } from '../store';
import type { UsageRecord } from '../usage';
import { ConfigurationError, describeFieldErrors, type FieldChange } from './errors';
import { Emitter } from '../events';
import { checkName as checkNameRule, fitName, nameProblemPhrase, nameProblemSentence } from '../../protocol/names';
import { RateLimiter } from './RateLimiter';
import { HEADERS_FIELD, hasPlainSecretHeaders, hasSealedHeaders, parseSealedHeaders, separateSecretHeaders, withSecretHeaders } from './secretHeaders';
import { errorMessage } from '../errors';
import { auditEndpoint, type AuditRecorder } from '../audit';

/** The provider registry as the service uses it (ProviderRegistry in the extension, the same in tests). */
export interface ProviderLookup {
  get(id: string): Promise<AIProvider>;
  list(): Promise<readonly ProviderSummary[]>;
  parseConfig(id: string, input: unknown): Promise<ParsedConfig>;
}

export interface ConfigurationServiceDeps {
  readonly store: Store;
  readonly encryption: EncryptionService;
  readonly userId: string;
  readonly providers: ProviderLookup;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Connection tests and model-list refreshes allowed per configuration per minute. */
  readonly callsPerMinute?: number;
  /** Records every request that reached a provider, priced (the UsageTracker); without it, rows go to the store as they are. */
  readonly usage?: { recordUsage(record: UsageRecord): Promise<unknown> };
  /**
   * Budgets' hard stop (the BudgetMonitor), asked before every billed request: connection tests, saved or not. Model
   * lists are not billed and are not refused. `null`: settings not saved yet, which only overall budgets cover.
   */
  readonly budgets?: { checkBudget(configurationId: string | null): { readonly allowed: true } | { readonly allowed: false; readonly message: string } };
  /** The longest a whole connection test (model list, one-token reply, its usage) may take; default two minutes. */
  readonly connectionTestMs?: number;
  /** Records the attempts that failed before reaching a provider: refusals and keys that would not open. */
  readonly audit?: Pick<AuditRecorder, 'keyUnreadable' | 'refused'>;
}

/** What a user enters for a new configuration. `settings` follows the provider's schema (model and baseUrl included). */
export interface ConfigurationInput {
  readonly name: string;
  readonly provider: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly apiKey?: string | undefined;
  readonly isActive?: boolean;
  /** An import without the key (bundles never carry one): saved now, the key is entered later with Rotate API Key. */
  readonly keyLater?: boolean;
}

export interface ConfigurationUpdate {
  readonly name?: string;
  /** The provider's settings as a whole, replacing the stored ones. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly isActive?: boolean;
}

export type ConfigurationChange =
  | { readonly kind: 'created' | 'updated' | 'deleted' | 'tested' | 'key-rotated'; readonly id: string }
  | { readonly kind: 'active-changed'; readonly id: string | undefined };

export type UsagePeriod = 'day' | 'week' | 'month';

/** Settings not saved yet, as a form holds them: the wizard tests them and lists their models before saving. */
export interface ConfigurationDraftInput {
  readonly provider: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly apiKey?: string | undefined;
  /** When editing a saved configuration: its stored key is used unless a new one is given. */
  readonly configurationId?: string | undefined;
}

const ACTIVE_KEY = 'activeConfiguration:';
/** Failures that mean no server answered: for settings not saved yet, not a request to count. */
const unreachable = new Set(['dns', 'refused', 'tls', 'timeout', 'network']);
/** How long a test of unsaved settings stays the test status of the configuration they are saved as. */
const DRAFT_TEST_TTL_MS = 5 * 60_000;

/** A recent test of unsaved settings: its outcome, the id it was recorded under, and whether it edited a saved one. */
interface DraftTest {
  readonly at: Date;
  readonly ok: boolean;
  readonly id: string;
  readonly editing: boolean;
}

/**
 * The seed's ConfigurationService: every read and change of a user's configurations goes through it, so that
 * validation, key sealing, the audit log, change events and rate limits apply everywhere the same way.
 */
export class ConfigurationService {
  private readonly changes = new Emitter<ConfigurationChange>();
  readonly onDidChange = this.changes.event;
  private readonly limiter: RateLimiter;
  private readonly now: () => Date;
  /** Outcomes of recent draft tests by a hash of their settings and key (never the key itself). */
  private readonly recentDraftTests = new Map<string, DraftTest>();
  /**
   * The id that requests of unsaved settings are recorded under, by a hash of provider, address and key: saving them
   * creates the configuration with this id, so the wizard's tests and lists count as that configuration's.
   */
  private readonly draftIds = new Map<string, string>();

  constructor(private readonly deps: ConfigurationServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.limiter = new RateLimiter(deps.callsPerMinute ?? 5, 60_000, () => this.now().getTime());
  }

  /** `configurations.list` */
  listConfigurations(): AIConfiguration[] {
    return this.read((r) => r.configurations.list(this.deps.userId));
  }

  /** `configurations.get` */
  getConfiguration(id: string): AIConfiguration {
    const found = this.read((r) => r.configurations.get(this.deps.userId, id));
    if (!found) throw notFound(id);
    return found;
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
    const tested = await this.recentDraftTest(input.provider, input.settings, apiKey);
    const headers = separateSecretHeaders(parsed.rest, () => ({}));
    const draftKey = endpointFingerprint(input.provider, parsed.baseUrl);
    const draftId = this.draftIds.get(draftKey);
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
        ...(apiKey ? { encryptedApiKey: this.seal(apiKey, row.id, r.keys) } : {}),
        ...(headers.secrets ? { encryptedHeaders: this.seal(JSON.stringify(headers.secrets), row.id, r.keys, HEADERS_FIELD) } : {}),
        ...(tested ? { lastTestedAt: tested.at.toISOString(), testStatus: tested.ok ? 'success' : 'failed' } : {}),
      });
      r.audit.record(userId, 'configuration.create', 'configuration', row.id, { name, provider: input.provider, model: parsed.model, hasApiKey: Boolean(apiKey), ...(reuse ? { unsavedRequests: true } : {}) });
      // The first configuration becomes the active one, so the status bar and chat have a model right away.
      if (!r.meta.get(ACTIVE_KEY + userId)) r.meta.set(ACTIVE_KEY + userId, row.id);
      return withKey ?? row;
    });
    if (draftId === created.id) this.draftIds.delete(draftKey);
    this.deps.logger.info(`Created configuration "${name}" (${input.provider}, ${parsed.model}).`);
    this.changes.fire({ kind: 'created', id: created.id });
    return created;
  }

  /**
   * `configurations.update`. `base` is the copy the user edited: if another window changed the configuration
   * since, the update is refused with what changed, never applied over it. A change of test status alone is no
   * conflict. When only the edited copy's `updatedAt` is known, a change is refused without the details.
   */
  async updateConfiguration(id: string, update: ConfigurationUpdate, base?: AIConfiguration | { readonly updatedAt: string }): Promise<AIConfiguration> {
    const current = this.getConfiguration(id);
    const name = update.name === undefined ? undefined : checkName(update.name);
    const parsed = update.settings ? await this.parse(current.provider, update.settings) : undefined;
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
      const headers = parsed ? separateSecretHeaders(parsed.rest, () => this.openHeaders(latest)) : undefined;
      const row = r.configurations.update(userId, id, {
        ...(name === undefined ? {} : { name }),
        ...(parsed && headers
          ? { model: parsed.model, baseUrl: parsed.baseUrl, config: headers.config, encryptedHeaders: headers.secrets ? this.seal(JSON.stringify(headers.secrets), id, r.keys, HEADERS_FIELD) : null }
          : {}),
        ...(update.isActive === undefined ? {} : { isActive: update.isActive }),
      });
      if (!row) throw notFound(id);
      r.audit.record(userId, 'configuration.update', 'configuration', id, {
        fields: [...(name === undefined ? [] : ['name']), ...(parsed ? ['settings'] : []), ...(update.isActive === undefined ? [] : ['isActive'])],
      });
      if (parsed && parsed.baseUrl !== latest.baseUrl) r.audit.record(userId, 'configuration.endpoint', 'configuration', id, { from: auditEndpoint(latest.baseUrl), to: auditEndpoint(parsed.baseUrl) });
      return row;
    });
    const withTest = parsed ? await this.applyRecentEditTest(updated) : updated;
    this.changes.fire({ kind: 'updated', id });
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
    this.limiter.forget(id);
    this.deps.logger.info(`Deleted configuration "${name}".`);
    this.changes.fire({ kind: 'deleted', id });
  }

  /** A copy under a free name ("… (copy)"), key included (re-sealed for the new row). */
  async duplicateConfiguration(id: string): Promise<AIConfiguration> {
    const source = this.getConfiguration(id);
    const apiKey = source.encryptedApiKey ? this.openKey(source) : undefined;
    const headers = source.encryptedHeaders ? this.openHeaders(source) : undefined;
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
      const sealed = apiKey ? this.seal(apiKey, row.id, r.keys) : null;
      const sealedHeaders = headers ? this.seal(JSON.stringify(headers), row.id, r.keys, HEADERS_FIELD) : null;
      r.audit.record(userId, 'configuration.duplicate', 'configuration', row.id, { from: id, hasApiKey: Boolean(apiKey) });
      return (sealed || sealedHeaders ? r.configurations.update(userId, row.id, { encryptedApiKey: sealed, encryptedHeaders: sealedHeaders }) : row) ?? row;
    });
    this.changes.fire({ kind: 'created', id: copy.id });
    return copy;
  }

  /**
   * `configurations.rotateKey`: with a new key, replaces the provider credential; without one, re-seals the stored
   * key under a fresh IV and the user's current key version.
   */
  async rotateApiKey(id: string, newApiKey?: string): Promise<AIConfiguration> {
    const current = this.getConfiguration(id);
    const replacement = newApiKey?.trim();
    if (newApiKey !== undefined && !replacement) {
      throw new ConfigurationError('validation', 'The new API key is empty.', { fieldErrors: [{ field: 'apiKey', message: 'enter the new API key' }] });
    }
    const apiKey = replacement ?? (current.encryptedApiKey ? this.openKey(current) : undefined);
    if (!apiKey) throw new ConfigurationError('key-unavailable', `"${current.name}" has no stored API key to rotate. Enter a new key instead.`);
    const { userId } = this.deps;
    const rotated = await this.write((r) => {
      const sealed = this.seal(apiKey, id, r.keys);
      const row = r.configurations.update(userId, id, { encryptedApiKey: sealed, ...(replacement ? { testStatus: null, lastTestedAt: null } : {}) });
      if (!row) throw notFound(id);
      r.audit.record(userId, 'configuration.rotateKey', 'configuration', id, { replaced: Boolean(replacement) });
      return row;
    });
    const withTest = replacement ? await this.applyRecentEditTest(rotated) : rotated;
    this.changes.fire({ kind: 'key-rotated', id });
    return withTest;
  }

  /**
   * Seals the credential-carrying header values that an earlier version kept in plain settings. Saved twice, so
   * that the backup (the previous save) no longer holds them either. Returns how many configurations changed.
   */
  async sealPlainHeaders(): Promise<number> {
    const { userId } = this.deps;
    const candidates = this.listConfigurations().filter((c) => hasPlainSecretHeaders(c.config));
    if (candidates.length === 0) return 0;
    const sealed = await this.write((r) => {
      let count = 0;
      for (const { id } of candidates) {
        const latest = r.configurations.get(userId, id);
        if (!latest) continue;
        const headers = separateSecretHeaders(latest.config, () => this.openHeaders(latest));
        if (!headers.secrets) continue;
        r.configurations.update(userId, id, { config: headers.config, encryptedHeaders: this.seal(JSON.stringify(headers.secrets), id, r.keys, HEADERS_FIELD) });
        count++;
      }
      return count;
    });
    await this.write((r) => {
      r.audit.record(userId, 'configuration.sealHeaders', 'user', userId, { configurations: sealed });
    });
    this.deps.logger.info(`Sealed the credential headers of ${String(sealed)} configuration(s) that were stored in plain settings.`);
    return sealed;
  }

  /** "set (…abcd)": all a screen may learn about a stored key. */
  describeApiKey(id: string): { readonly set: boolean; readonly lastFour?: string; readonly readable: boolean } {
    const row = this.getConfiguration(id);
    if (!row.encryptedApiKey) return { set: false, readable: true };
    try {
      return { set: true, lastFour: this.openKey(row).slice(-4), readable: true };
    } catch {
      return { set: true, readable: false };
    }
  }

  /** `configurations.test`: a real connection test; records the outcome on the configuration and in the logs. */
  async testConfiguration(id: string, options: { signal?: AbortSignal } = {}): Promise<TestResult> {
    const row = this.getConfiguration(id);
    this.admit(id);
    this.takeSlot(row, 'connection tests');
    const { provider, target } = await this.targetOf(row);
    const startedAt = this.now();
    // The streamed reply's headers carry the provider's rate limits, which the usage tracker keeps.
    let headers: Readonly<Record<string, string | string[] | undefined>> | undefined;
    const result = await provider.testConnection(target, {
      signal: options.signal,
      retry: false,
      deadlineMs: this.connectionTestMs,
      onHeaders: (latest) => {
        headers = latest;
      },
    });
    const { userId } = this.deps;
    await this.write((r) => {
      r.configurations.update(userId, id, { lastTestedAt: this.now().toISOString(), testStatus: result.ok ? 'success' : 'failed' });
      r.audit.record(userId, 'configuration.test', 'configuration', id, {
        ok: result.ok,
        latencyMs: result.latencyMs,
        ...(result.failure ? { failure: result.failure.kind, status: result.failure.status ?? null, code: result.failure.code ?? null } : {}),
      });
    });
    await this.recordRequest({
      configurationId: id,
      startedAt,
      provider: row.provider,
      model: row.model,
      outcome: result.ok ? 'success' : 'error',
      errorCode: result.failure ? (result.failure.code ?? result.failure.kind) : null,
      latencyMs: result.latencyMs,
      usage: result.usage,
      reason: 'connection test',
      ...(headers ? { headers } : {}),
    });
    this.changes.fire({ kind: 'tested', id });
    return result;
  }

  /**
   * A connection test of unsaved settings (the editor's wizard and edit screen). It is billed like any test, so it is
   * refused by a used-up hard-stop budget and recorded: in usage and the audit log under the configuration being
   * edited, or for new settings under the id their configuration gets when saved (see draftIds). Its outcome becomes
   * the configuration's test status when exactly these settings and key are saved (or already are).
   */
  async testDraft(draft: ConfigurationDraftInput, options: { signal?: AbortSignal } = {}): Promise<TestResult> {
    const { provider, target } = await this.draftTarget(draft);
    const editing = draft.configurationId === undefined ? undefined : this.getConfiguration(draft.configurationId);
    this.admit(editing?.id ?? null);
    this.takeDraftSlot(draft, 'connection tests');
    const config = target.config as { model?: unknown; baseUrl?: unknown } & Record<string, unknown>;
    const recordAs = editing?.id ?? this.draftIdFor(draft.provider, config.baseUrl);
    const startedAt = this.now();
    let headers: Readonly<Record<string, string | string[] | undefined>> | undefined;
    const result = await provider.testConnection(target, {
      signal: options.signal,
      retry: false,
      deadlineMs: this.connectionTestMs,
      onHeaders: (latest) => {
        headers = latest;
      },
    });
    const { userId } = this.deps;
    const model = typeof config.model === 'string' ? config.model : (editing?.model ?? 'unknown');
    // Remembered briefly, so saving exactly these settings right after the test keeps its outcome.
    this.rememberDraftTest(draftFingerprint(draft.provider, target.config, target.apiKey), { at: this.now(), ok: result.ok, id: recordAs, editing: editing !== undefined });
    await this.write((r) => {
      r.audit.record(userId, 'configuration.test', 'configuration', recordAs, {
        unsaved: true,
        provider: draft.provider,
        ok: result.ok,
        latencyMs: result.latencyMs,
        ...(result.failure ? { failure: result.failure.kind, status: result.failure.status ?? null, code: result.failure.code ?? null } : {}),
      });
    });
    // A request that found nobody there (a mistyped address) reached no provider: nothing to count for settings not saved.
    const reached = result.reachable || headers !== undefined || editing !== undefined;
    if ((result.failure?.kind !== 'cancelled' || headers) && reached) {
      await this.recordRequest({
        configurationId: recordAs,
        startedAt,
        provider: draft.provider,
        model,
        outcome: result.ok ? 'success' : 'error',
        errorCode: result.failure ? (result.failure.code ?? result.failure.kind) : null,
        latencyMs: result.latencyMs,
        usage: result.usage,
        reason: editing ? 'connection test (unsaved changes)' : 'connection test (unsaved settings)',
        ...(editing ? {} : { unsaved: { baseUrl: typeof config.baseUrl === 'string' ? config.baseUrl : null, config } }),
        ...(headers ? { headers } : {}),
      });
    }
    if (editing) await this.applyRecentEditTest(editing, true);
    return result;
  }

  /**
   * `providers.models` for unsaved settings (the form's model dropdown): chat models only, sorted. A list that reached the provider is recorded
   * like a saved configuration's ("model list"), under the configuration being edited or the unsaved settings' id.
   */
  async listDraftModels(draft: ConfigurationDraftInput, options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<readonly ModelInfo[]> {
    const { provider, target } = await this.draftTarget({ ...draft, settings: { model: 'any', ...draft.settings } });
    if (options.refresh) this.takeDraftSlot(draft, 'model-list refreshes');
    const config = target.config as { model?: unknown; baseUrl?: unknown } & Record<string, unknown>;
    const editing = draft.configurationId === undefined ? undefined : this.getConfiguration(draft.configurationId);
    const recordAs = editing?.id ?? this.draftIdFor(draft.provider, config.baseUrl);
    const model = typeof draft.settings.model === 'string' ? draft.settings.model : (editing?.model ?? 'unknown');
    const models = await this.listAndRecord(provider, target, { id: recordAs, provider: draft.provider, model, ...(editing ? {} : { unsaved: { baseUrl: typeof config.baseUrl === 'string' ? config.baseUrl : null, config } }) }, options);
    // The form picks the model a chat runs on: image, speech, embedding and moderation models are left out.
    return chatModelsOf(models);
  }

  /**
   * `providers.models`: the live list for a configuration's provider and key (cached by the adapter). A list that
   * reached the provider is one request_log row ("model list") with its response headers, so the rate-limit quota
   * it reported is kept like a chat's; a list served from the cache sent nothing and records nothing.
   */
  async listModels(id: string, options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<readonly ModelInfo[]> {
    const row = this.getConfiguration(id);
    if (options.refresh) this.takeSlot(row, 'model-list refreshes');
    const { provider, target } = await this.targetOf(row);
    return this.listAndRecord(provider, target, { id, provider: row.provider, model: row.model }, options);
  }

  private async listAndRecord(
    provider: AIProvider,
    target: { config: unknown; apiKey?: string },
    as: { readonly id: string; readonly provider: string; readonly model: string; readonly unsaved?: UsageRecord['unsaved'] },
    options: { refresh?: boolean; signal?: AbortSignal },
  ): Promise<readonly ModelInfo[]> {
    const startedAt = this.now();
    let headers: Readonly<Record<string, string | string[] | undefined>> | undefined;
    const record = (outcome: 'success' | 'error', errorCode: string | null): Promise<void> =>
      this.recordRequest({
        configurationId: as.id,
        startedAt,
        provider: as.provider,
        model: as.model,
        outcome,
        errorCode,
        latencyMs: this.now().getTime() - startedAt.getTime(),
        reason: 'model list',
        ...(as.unsaved ? { unsaved: as.unsaved } : {}),
        ...(headers ? { headers } : {}),
      });
    let models: readonly ModelInfo[];
    try {
      models = await provider.listModels(target, {
        refresh: options.refresh === true,
        signal: options.signal,
        onHeaders: (latest) => {
          headers = latest;
        },
      });
    } catch (error) {
      // A provider's answer (a 429 with its quota) or a failed connection is a request; a cancelled one is not.
      const failure = error instanceof ProviderError ? error : undefined;
      if (failure && failure.kind !== 'cancelled' && !(as.unsaved && unreachable.has(failure.kind))) await record('error', failure.code ?? failure.kind).catch(() => undefined);
      throw error;
    }
    if (headers) await record('success', null);
    return models;
  }

  /** `configurations.usage`: totals over the current day, week or month. */
  getUsageStats(id: string, period: UsagePeriod = 'month'): UsageTotals {
    this.getConfiguration(id);
    const to = this.now();
    const from = startOf(period, to);
    return this.read((r) => r.usage.forConfiguration(this.deps.userId, id, from, to));
  }

  /** This period's totals of every configuration at once (one query for a whole list). */
  getUsageStatsByConfiguration(period: UsagePeriod = 'month'): ReadonlyMap<string, UsageTotals> {
    const to = this.now();
    return this.read((r) => r.usage.byConfiguration(this.deps.userId, startOf(period, to), to));
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
    this.changes.fire({ kind: 'active-changed', id });
  }

  /** The provider adapter and its call target (settings + decrypted key) for a stored configuration. */
  async targetOf(row: AIConfiguration): Promise<{ provider: AIProvider; target: { config: unknown; apiKey?: string } }> {
    const provider = await this.providerOrError(row.provider);
    const parsed = await this.deps.providers.parseConfig(row.provider, settingsOf(row));
    if (!parsed.ok) {
      throw new ConfigurationError('validation', `"${row.name}" has settings this version does not accept (${describeFieldErrors(parsed.errors)}). Edit the configuration to fix them.`, {
        fieldErrors: parsed.errors,
      });
    }
    const apiKey = row.encryptedApiKey ? this.openKey(row) : undefined;
    const config = hasSealedHeaders(parsed.config) ? withSecretHeaders(parsed.config, this.openHeaders(row)) : parsed.config;
    return { provider, target: { config, ...(apiKey === undefined ? {} : { apiKey }) } };
  }

  dispose(): void {
    this.changes.dispose();
  }

  private get connectionTestMs(): number {
    return this.deps.connectionTestMs ?? 120_000;
  }

  /** Refuses a billed request while a hard-stop budget covering it is used up, with the budget's own message. */
  private admit(configurationId: string | null): void {
    const check = this.deps.budgets?.checkBudget(configurationId);
    if (check && !check.allowed) {
      this.deps.audit?.refused(configurationId, { operation: 'connection tests', reason: 'budget', message: check.message });
      throw new ConfigurationError('budget', check.message);
    }
  }

  /** The id requests of these unsaved settings are recorded under (the same one until they are saved). */
  private draftIdFor(provider: string, baseUrl: unknown): string {
    const key = endpointFingerprint(provider, typeof baseUrl === 'string' ? baseUrl : null);
    let id = this.draftIds.get(key);
    if (id === undefined) {
      id = randomUUID();
      // A long session of wizards must not grow without bound: the oldest unsaved settings are forgotten.
      if (this.draftIds.size >= 200) this.draftIds.delete(this.draftIds.keys().next().value ?? '');
      this.draftIds.set(key, id);
    }
    return id;
  }

  private rememberDraftTest(fingerprint: string, test: DraftTest): void {
    const horizon = this.now().getTime() - DRAFT_TEST_TTL_MS;
    for (const [key, entry] of this.recentDraftTests) if (entry.at.getTime() < horizon) this.recentDraftTests.delete(key);
    this.recentDraftTests.set(fingerprint, test);
  }

  /**
   * When the stored settings and key of a configuration are exactly what a test of unsaved changes just tried, that
   * outcome is the configuration's test status (a test of something else is not).
   */
  private async applyRecentEditTest(row: AIConfiguration, fire = false): Promise<AIConfiguration> {
    if (this.recentDraftTests.size === 0) return row;
    let fingerprint: string;
    try {
      const parsed = await this.deps.providers.parseConfig(row.provider, settingsOf(row));
      if (!parsed.ok) return row;
      fingerprint = draftFingerprint(row.provider, parsed.config, this.storedKeyOf(row));
    } catch {
      return row;
    }
    const found = this.recentDraftTests.get(fingerprint);
    if (found?.id !== row.id || this.now().getTime() - found.at.getTime() >= DRAFT_TEST_TTL_MS) return row;
    this.recentDraftTests.delete(fingerprint);
    const { userId } = this.deps;
    const updated = await this.write((r) => r.configurations.update(userId, row.id, { lastTestedAt: found.at.toISOString(), testStatus: found.ok ? 'success' : 'failed' }));
    if (fire) this.changes.fire({ kind: 'tested', id: row.id });
    return updated ?? row;
  }

  private async recordRequest(record: UsageRecord & { readonly startedAt: Date; readonly provider: string; readonly model: string }): Promise<void> {
    if (this.deps.usage) {
      await this.deps.usage.recordUsage(record);
      return;
    }
    this.deps.store.recordRequest({
      userId: this.deps.userId,
      configurationId: record.configurationId,
      startedAt: record.startedAt.toISOString(),
      provider: record.provider,
      model: record.model,
      outcome: record.outcome,
      errorCode: record.errorCode ?? null,
      latencyMs: record.latencyMs ?? null,
      reason: record.reason ?? null,
    });
  }

  /** The outcome of a draft test of exactly these settings and key within the last five minutes, if any. */
  private async recentDraftTest(provider: string, settings: Readonly<Record<string, unknown>>, apiKey: string | undefined): Promise<DraftTest | undefined> {
    if (this.recentDraftTests.size === 0) return undefined;
    const parsed = await this.validateProvider(provider, settings);
    if (!parsed.ok) return undefined;
    const key = draftFingerprint(provider, parsed.config, apiKey);
    const found = this.recentDraftTests.get(key);
    if (!found || found.editing) return undefined;
    this.recentDraftTests.delete(key);
    return this.now().getTime() - found.at.getTime() < DRAFT_TEST_TTL_MS ? found : undefined;
  }

  private async draftTarget(draft: ConfigurationDraftInput): Promise<{ provider: AIProvider; target: { config: unknown; apiKey?: string } }> {
    const provider = await this.providerOrError(draft.provider);
    const parsed = await this.validateProvider(draft.provider, draft.settings);
    if (!parsed.ok) throw new ConfigurationError('validation', `Check the settings: ${describeFieldErrors(parsed.errors)}.`, { fieldErrors: parsed.errors });
    const typed = draft.apiKey?.trim();
    const useStored = (typed === undefined || typed === '') && draft.configurationId !== undefined;
    const apiKey = useStored && draft.configurationId ? this.storedKeyOf(this.getConfiguration(draft.configurationId)) : typed;
    // The edit form sends placeholders for sealed headers it kept: the stored values go with the test.
    const { configurationId } = draft;
    const config = hasSealedHeaders(parsed.config) ? withSecretHeaders(parsed.config, configurationId ? this.openHeaders(this.getConfiguration(configurationId)) : {}) : parsed.config;
    return { provider, target: { config, ...(apiKey === undefined ? {} : { apiKey }) } };
  }

  private storedKeyOf(row: AIConfiguration): string | undefined {
    return row.encryptedApiKey ? this.openKey(row) : undefined;
  }

  private takeDraftSlot(draft: ConfigurationDraftInput, what: string): void {
    const endpoint = typeof draft.settings.baseUrl === 'string' ? draft.settings.baseUrl : 'default';
    const slot = this.limiter.take(`draft:${draft.provider}:${endpoint}`);
    if (!slot.ok) {
      this.deps.audit?.refused(draft.configurationId ?? null, { operation: `${what} (unsaved settings)`, reason: 'rate-limited' });
      throw new ConfigurationError('rate-limited', `Too many ${what} for this server in a minute. Try again in ${String(Math.ceil(slot.retryAfterMs / 1000))} s.`, {
        retryAfterMs: slot.retryAfterMs,
      });
    }
  }

  /** Seals a key for one configuration; while keys need re-entry, refuses the way every other path does. */
  private seal(secret: string, configurationId: string, keys: Repositories['keys'], field?: string): string {
    try {
      return this.deps.encryption.encryptApiKey(secret, { userId: this.deps.userId, configurationId, ...(field ? { field } : {}) }, keys);
    } catch (error) {
      if (error instanceof KeysNeedReentryError) throw new ConfigurationError('keys-need-reentry', error.message);
      throw error;
    }
  }

  /** The stored values of a configuration's sealed headers (empty when it has none). */
  private openHeaders(row: AIConfiguration): Record<string, string> {
    if (!row.encryptedHeaders) return {};
    try {
      return parseSealedHeaders(this.deps.encryption.decryptApiKey(row.encryptedHeaders, { userId: this.deps.userId, configurationId: row.id, field: HEADERS_FIELD }));
    } catch (error) {
      if (error instanceof KeysNeedReentryError) throw new ConfigurationError('keys-need-reentry', error.message);
      if (error instanceof DecryptError) this.deps.audit?.keyUnreadable(row.id, error.failure, 'headers');
      throw new ConfigurationError('key-unavailable', `The stored secret headers of "${row.name}" cannot be opened. Enter their values again with Edit.`);
    }
  }

  private openKey(row: AIConfiguration): string {
    if (!row.encryptedApiKey) throw new ConfigurationError('key-unavailable', `"${row.name}" has no API key.`);
    try {
      return this.deps.encryption.decryptApiKey(row.encryptedApiKey, { userId: this.deps.userId, configurationId: row.id });
    } catch (error) {
      if (error instanceof KeysNeedReentryError) throw new ConfigurationError('keys-need-reentry', error.message);
      if (error instanceof DecryptError) {
        this.deps.audit?.keyUnreadable(row.id, error.failure);
        throw new ConfigurationError('key-unavailable', `The stored API key of "${row.name}" cannot be opened (${error.failure}). Enter it again with "Rotate API Key".`);
      }
      throw error;
    }
  }

  private takeSlot(row: AIConfiguration, what: string): void {
    const slot = this.limiter.take(row.id);
    if (!slot.ok) {
      this.deps.audit?.refused(row.id, { operation: what, reason: 'rate-limited' });
      const seconds = Math.ceil(slot.retryAfterMs / 1000);
      throw new ConfigurationError('rate-limited', `Too many ${what} for "${row.name}" in a minute. Try again in ${String(seconds)} s.`, {
        retryAfterMs: slot.retryAfterMs,
      });
    }
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
    return { model, baseUrl: baseUrl ?? null, rest };
  }

  private read<T>(fn: (r: Repositories) => T): T {
    return this.deps.store.read(fn);
  }

  private write<T>(fn: (r: Repositories) => T): Promise<T> {
    return this.deps.store.write(fn);
  }
}

/** A one-way fingerprint of a draft: the same settings and key give the same string; the key cannot be read back. */
function draftFingerprint(provider: string, config: unknown, apiKey: string | undefined): string {
  return createHash('sha256').update(JSON.stringify([provider, sortedKeys(config), apiKey ?? ''])).digest('hex');
}

/**
 * Provider and address: what the requests of unsaved settings are grouped by until they are saved (not the key, so
 * that a key typed letter by letter, each prefix refused, does not leave one entry per letter).
 */
function endpointFingerprint(provider: string, baseUrl: string | null): string {
  return createHash('sha256').update(JSON.stringify([provider, baseUrl ?? ''])).digest('hex');
}

/** The same settings in whatever key order give the same JSON. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]));
}

/** A stored row back into the provider's settings shape. */
export function settingsOf(row: AIConfiguration): Record<string, unknown> {
  return { ...row.config, model: row.model, ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}) };
}

function checkName(raw: string): string {
  const checked = checkNameRule(raw);
  if (checked.ok) return checked.name;
  throw new ConfigurationError('validation', nameProblemSentence(checked.problem, 'configuration'), { fieldErrors: [{ field: 'name', message: nameProblemPhrase(checked.problem) }] });
}

function assertNameFree(r: Repositories, userId: string, name: string): void {
  if (r.configurations.list(userId).some((c) => c.name.toLowerCase() === name.toLowerCase())) {
    throw new ConfigurationError('duplicate-name', `A configuration named "${name}" already exists. Choose another name.`, {
      fieldErrors: [{ field: 'name', message: 'this name is taken' }],
    });
  }
}

function notFound(id: string): ConfigurationError {
  return new ConfigurationError('not-found', `The configuration ${id} no longer exists (it may have been deleted in another window).`);
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

function startOf(period: UsagePeriod, now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (period === 'day') return day;
  if (period === 'week') return new Date(day.getTime() - 6 * 86_400_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function messageOf(error: unknown): string {
  return errorMessage(error);
}

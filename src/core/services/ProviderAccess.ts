import { chatModelsOf, ProviderError, type AIProvider, type ModelInfo, type TestResult } from '../providers';
import type { AIConfiguration } from '../store';
import type { AuditRecorder } from '../audit';
import type { UsageRecord } from '../usage';
import type { IDisposable } from '../lifecycle';
import { ConfigurationError, describeFieldErrors } from './errors';
import { lastTestFailure } from './lastTestFailure';
import { RateLimiter } from './RateLimiter';
import { configurationRow, settingsOf } from './rows';
import { hasSealedHeaders, withSecretHeaders } from './secretHeaders';
import { keyDestinationRefusal, newKeyDestination } from './keyDestination';
import type { SharedParts } from './shared';
import type { ConfigurationDraftInput, ResolvedTarget } from './types';
import { errorMessage } from '../errors';

/** The change events tell it of deletions (their rate limits are forgotten); its tests fire "tested". */
export interface ProviderAccessDeps extends SharedParts {
  readonly now: () => Date;
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
  /** Records the attempts refused before reaching a provider (a budget's hard stop, the per-minute limit). */
  readonly audit?: Pick<AuditRecorder, 'refused'>;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Failures that mean no server answered: for settings not saved yet, not a request to count. */
const unreachable = new Set(['dns', 'refused', 'tls', 'timeout', 'network']);

/**
 * Every call a configuration (saved or still in a form) makes to its provider outside a chat: the call target with
 * the key opened, connection tests, model lists, the per-configuration rate limit, and the record of each request.
 */
export class ProviderAccess {
  private readonly limiter: RateLimiter;
  private readonly forgetDeleted: IDisposable;
  /** Configurations with a connection test running, and how many (the tree and the editor may test the same one). */
  private readonly running = new Map<string, number>();

  constructor(private readonly deps: ProviderAccessDeps) {
    this.limiter = new RateLimiter(deps.callsPerMinute ?? 5, 60_000, () => deps.now().getTime());
    this.forgetDeleted = deps.changes.event((change) => {
      if (change.kind === 'deleted') this.limiter.forget(change.id);
    });
  }

  /** The provider adapter and its call target (settings + decrypted key) for a stored configuration. */
  async targetOf(row: AIConfiguration): Promise<ResolvedTarget> {
    const provider = await this.providerOrError(row.provider);
    const parsed = await this.deps.providers.parseConfig(row.provider, settingsOf(row));
    if (!parsed.ok) {
      throw new ConfigurationError('validation', `"${row.name}" has settings this version does not accept (${describeFieldErrors(parsed.errors)}). Edit the configuration to fix them.`, {
        fieldErrors: parsed.errors,
      });
    }
    const apiKey = this.deps.keys.storedKeyOf(row);
    const config = hasSealedHeaders(parsed.config) ? withSecretHeaders(parsed.config, this.deps.keys.openHeaders(row)) : parsed.config;
    return { provider, target: { config, ...(apiKey === undefined ? {} : { apiKey }) } };
  }

  /** `configurations.test`: a real connection test; records the outcome on the configuration and in the logs. */
  async testConfiguration(id: string, options: { signal?: AbortSignal } = {}): Promise<TestResult> {
    const row = this.configuration(id);
    return this.whileTesting(row.id, () => this.testSaved(row, options));
  }

  /** Whether a connection test of this configuration is running: its test status reads `pending` meanwhile. */
  isTesting(id: string): boolean {
    return (this.running.get(id) ?? 0) > 0;
  }

  private async testSaved(row: AIConfiguration, options: { signal?: AbortSignal }): Promise<TestResult> {
    const { id } = row;
    this.admit(id);
    this.takeSlot(row.id, `for "${row.name}"`, 'connection tests');
    const { provider, target } = await this.targetOf(row);
    const startedAt = this.deps.now();
    const { result, headers } = await this.test(provider, target, options.signal);
    const { userId } = this.deps;
    await this.deps.store.write((r) => {
      r.configurations.update(userId, id, { lastTestedAt: this.deps.now().toISOString(), testStatus: result.ok ? 'success' : 'failed' });
      r.audit.record(userId, 'configuration.test', 'configuration', id, testDetails(result));
    });
    await this.recordRequest({ ...testRecord(result, headers), configurationId: id, startedAt, provider: row.provider, model: row.model, reason: 'connection test' });
    return result;
  }

  /**
   * Marks a configuration's test as running (its status reads `pending`) and always ends the mark, whether the test
   * passes, fails, throws or is cancelled, so the stored result shows again.
   */
  private async whileTesting<T>(id: string, run: () => Promise<T>): Promise<T> {
    this.running.set(id, (this.running.get(id) ?? 0) + 1);
    this.deps.changes.fire({ kind: 'testing', id });
    try {
      return await run();
    } finally {
      const left = (this.running.get(id) ?? 1) - 1;
      if (left > 0) this.running.set(id, left);
      else this.running.delete(id);
      this.deps.changes.fire({ kind: 'tested', id });
    }
  }

  /**
   * A connection test of unsaved settings (the editor's wizard and edit screen). It is billed like any test, so it is
   * refused by a used-up hard-stop budget and recorded: in usage and the audit log under the configuration being
   * edited, or for new settings under the id their configuration gets when saved (see DraftTests). Its outcome becomes
   * the configuration's test status when exactly these settings and key are saved (or already are).
   */
  async testDraft(draft: ConfigurationDraftInput, options: { signal?: AbortSignal } = {}): Promise<TestResult> {
    const editing = draft.configurationId === undefined ? undefined : this.configuration(draft.configurationId);
    return editing ? this.whileTesting(editing.id, () => this.testUnsaved(draft, editing, options)) : this.testUnsaved(draft, undefined, options);
  }

  private async testUnsaved(draft: ConfigurationDraftInput, editing: AIConfiguration | undefined, options: { signal?: AbortSignal }): Promise<TestResult> {
    const { provider, target } = await this.draftTarget(draft, 'test the new address');
    this.admit(editing?.id ?? null);
    this.takeDraftSlot(draft, 'connection tests');
    const config = target.config as { model?: unknown; baseUrl?: unknown } & Record<string, unknown>;
    const recordAs = editing?.id ?? this.deps.drafts.idFor(draft.provider, config.baseUrl);
    const startedAt = this.deps.now();
    const { result, headers } = await this.test(provider, target, options.signal);
    const model = typeof config.model === 'string' ? config.model : (editing?.model ?? 'unknown');
    // Remembered briefly, so saving exactly these settings right after the test keeps its outcome.
    this.deps.drafts.remember(draft.provider, target.config, target.apiKey, { at: this.deps.now(), ok: result.ok, id: recordAs, editing: editing !== undefined });
    await this.deps.store.write((r) => {
      r.audit.record(this.deps.userId, 'configuration.test', 'configuration', recordAs, { unsaved: true, provider: draft.provider, ...testDetails(result) });
    });
    // A request that found nobody there (a mistyped address) reached no provider: nothing to count for settings not saved.
    const reached = result.reachable || headers !== undefined || editing !== undefined;
    if ((result.failure?.kind !== 'cancelled' || headers) && reached) {
      await this.recordRequest({
        ...testRecord(result, headers),
        configurationId: recordAs,
        startedAt,
        provider: draft.provider,
        model,
        reason: editing ? 'connection test (unsaved changes)' : 'connection test (unsaved settings)',
        ...(editing ? {} : { unsaved: unsavedOf(config) }),
      });
    }
    // Its outcome becomes the saved status when these are the saved settings; the change is said when the test ends.
    if (editing) await this.deps.drafts.applyToSaved(editing, () => this.deps.keys.storedKeyOf(editing));
    return result;
  }

  /**
   * `providers.models`: the live list for a configuration's provider and key (cached by the adapter). A list that
   * reached the provider is one request_log row ("model list") with its response headers, so the rate-limit quota
   * it reported is kept like a chat's; a list served from the cache sent nothing and records nothing.
   */
  async listModels(id: string, options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<readonly ModelInfo[]> {
    const row = this.configuration(id);
    if (options.refresh) this.takeSlot(row.id, `for "${row.name}"`, 'model-list refreshes');
    const { provider, target } = await this.targetOf(row);
    return this.listAndRecord(provider, target, { id, provider: row.provider, model: row.model }, options);
  }

  /**
   * `providers.models` for unsaved settings (the form's model dropdown): chat models only, sorted. A list that reached the provider is recorded
   * like a saved configuration's ("model list"), under the configuration being edited or the unsaved settings' id.
   */
  async listDraftModels(draft: ConfigurationDraftInput, options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<readonly ModelInfo[]> {
    const { provider, target } = await this.draftTarget({ ...draft, settings: { model: 'any', ...draft.settings } }, 'list its models');
    if (options.refresh) this.takeDraftSlot(draft, 'model-list refreshes');
    const config = target.config as { model?: unknown; baseUrl?: unknown } & Record<string, unknown>;
    const editing = draft.configurationId === undefined ? undefined : this.configuration(draft.configurationId);
    const recordAs = editing?.id ?? this.deps.drafts.idFor(draft.provider, config.baseUrl);
    const model = typeof draft.settings.model === 'string' ? draft.settings.model : (editing?.model ?? 'unknown');
    const models = await this.listAndRecord(provider, target, { id: recordAs, provider: draft.provider, model, ...(editing ? {} : { unsaved: unsavedOf(config) }) }, options);
    // The form picks the model a chat runs on: image, speech, embedding and moderation models are left out.
    return chatModelsOf(models);
  }

  /** Why the configuration's last connection test failed, in words; undefined unless its status is a failure. */
  lastTestFailure(row: AIConfiguration): string | undefined {
    return lastTestFailure(this.deps.store, row);
  }

  dispose(): void {
    this.forgetDeleted.dispose();
  }

  private configuration(id: string): AIConfiguration {
    return configurationRow(this.deps.store, this.deps.userId, id);
  }

  /** One connection test with the response headers it saw (they carry the provider's rate limits). */
  private async test(provider: AIProvider, target: ResolvedTarget['target'], signal: AbortSignal | undefined): Promise<{ result: TestResult; headers: Headers | undefined }> {
    let headers: Headers | undefined;
    const result = await provider.testConnection(target, {
      signal,
      retry: false,
      deadlineMs: this.deps.connectionTestMs ?? 120_000,
      onHeaders: (latest) => {
        headers = latest;
      },
    });
    return { result, headers };
  }

  private async listAndRecord(
    provider: AIProvider,
    target: ResolvedTarget['target'],
    as: { readonly id: string; readonly provider: string; readonly model: string; readonly unsaved?: UsageRecord['unsaved'] },
    options: { refresh?: boolean; signal?: AbortSignal },
  ): Promise<readonly ModelInfo[]> {
    const startedAt = this.deps.now();
    let headers: Headers | undefined;
    const record = (outcome: 'success' | 'error', errorCode: string | null): Promise<void> =>
      this.recordRequest({
        configurationId: as.id,
        startedAt,
        provider: as.provider,
        model: as.model,
        outcome,
        errorCode,
        latencyMs: this.deps.now().getTime() - startedAt.getTime(),
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

  /** Refuses a billed request while a hard-stop budget covering it is used up, with the budget's own message. */
  private admit(configurationId: string | null): void {
    const check = this.deps.budgets?.checkBudget(configurationId);
    if (check && !check.allowed) {
      this.deps.audit?.refused(configurationId, { operation: 'connection tests', reason: 'budget', message: check.message });
      throw new ConfigurationError('budget', check.message);
    }
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

  private async draftTarget(draft: ConfigurationDraftInput, doing: string): Promise<ResolvedTarget> {
    const provider = await this.providerOrError(draft.provider);
    const parsed = await this.deps.providers.parseConfig(draft.provider, draft.settings).catch((error: unknown) => ({ ok: false as const, errors: [{ field: 'provider', message: errorMessage(error) }] }));
    if (!parsed.ok) throw new ConfigurationError('validation', `Check the settings: ${describeFieldErrors(parsed.errors)}.`, { fieldErrors: parsed.errors });
    const typed = draft.apiKey?.trim();
    const useStored = (typed === undefined || typed === '') && draft.configurationId !== undefined;
    const { configurationId } = draft;
    if (configurationId !== undefined) {
      // A typed but unsaved address on another server gets the stored key (and sealed headers) only with the user's yes.
      const saved = this.configuration(configurationId);
      const destination = newKeyDestination(saved, (parsed.config as { baseUrl?: unknown }).baseUrl, { key: useStored, headers: hasSealedHeaders(parsed.config) });
      if (destination !== undefined && draft.sendStoredKeyTo !== destination) throw keyDestinationRefusal(saved, destination, doing);
    }
    const apiKey = useStored && configurationId ? this.deps.keys.storedKeyOf(this.configuration(configurationId)) : typed;
    // The edit form sends placeholders for sealed headers it kept: the stored values go with the test.
    const config = hasSealedHeaders(parsed.config) ? withSecretHeaders(parsed.config, configurationId ? this.deps.keys.openHeaders(this.configuration(configurationId)) : {}) : parsed.config;
    return { provider, target: { config, ...(apiKey === undefined ? {} : { apiKey }) } };
  }

  private takeDraftSlot(draft: ConfigurationDraftInput, what: string): void {
    const endpoint = typeof draft.settings.baseUrl === 'string' ? draft.settings.baseUrl : 'default';
    this.takeSlot(`draft:${draft.provider}:${endpoint}`, 'for this server', what, draft.configurationId ?? null, `${what} (unsaved settings)`);
  }

  private takeSlot(key: string, whose: string, what: string, configurationId: string | null = key, operation = what): void {
    const slot = this.limiter.take(key);
    if (!slot.ok) {
      this.deps.audit?.refused(configurationId, { operation, reason: 'rate-limited' });
      throw new ConfigurationError('rate-limited', `Too many ${what} ${whose} in a minute. Try again in ${String(Math.ceil(slot.retryAfterMs / 1000))} s.`, {
        retryAfterMs: slot.retryAfterMs,
      });
    }
  }

  private async providerOrError(id: string): Promise<AIProvider> {
    try {
      return await this.deps.providers.get(id);
    } catch (error) {
      throw new ConfigurationError('validation', errorMessage(error), { fieldErrors: [{ field: 'provider', message: errorMessage(error) }] });
    }
  }
}

/** What the audit log keeps of a test: its outcome and, when it failed, how. */
function testDetails(result: TestResult): Record<string, unknown> {
  return {
    ok: result.ok,
    latencyMs: result.latencyMs,
    ...(result.failure ? { failure: result.failure.kind, status: result.failure.status ?? null, code: result.failure.code ?? null } : {}),
  };
}

/** The usage record of a test, less who it is recorded under. */
function testRecord(result: TestResult, headers: Headers | undefined): Pick<UsageRecord, 'outcome' | 'errorCode' | 'latencyMs' | 'usage' | 'headers'> {
  return {
    outcome: result.ok ? 'success' : 'error',
    errorCode: result.failure ? (result.failure.code ?? result.failure.kind) : null,
    latencyMs: result.latencyMs,
    usage: result.usage,
    ...(headers ? { headers } : {}),
  };
}

function unsavedOf(config: { baseUrl?: unknown } & Record<string, unknown>): NonNullable<UsageRecord['unsaved']> {
  return { baseUrl: typeof config.baseUrl === 'string' ? config.baseUrl : null, config };
}

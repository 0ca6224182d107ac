import type { DisposableStore, IDisposable } from './lifecycle';
import { catalogFileLoader, lazyCatalog, type ModelCatalog } from './catalog';
import { EncryptionService, PassphraseKeySource, passphraseRecordOf, type KeySource, type KeyState, type PassphraseKey, type PassphraseRecord } from './crypto';
import { HttpClient } from './http';
import type { Logger } from './logger';
import { modelListTtlMs, ProviderRegistry } from './providers';
import { catalogFacts, CONFIGURATION_GROUP_PREFIX, RouteGroupService, Router, withConfigurationGroups, type FactsOf } from './routing';
import { createConfigurationServices, type ConfigurationService, type KeyService, type ProviderAccess } from './services';
import { ConversationStore } from './chat/conversations';
import { countCancelled } from './chat/cancelledTokens';
import { TokenCounter } from './chat/TokenCounter';
import { TemplateService } from './templates/TemplateService';
import { openStore, type Store, type StoreNotice, type StoreProblem } from './store';
import { BudgetMonitor, HealthMonitor, UsageTracker } from './usage';
import { errorMessage } from './errors';
import { AuditRecorder } from './audit';
import { GatewayBudgets } from './gateways/GatewayBudgets';

/** The opened database, the key service, the local user and the services built on them. */
export interface StoreSession {
  /** The session's clock: every service of the session stamps and reads periods with it. */
  readonly now: () => Date;
  readonly store: Store;
  readonly encryption: EncryptionService;
  readonly userId: string;
  readonly providers: ProviderRegistry;
  /** The user's configurations: list, create, edit, delete, the active one, their change events. */
  readonly configurations: ConfigurationService;
  /** Calls to a configuration's provider outside a chat: tests, model lists, the call target with its key opened. */
  readonly providerAccess: ProviderAccess;
  /** The configurations' sealed keys and headers: describe, rotate, seal, move under a master passphrase. */
  readonly keys: KeyService;
  /** The chat panel's saved conversations. */
  readonly conversations: ConversationStore;
  /** Built-in and the user's own templates. */
  readonly templates: TemplateService;
  /** The model catalog (context windows, prices), read from dist/ on first use. */
  readonly catalog: () => Promise<ModelCatalog>;
  /** Every request that reached a provider, priced; the usage figures and reports. */
  readonly usage: UsageTracker;
  /** Budgets: alerts at 50/80/100 % after each request and the hard stop before one. */
  readonly budgets: BudgetMonitor;
  /** Periodic cheap checks of each active configuration (started by the host when the setting asks for it). */
  readonly health: HealthMonitor;
  /** LiteLLM configurations' virtual-key budgets (/key/info), read again after each health check round. */
  readonly gatewayBudgets: GatewayBudgets;
  readonly routeGroups: RouteGroupService;
  /** Sends chats to a route group, or to one configuration as `configuration:<id>` (configurationGroupId). */
  readonly router: Router;
  /** Failed access attempts for the audit log, and its pruning. */
  readonly audit: AuditRecorder;
}

/** Where a session comes from: opened on first use, reopened when the key source changes. */
export interface SessionSource {
  open(): Promise<StoreSession>;
  /** The session if it is already open: for views that must not open the store just to render. */
  readonly current: StoreSession | undefined;
  /**
   * Runs `fn` for the open session (if any) and again for each session opened later; what it adds to `scope` is
   * released when that session closes, so a view follows reopened services without re-subscribing by hand.
   */
  onSession(fn: (session: StoreSession, scope: DisposableStore) => void): IDisposable;
}

export interface SessionSettings {
  readonly requestTimeoutSeconds: number;
  readonly usageRetentionDays: number;
  /** Days audit entries are kept (default DEFAULT_AUDIT_RETENTION_DAYS). */
  readonly auditRetentionDays?: number;
  /** Seconds a provider's model list is reused (modelManager.modelListCacheSeconds; held to its bounds). */
  readonly modelListCacheSeconds?: number;
  /** 0 turns the periodic health checks off. */
  readonly healthCheckIntervalMinutes: number;
}

export interface SessionOptions {
  readonly databasePath: string;
  readonly wasmPath: string;
  readonly catalogPath: string;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly settings: SessionSettings;
  /** The keychain's key source: used unless the stored keys are protected by a master passphrase. */
  readonly keychain: KeySource;
  /** Asks for the master passphrase of the record; undefined (not entered) locks the keys for this session. */
  readonly passphraseKey: (record: PassphraseRecord) => Promise<PassphraseKey | undefined>;
}

/** An open session and what it owns besides its services; close() releases all of it. */
export interface OpenSession {
  readonly session: StoreSession;
  readonly keyState: KeyState;
  /** Whether the keys are sealed under the keychain's master key (false: a master passphrase). */
  readonly usesKeychain: boolean;
  /** What happened to the file on the way (restored from a backup, started fresh): the host tells the user. */
  readonly notices: readonly StoreNotice[];
  close(): Promise<void>;
}

export type OpenSessionResult = ({ readonly ok: true } & OpenSession) | { readonly ok: false; readonly problem: StoreProblem };

/** Opens the store and builds every core service over it: the one place the service graph is wired. */
export async function openSession(options: SessionOptions): Promise<OpenSessionResult> {
  const { logger, now, settings } = options;
  const result = await openStore({ now, filePath: options.databasePath, wasmPath: options.wasmPath, logger });
  if (!result.ok) return { ok: false, problem: result.problem };
  const { store } = result;
  // Only the first run writes: opening must leave the file alone (it may be a state the user has to repair).
  const user = store.read((r) => r.users.localUser()) ?? (await store.write((r) => r.users.ensureLocalUser()));
  const record = passphraseRecordOf(store);
  const passphraseKey = record ? await options.passphraseKey(record) : undefined;
  const keySource: KeySource = passphraseKey ? new PassphraseKeySource(store, passphraseKey) : options.keychain;
  const encryption = new EncryptionService(store, keySource, { logger });
  // A passphrase not entered locks the keys for this window; nothing may create a master key meanwhile.
  const state = record && !passphraseKey ? encryption.lock() : await encryption.initialize();
  if (state.kind === 'ready') await encryption.finishPendingRotations();
  const timeoutMs = Math.max(5, settings.requestTimeoutSeconds) * 1000;
  // The setting bounds the wait for an answer and for each new part of it; an answer still producing may run 15 times as long.
  const http = new HttpClient({ timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs, totalMs: 15 * timeoutMs } });
  const providers = new ProviderRegistry({ http, logger, modelsTtlMs: modelListTtlMs(settings.modelListCacheSeconds) });
  const catalog = lazyCatalog(catalogFileLoader(options.catalogPath));
  const usage = new UsageTracker({ store, userId: user.id, catalog, logger, retentionDays: settings.usageRetentionDays, now });
  const budgets = new BudgetMonitor({ store, userId: user.id, tracker: usage, logger, now });
  const audit = new AuditRecorder({ store, userId: user.id, logger, now, ...(settings.auditRetentionDays === undefined ? {} : { retentionDays: settings.auditRetentionDays }) });
  // A connection test is one answer (the setting) plus its model list and usage: 30 s more in all.
  const configurationServices = createConfigurationServices({ store, encryption, userId: user.id, providers, logger, usage, budgets, audit, connectionTestMs: timeoutMs + 30_000, now });
  const { configurations, providerAccess, keys } = configurationServices;
  const health = new HealthMonitor({
    configurations: () => configurations.listConfigurations().filter((c) => c.isActive),
    resolve: (configuration) => providerAccess.targetOf(configuration),
    tracker: usage,
    intervalMs: Math.max(1, settings.healthCheckIntervalMinutes) * 60_000,
    timeoutMs: Math.min(timeoutMs, 30_000),
    logger,
    now,
  });
  const gatewayBudgets = new GatewayBudgets({
    configurations: () => configurations.listConfigurations().filter((c) => c.isActive),
    resolve: (configuration) => providerAccess.targetOf(configuration),
    http,
    timeoutMs: Math.min(timeoutMs, 30_000),
    logger,
    now,
  });
  const budgetRefresh = health.onDidCheck(() => {
    void gatewayBudgets.refresh().catch((error: unknown) => {
      logger.warn(`Could not read the LiteLLM budgets: ${errorMessage(error)}`);
    });
  });
  const routeGroups = new RouteGroupService({ store, userId: user.id });
  let factsOf: Promise<FactsOf> | undefined;
  const configurationRow = (id: string) => store.read((r) => r.configurations.get(user.id, id));
  let cancelledCounter: TokenCounter | undefined;
  const router = new Router({
    wallClock: now,
    groups: withConfigurationGroups(routeGroups, user.id, configurationRow),
    targetOf: async (member) => {
      const row = configurationRow(member.configurationId);
      if (!row) throw new Error(`The configuration "${member.name}" no longer exists. Pick another model.`);
      const { provider, target } = await providerAccess.targetOf(row);
      return { adapter: provider, target };
    },
    // Usage is priced by the tracker (overrides, cached input); implicit single-configuration groups are no group.
    recordAttempt: (entry, headers, unreported) => {
      const routeGroupId = entry.routeGroupId?.startsWith(CONFIGURATION_GROUP_PREFIX) ? null : entry.routeGroupId;
      // A cancelled answer is counted with the local tokenizer (its worker starts on the first such count).
      const estimate = unreported ? () => countCancelled((cancelledCounter ??= new TokenCounter()), entry, unreported) : undefined;
      void usage.recordAttempt({ ...entry, routeGroupId: routeGroupId ?? null }, headers, estimate).catch((error: unknown) => {
        logger.error(`A request could not be recorded: ${errorMessage(error)}`);
      });
    },
    // A budget's hard stop pauses its configuration: the router skips it, or says so when no member is left.
    admit: (member, clientId) => {
      const check = budgets.checkBudget(member.configurationId, clientId);
      if (!check.allowed) audit.refused(member.configurationId, { operation: 'chat', reason: 'budget', message: check.message });
      return check;
    },
    facts: async (member, resolved) => {
      factsOf ??= catalog().then(catalogFacts, () => catalogFacts(undefined));
      return (await factsOf)(member, resolved);
    },
  });
  if (state.kind === 'ready') {
    await keys.sealPlainHeaders().catch((error: unknown) => {
      logger.warn(`Could not seal the credential headers stored in plain settings: ${errorMessage(error)}`);
    });
  }
  const conversations = new ConversationStore(store, user.id);
  const templates = new TemplateService({ store, userId: user.id, providers });
  const session: StoreSession = { now, store, encryption, userId: user.id, providers, configurations, providerAccess, keys, conversations, templates, catalog, usage, budgets, health, gatewayBudgets, routeGroups, router, audit };
  const budgetWatch = budgets.watch();
  const pruning = schedulePruning(usage, audit, logger);
  if (settings.healthCheckIntervalMinutes > 0) health.start();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      budgetWatch.dispose();
      pruning.dispose();
      budgetRefresh.dispose();
      health.dispose();
      gatewayBudgets.dispose();
      budgets.dispose();
      routeGroups.dispose();
      router.dispose();
      cancelledCounter?.dispose();
      usage.dispose();
      configurationServices.dispose();
      await store.close();
      await http.close();
    })();
    return closing;
  };
  return { ok: true, session, keyState: state, usesKeychain: !record, notices: result.notices, close };
}

/**
 * Removes request records past the retention (their daily totals stay) and audit entries past theirs a minute after the store opens and then
 * daily: deleting can take a moment on a large file and must not slow the first use.
 */
function schedulePruning(usage: UsageTracker, audit: AuditRecorder, logger: Logger): { dispose(): void } {
  let closed = false;
  const prune = (): void => {
    if (closed) return;
    void usage.pruneOldRequests().catch((error: unknown) => {
      logger.warn(`Could not remove old request records: ${errorMessage(error)}`);
    });
    void audit.prune().catch((error: unknown) => {
      logger.warn(`Could not remove old audit entries: ${errorMessage(error)}`);
    });
  };
  const first = setTimeout(prune, 60_000);
  const daily = setInterval(prune, 86_400_000);
  first.unref();
  daily.unref();
  return {
    dispose: () => {
      closed = true;
      clearTimeout(first);
      clearInterval(daily);
    },
  };
}

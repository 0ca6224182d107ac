import * as vscode from 'vscode';
import type { ModelCatalog } from '../core/catalog';
import type { EncryptionService, KeyState } from '../core/crypto';
import type { ProviderRegistry } from '../core/providers';
import type { FactsOf, RouteGroupService, Router } from '../core/routing';
import type { ConfigurationService } from '../core/services';
import type { Store, StoreNotice } from '../core/store';
import type { BudgetMonitor, HealthMonitor, UsageTracker } from '../core/usage';
import { loggerFor } from './logAdapter';
import { SecretStorageKeySource } from './SecretStorageKeySource';

/** The opened database, the key service, the local user and the services built on them. */
export interface StoreSession {
  /** The session's clock: every service of the session stamps and reads periods with it. */
  readonly now: () => Date;
  readonly store: Store;
  readonly encryption: EncryptionService;
  readonly userId: string;
  readonly providers: ProviderRegistry;
  readonly configurations: ConfigurationService;
  /** The model catalog (context windows, prices), read from dist/ on first use. */
  readonly catalog: () => Promise<ModelCatalog>;
  /** Every request that reached a provider, priced; the usage figures and reports. */
  readonly usage: UsageTracker;
  /** Budgets: alerts at 50/80/100 % after each request and the hard stop before one. */
  readonly budgets: BudgetMonitor;
  /** Periodic cheap checks of each active configuration (started by the host when the setting asks for it). */
  readonly health: HealthMonitor;
  readonly routeGroups: RouteGroupService;
  /** Sends chats to a route group, or to one configuration as `configuration:<id>` (configurationGroupId). */
  readonly router: Router;
}

export const DATABASE_FILE = 'model-manager.sqlite';
const KEYS_NEED_REENTRY_CONTEXT = 'modelManager.keysNeedReentry';

/**
 * Builds the store, the key service and the services over them on first use (never during activation: sql.js,
 * an integrity check and undici are not free), tells the user about anything that happened on the way, and
 * closes them on deactivate.
 */
export class ServiceHost implements vscode.Disposable {
  private opening: Promise<StoreSession> | undefined;
  private session: StoreSession | undefined;
  private http: { close(): Promise<void> } | undefined;
  private budgetWatch: { dispose(): void } | undefined;
  private secretWatch: vscode.Disposable | undefined;
  private pruneTimers: NodeJS.Timeout[] = [];
  private readonly keyStateChanged = new vscode.EventEmitter<KeyState>();
  readonly onDidChangeKeyState = this.keyStateChanged.event;
  private readonly sessionOpened = new vscode.EventEmitter<StoreSession>();
  /** Fires each time the services are (re)built, so views can subscribe to the new ConfigurationService. */
  readonly onDidOpen = this.sessionOpened.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    /** The session's wall clock; the integration tests run the extension on a shifted one. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get databasePath(): string {
    return vscode.Uri.joinPath(this.context.globalStorageUri, DATABASE_FILE).fsPath;
  }

  open(): Promise<StoreSession> {
    this.opening ??= this.openNow().catch((error: unknown) => {
      // A failed open is retried on the next use (the user may have fixed the cause meanwhile).
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async openNow(): Promise<StoreSession> {
    const core = await import('./core');
    const { openStore, EncryptionService, HttpClient, ProviderRegistry, ConfigurationService, UsageTracker, catalogFileLoader, lazyCatalog } = core;
    const logger = loggerFor(this.log);
    // One wall clock for every service of the session, so their rows and periods agree.
    const now = this.clock;
    const result = await openStore({
      now,
      filePath: this.databasePath,
      wasmPath: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
      logger,
    });
    if (!result.ok) {
      this.log.error(result.problem.message);
      void this.showProblem(result.problem.message);
      throw new Error(result.problem.message);
    }
    for (const notice of result.notices) this.showNotice(notice);
    const { store } = result;
    // Only the first run writes: opening must leave the file alone (it may be a state the user has to repair).
    const user = store.read((r) => r.users.localUser()) ?? (await store.write((r) => r.users.ensureLocalUser()));
    const encryption = new EncryptionService(store, new SecretStorageKeySource(this.context.secrets), { logger });
    const state = await encryption.initialize();
    if (state.kind === 'ready') await encryption.finishPendingRotations();
    // SecretStorage is shared by every window: Rotate Master Key in one must not leave the others on the old key.
    this.secretWatch?.dispose();
    this.secretWatch = this.context.secrets.onDidChange(() => {
      void encryption.refreshMasterSecret().catch((error: unknown) => {
        logger.warn(`Could not read the master key another window stored: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    const preferences = vscode.workspace.getConfiguration('modelManager');
    const timeoutMs = Math.max(5, preferences.get<number>('requestTimeoutSeconds', 60)) * 1000;
    // The setting bounds the wait for an answer and for each new part of it; an answer still producing may run 15 times as long.
    const http = new HttpClient({ timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs, totalMs: 15 * timeoutMs } });
    this.http = http;
    const providers = new ProviderRegistry({ http, logger });
    const catalog = lazyCatalog(catalogFileLoader(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'model-catalog.json').fsPath));
    const retentionDays = preferences.get<number>('usageRetentionDays', core.DEFAULT_RETENTION_DAYS);
    const usage = new UsageTracker({ store, userId: user.id, catalog, logger, retentionDays, now });
    const budgets = new core.BudgetMonitor({ store, userId: user.id, tracker: usage, logger, now });
    // A connection test is one answer (the setting) plus its model list and usage: 30 s more in all.
    const configurations = new ConfigurationService({ store, encryption, userId: user.id, providers, logger, usage, budgets, connectionTestMs: timeoutMs + 30_000, now });
    const health = new core.HealthMonitor({
      configurations: () => configurations.listConfigurations().filter((c) => c.isActive),
      resolve: (configuration) => configurations.targetOf(configuration),
      tracker: usage,
      intervalMs: Math.max(1, preferences.get<number>('healthCheckIntervalMinutes', 15)) * 60_000,
      timeoutMs: Math.min(timeoutMs, 30_000),
      logger,
      now,
    });
    const routeGroups = new core.RouteGroupService({ store, userId: user.id });
    let factsOf: Promise<FactsOf> | undefined;
    const configurationRow = (id: string) => store.read((r) => r.configurations.get(user.id, id));
    const router = new core.Router({
      wallClock: now,
      groups: core.withConfigurationGroups(routeGroups, user.id, configurationRow),
      targetOf: async (member) => {
        const row = configurationRow(member.configurationId);
        if (!row) throw new Error(`The configuration "${member.name}" no longer exists. Pick another model.`);
        const { provider, target } = await configurations.targetOf(row);
        return { adapter: provider, target };
      },
      // Usage is priced by the tracker (overrides, cached input); implicit single-configuration groups are no group.
      recordAttempt: (entry, headers) => {
        const routeGroupId = entry.routeGroupId?.startsWith(core.CONFIGURATION_GROUP_PREFIX) ? null : entry.routeGroupId;
        void usage.recordAttempt({ ...entry, routeGroupId: routeGroupId ?? null }, headers).catch((error: unknown) => {
          logger.error(`A request could not be recorded: ${error instanceof Error ? error.message : String(error)}`);
        });
      },
      // A budget's hard stop pauses its configuration: the router skips it, or says so when no member is left.
      admit: (member) => budgets.checkBudget(member.configurationId),
      facts: async (member, resolved) => {
        factsOf ??= catalog().then(core.catalogFacts, () => core.catalogFacts(undefined));
        return (await factsOf)(member, resolved);
      },
    });
    if (state.kind === 'ready') {
      await configurations.sealPlainHeaders().catch((error: unknown) => {
        logger.warn(`Could not seal the credential headers stored in plain settings: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    this.session = { now, store, encryption, userId: user.id, providers, configurations, catalog, usage, budgets, health, routeGroups, router };
    this.budgetWatch = budgets.watch();
    this.schedulePruning(usage, logger);
    if (preferences.get<number>('healthCheckIntervalMinutes', 15) > 0) health.start();
    this.sessionOpened.fire(this.session);
    this.publishKeyState(state);
    return this.session;
  }

  /**
   * Removes request records past the retention (their daily totals stay) a minute after the store opens and then
   * daily: deleting can take a moment on a large file and must not slow the first use.
   */
  private schedulePruning(usage: UsageTracker, logger: { warn(message: string): void }): void {
    const prune = (): void => {
      if (this.session?.usage !== usage) return;
      void usage.pruneOldRequests().catch((error: unknown) => {
        logger.warn(`Could not remove old request records: ${error instanceof Error ? error.message : String(error)}`);
      });
    };
    const first = setTimeout(prune, 60_000);
    const daily = setInterval(prune, 86_400_000);
    first.unref();
    daily.unref();
    this.pruneTimers = [first, daily];
  }

  /**
   * The way out of "keys need re-entry", only on the user's explicit word: a new master secret; the configurations
   * stay, their unreadable keys must be entered again.
   */
  async startOverWithNewSecret(): Promise<KeyState> {
    const session = await this.open();
    await session.encryption.startOverWithNewMasterSecret(session.userId);
    const state = session.encryption.keyState;
    this.publishKeyState(state);
    return state;
  }

  /** The session if the services are already open: for views that must not open the store just to render. */
  get current(): StoreSession | undefined {
    return this.session;
  }

  async close(): Promise<void> {
    const session = this.session;
    const http = this.http;
    this.session = undefined;
    this.http = undefined;
    this.opening = undefined;
    this.budgetWatch?.dispose();
    this.budgetWatch = undefined;
    this.secretWatch?.dispose();
    this.secretWatch = undefined;
    for (const timer of this.pruneTimers.splice(0)) clearTimeout(timer);
    session?.health.dispose();
    session?.budgets.dispose();
    session?.routeGroups.dispose();
    session?.router.dispose();
    session?.usage.dispose();
    session?.configurations.dispose();
    await session?.store.close();
    await http?.close();
  }

  dispose(): void {
    this.keyStateChanged.dispose();
    this.sessionOpened.dispose();
  }

  private publishKeyState(state: KeyState): void {
    void vscode.commands.executeCommand('setContext', KEYS_NEED_REENTRY_CONTEXT, state.kind === 'keys-need-reentry');
    this.keyStateChanged.fire(state);
    if (state.kind === 'keys-need-reentry') {
      this.log.warn(state.message);
      void this.offerStartOver(state.message);
    }
  }

  private async offerStartOver(message: string): Promise<void> {
    const startOver = vscode.l10n.t('Start Over…');
    const logs = vscode.l10n.t('Show Logs');
    const choice = await vscode.window.showWarningMessage(message, startOver, logs);
    if (choice === startOver) await vscode.commands.executeCommand('modelManager.startOverWithNewSecret');
    else if (choice === logs) this.log.show(true);
  }

  private showNotice(notice: StoreNotice): void {
    this.log.warn(notice.message);
    const reveal = vscode.l10n.t('Reveal Kept File');
    const kept = notice.kind === 'restored-from-backup' ? notice.quarantinedTo : notice.quarantinedTo[0];
    void vscode.window.showWarningMessage(notice.message, reveal).then((choice) => {
      if (choice === reveal && kept) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(kept));
    });
  }

  private async showProblem(message: string): Promise<void> {
    const logs = vscode.l10n.t('Show Logs');
    if ((await vscode.window.showErrorMessage(message, logs)) === logs) this.log.show(true);
  }
}

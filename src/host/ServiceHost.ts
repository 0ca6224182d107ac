import * as vscode from 'vscode';
import type { ModelCatalog } from '../core/catalog';
import type { EncryptionService, KeySource, KeyState, PassphraseKey, PassphraseRecord } from '../core/crypto';
import type { ProviderRegistry } from '../core/providers';
import type { FactsOf, RouteGroupService, Router } from '../core/routing';
import type { ConfigurationService } from '../core/services';
import type { Store, StoreNotice } from '../core/store';
import type { BudgetMonitor, HealthMonitor, UsageTracker } from '../core/usage';
import { loggerFor } from './logAdapter';
import { inputBoxPassphrasePrompt, type PassphrasePrompt } from './masterPassphrase';
import { ReadBackKeySource } from './ReadBackKeySource';
import { forgetKeychainMasterSecret, SecretStorageKeySource } from './SecretStorageKeySource';

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
  /** The keychain key source of the open session (undefined in passphrase mode). */
  private keychain: ReadBackKeySource | undefined;
  /** The key derived from the master passphrase, kept for this window only (the passphrase is asked once). */
  private passphrase: { readonly salt: string; readonly key: PassphraseKey } | undefined;
  /** Where the master key lives: VS Code SecretStorage; the integration tests give one that does not keep it. */
  keychainStorage: vscode.SecretStorage;
  /** How the master passphrase is asked: input boxes; the integration tests answer it themselves. */
  passphrasePrompt: PassphrasePrompt = inputBoxPassphrasePrompt;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    /** The session's wall clock; the integration tests run the extension on a shifted one. */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.keychainStorage = context.secrets;
  }

  /** False when the keychain did not give back the master key this session wrote (the window has warned). */
  get keychainKeepsMasterKey(): boolean {
    return this.keychain?.kept ?? true;
  }

  /** Forgets this window's passphrase-derived key: the next open asks again, as a new window would. */
  forgetPassphrase(): void {
    this.passphrase?.key.key.fill(0);
    this.passphrase = undefined;
  }

  /** Whether the stored keys are protected by a master passphrase rather than the keychain. */
  get usesPassphrase(): boolean {
    return this.keychain === undefined && this.session !== undefined;
  }

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
    const record = core.passphraseRecordOf(store);
    const passphraseKey = record ? await this.passphraseKeyFor(record) : undefined;
    this.keychain = record ? undefined : new ReadBackKeySource(new SecretStorageKeySource(this.keychainStorage));
    const keySource: KeySource = passphraseKey ? new core.PassphraseKeySource(store, passphraseKey) : this.keychain ?? new ReadBackKeySource(new SecretStorageKeySource(this.keychainStorage));
    const encryption = new EncryptionService(store, keySource, { logger });
    // A passphrase not entered locks the keys for this window; nothing may create a master key meanwhile.
    const state = record && !passphraseKey ? encryption.lock() : await encryption.initialize();
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
    if (this.keychain && !this.keychain.kept) void this.offerPassphraseForUnkeptKey(this.keychain.problem);
    return this.session;
  }

  /** The derived key for the record: this window's, or asked until it opens the record or the user cancels. */
  private async passphraseKeyFor(record: PassphraseRecord): Promise<PassphraseKey | undefined> {
    if (this.passphrase?.salt === record.salt) return this.passphrase.key;
    const { unlockWithPassphrase } = await import('./core');
    for (let wrong = false; ; wrong = true) {
      const passphrase = await this.passphrasePrompt.existing(wrong);
      if (passphrase === undefined) return undefined;
      const key = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking the master passphrase…') },
        () => unlockWithPassphrase(passphrase, record),
      );
      if (key) {
        this.passphrase = { salt: record.salt, key };
        return key;
      }
      this.log.warn('A master passphrase was entered that does not open the stored API keys.');
    }
  }

  /** Closes and opens the services again (after the key source changed). */
  async reopen(): Promise<StoreSession> {
    await this.close();
    return this.open();
  }

  /** "Enter Master Passphrase": asks again in a window where it was cancelled; the keys open if it is right. */
  async unlockWithPassphrase(): Promise<KeyState> {
    const session = await this.open();
    if (session.encryption.keyState.kind === 'ready') return session.encryption.keyState;
    return (await this.reopen()).encryption.keyState;
  }

  /**
   * Moves the master key from the keychain to the database, sealed under a new master passphrase; with
   * `startOver` (the keys could not be opened anyway) a new master key is made under it. False: cancelled.
   */
  async adoptPassphrase(options: { readonly startOver: boolean }): Promise<boolean> {
    const core = await import('./core');
    const session = await this.open();
    const passphrase = await this.passphrasePrompt.fresh();
    if (passphrase === undefined) return false;
    const { record, key } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deriving the key from the master passphrase…') },
      () => core.createPassphraseRecord(passphrase),
    );
    const master = session.encryption.keyState.kind === 'ready' ? await this.keychain?.getMasterSecret() : undefined;
    await core.PassphraseKeySource.adopt(session.store, record, key, master);
    this.passphrase = { salt: record.salt, key };
    await forgetKeychainMasterSecret(this.keychainStorage);
    const reopened = await this.reopen();
    if (options.startOver && reopened.encryption.keyState.kind !== 'ready') {
      await reopened.encryption.startOverWithNewMasterSecret(reopened.userId);
      this.publishKeyState(reopened.encryption.keyState);
    }
    this.log.info('Stored API keys are now protected by a master passphrase instead of the keychain.');
    return true;
  }

  /** Said at once, in the window where it happened: keys stored now would be lost at the next reload. */
  private async offerPassphraseForUnkeptKey(problem: string | undefined): Promise<void> {
    this.log.warn(`The keychain did not keep the master key${problem ? ` (${problem})` : ''}.`);
    const use = vscode.l10n.t('Use a Master Passphrase…');
    const logs = vscode.l10n.t('Show Logs');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('This machine\'s keychain did not keep Model Manager\'s master key, so API keys stored now could not be opened after a reload or restart. Protect them with a master passphrase instead (asked once per window)?'),
      use,
      logs,
    );
    if (choice === use) await vscode.commands.executeCommand('modelManager.useMasterPassphrase');
    else if (choice === logs) this.log.show(true);
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
    const passphrase = vscode.l10n.t('Start Over with a Master Passphrase…');
    const enter = vscode.l10n.t('Enter Master Passphrase…');
    const logs = vscode.l10n.t('Show Logs');
    const locked = this.session?.encryption.keyState;
    const choices = locked?.kind === 'keys-need-reentry' && locked.reason === 'passphrase-needed' ? [enter, logs] : [startOver, passphrase, logs];
    const choice = await vscode.window.showWarningMessage(message, ...choices);
    if (choice === startOver) await vscode.commands.executeCommand('modelManager.startOverWithNewSecret');
    else if (choice === passphrase) await vscode.commands.executeCommand('modelManager.useMasterPassphrase');
    else if (choice === enter) await vscode.commands.executeCommand('modelManager.enterMasterPassphrase');
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

import * as vscode from 'vscode';
import type { KeyState, PassphraseKey, PassphraseRecord } from '../core/crypto';
import { ReadBackKeySource } from '../core/crypto/ReadBackKeySource';
import type { DisposableStore, IDisposable } from '../core/lifecycle';
import type { OpenSession, SessionSource, StoreSession } from '../core/session';
import { SessionScopes } from '../core/sessionScopes';
import type { StoreNotice } from '../core/store';
import { loggerFor } from './logAdapter';
import { inputBoxPassphrasePrompt, type PassphrasePrompt } from './masterPassphrase';
import { forgetKeychainMasterSecret, SecretStorageKeySource } from './SecretStorageKeySource';
import { errorMessage } from '../core/errors';
import { keyNoticeGate } from '../core/noticeGate';

export const DATABASE_FILE = 'model-manager.sqlite';
const KEYS_NEED_REENTRY_CONTEXT = 'modelManager.keysNeedReentry';

/**
 * Builds the store, the key service and the services over them on first use (never during activation: sql.js,
 * an integrity check and undici are not free), tells the user about anything that happened on the way, and
 * closes them on deactivate.
 */
export class ServiceHost implements SessionSource, vscode.Disposable {
  private opening: Promise<StoreSession> | undefined;
  /** Counts close() calls: an open that finishes after one has been overtaken and must not become the session. */
  private generation = 0;
  private opened: OpenSession | undefined;
  private secretWatch: vscode.Disposable | undefined;
  private readonly keyStateChanged = new vscode.EventEmitter<KeyState>();
  readonly onDidChangeKeyState = this.keyStateChanged.event;
  private readonly sessions = new SessionScopes<StoreSession>((error: unknown) => {
    this.log.error(`A view could not follow the reopened services: ${errorMessage(error)}`);
  });
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
    return this.keychain === undefined && this.opened !== undefined;
  }

  get databasePath(): string {
    return vscode.Uri.joinPath(this.context.globalStorageUri, DATABASE_FILE).fsPath;
  }

  open(): Promise<StoreSession> {
    if (this.opening) return this.opening;
    const opening: Promise<StoreSession> = this.openNow().catch((error: unknown) => {
      // A failed open is retried on the next use (the user may have fixed the cause meanwhile); an open that a
      // close() already replaced must not forget the one under way now.
      if (this.opening === opening) this.opening = undefined;
      throw error;
    });
    this.opening = opening;
    return opening;
  }

  private async openNow(): Promise<StoreSession> {
    const generation = this.generation;
    const { openSession, DEFAULT_RETENTION_DAYS, DEFAULT_AUDIT_RETENTION_DAYS } = await import('./lazyCore');
    const logger = loggerFor(this.log);
    const preferences = vscode.workspace.getConfiguration('modelManager');
    const keychain = new ReadBackKeySource(new SecretStorageKeySource(this.keychainStorage));
    const result = await openSession({
      databasePath: this.databasePath,
      wasmPath: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
      catalogPath: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'model-catalog.json').fsPath,
      logger,
      // One wall clock for every service of the session, so their rows and periods agree.
      now: this.clock,
      settings: {
        requestTimeoutSeconds: preferences.get<number>('requestTimeoutSeconds', 60),
        usageRetentionDays: preferences.get<number>('usageRetentionDays', DEFAULT_RETENTION_DAYS),
        auditRetentionDays: preferences.get<number>('auditRetentionDays', DEFAULT_AUDIT_RETENTION_DAYS),
        modelListCacheSeconds: preferences.get<number>('modelListCacheSeconds', 300),
        healthCheckIntervalMinutes: preferences.get<number>('healthCheckIntervalMinutes', 15),
      },
      keychain,
      passphraseKey: (record) => this.passphraseKeyFor(record),
    });
    if (!result.ok) {
      this.log.error(result.problem.message);
      void this.showProblem(result.problem.message);
      throw new Error(result.problem.message);
    }
    if (generation !== this.generation) {
      // close() ran while this open was under way (a reopen, or deactivate): what it opened is nobody's.
      await result.close();
      if (this.opening) return this.opening;
      throw new Error(vscode.l10n.t('Model Manager closed its store while it was opening. Try again.'));
    }
    for (const notice of result.notices) this.showNotice(notice);
    const { session, keyState: state } = result;
    this.keychain = result.usesKeychain ? keychain : undefined;
    // SecretStorage is shared by every window: Rotate Master Key in one must not leave the others on the old key.
    this.secretWatch?.dispose();
    this.secretWatch = this.context.secrets.onDidChange(() => {
      void session.encryption.refreshMasterSecret().catch((error: unknown) => {
        logger.warn(`Could not read the master key another window stored: ${errorMessage(error)}`);
      });
    });
    this.opened = result;
    this.sessions.opened(session);
    this.publishKeyState(state);
    if (this.keychain && !this.keychain.kept) void this.offerPassphraseForUnkeptKey(this.keychain.problem);
    return session;
  }

  /** The derived key for the record: this window's, or asked until it opens the record or the user cancels. */
  private async passphraseKeyFor(record: PassphraseRecord): Promise<PassphraseKey | undefined> {
    if (this.passphrase?.salt === record.salt) return this.passphrase.key;
    const { unlockWithPassphrase } = await import('./lazyCore');
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
    const core = await import('./lazyCore');
    const session = await this.open();
    const passphrase = await this.passphrasePrompt.fresh();
    if (passphrase === undefined) return false;
    const { record, key } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deriving the key from the master passphrase…') },
      () => core.createPassphraseRecord(passphrase),
    );
    const master = session.encryption.keyState.kind === 'ready' ? await this.keychain?.getMasterSecret() : undefined;
    await session.keys.adoptPassphrase(record, key, master);
    this.passphrase = { salt: record.salt, key };
    await forgetKeychainMasterSecret(this.keychainStorage);
    // With startOver the user has just answered the "cannot open" notice: neither the reopen nor a view meeting the
    // old keys meanwhile shows it again for the keys the new master key below replaces.
    await keyNoticeGate().whileMuted(async () => {
      const reopened = await this.reopen();
      if (options.startOver && reopened.encryption.keyState.kind !== 'ready') {
        await reopened.encryption.startOverWithNewMasterSecret(reopened.userId);
        this.publishKeyState(reopened.encryption.keyState);
      }
    });
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
   * The way out of "keys need re-entry", only on the user's explicit word: a new master secret; the configurations
   * stay, their unreadable keys must be entered again.
   */
  async startOverWithNewSecret(): Promise<KeyState> {
    return keyNoticeGate().whileMuted(async () => {
      const session = await this.open();
      await session.encryption.startOverWithNewMasterSecret(session.userId);
      const state = session.encryption.keyState;
      this.publishKeyState(state);
      return state;
    });
  }

  onSession(fn: (session: StoreSession, scope: DisposableStore) => void): IDisposable {
    return this.sessions.watch(this.current, fn);
  }

  /** The session if the services are already open: for views that must not open the store just to render. */
  get current(): StoreSession | undefined {
    return this.opened?.session;
  }

  async close(): Promise<void> {
    this.generation++;
    const opened = this.opened;
    this.opened = undefined;
    this.opening = undefined;
    this.secretWatch?.dispose();
    this.secretWatch = undefined;
    if (opened) this.sessions.closed();
    await opened?.close();
  }

  dispose(): void {
    this.keyStateChanged.dispose();
    this.sessions.dispose();
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
    const locked = this.opened?.session.encryption.keyState;
    const choices = locked?.kind === 'keys-need-reentry' && locked.reason === 'passphrase-needed' ? [enter, logs] : [startOver, passphrase, logs];
    const choice = await keyNoticeGate().show(() => vscode.window.showWarningMessage(message, ...choices));
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

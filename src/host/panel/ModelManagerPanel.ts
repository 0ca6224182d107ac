import * as vscode from 'vscode';
import { PROTOCOL_VERSION, readySchema, type RpcNotification, type RpcProgress, type RpcResponse } from '../../protocol';
import { offerStartOver } from '../feedback';
import { DisposableStore, disposeAll, toDisposable, type IDisposable } from '../../core/lifecycle';
import type { AIConfiguration } from '../../core/store';
import type { ServiceHost } from '../ServiceHost';
import { renderPanelHtml } from './html';
import type { PanelApiDeps, PanelRequests } from '../../panelHandlers/PanelApi';
import { errorMessage } from '../../core/errors';

export const PANEL_VIEW_TYPE = 'modelManager.panel';

/** What `modelManager.open` resolves to once the webview has loaded and said hello. */
export interface PanelState {
  readonly viewType: string;
  readonly visible: boolean;
  readonly protocolVersion: number;
}

export interface PanelDependencies {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly services: ServiceHost;
  readonly templates: PanelApiDeps['templates'];
}

export type PanelScreen = 'list' | 'add' | 'usage';

/** The one Model Manager editor panel: revealed if open, created otherwise, restored after a reload. */
export class ModelManagerPanel implements vscode.Disposable {
  private static current: ModelManagerPanel | undefined;

  private readonly disposables = new DisposableStore();
  /** The configuration copies this panel sent, so that an edit's conflict can name what changed since. */
  private readonly sent = new Map<string, AIConfiguration>();
  private readonly ready: Promise<number>;
  private resolveReady: (version: number) => void = () => undefined;
  /** The screen asked for while the panel was hidden, shown when its page is ready again. */
  private pendingScreen: PanelScreen | undefined;

  static async show(deps: PanelDependencies, screen: PanelScreen = 'list'): Promise<PanelState> {
    const existing = ModelManagerPanel.current;
    if (existing) {
      // A panel in a background tab has no page (its context is not retained): revealing it loads the page again,
      // which then says `ready`; the screen is sent then, as a message to the page now would be lost.
      if (screen !== 'list') {
        if (existing.panel.visible) void existing.notify({ kind: 'notification', event: 'navigate', screen });
        else existing.pendingScreen = screen;
      }
      existing.panel.reveal(undefined, false);
      return existing.state();
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, vscode.l10n.t('Model Manager'), vscode.ViewColumn.Active, panelOptions(deps.extensionUri));
    const created = new ModelManagerPanel(panel, deps, screen);
    ModelManagerPanel.current = created;
    return created.state();
  }

  /** Restores a panel VS Code kept across a reload (registerWebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, deps: PanelDependencies): void {
    ModelManagerPanel.current?.dispose();
    panel.webview.options = panelOptions(deps.extensionUri);
    ModelManagerPanel.current = new ModelManagerPanel(panel, deps, 'list');
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDependencies,
    screen: PanelScreen,
  ) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'activitybar.svg');
    panel.webview.html = renderPanelHtml(panel.webview, deps.extensionUri, vscode.l10n.t('Model Manager'), screen);
    this.disposables.add(panel.webview.onDidReceiveMessage((raw: unknown) => {
      void this.receive(raw);
    }));
    this.disposables.add(panel.onDidDispose(() => {
      this.dispose();
    }));
    this.disposables.add(deps.services.onSession((session, scope) => {
      scope.add(this.watch(session.configurations, session.health));
      scope.add(this.watchRouteGroups(session.routeGroups, session.router));
      scope.add(this.watchUsage(session.usage));
    }));
  }

  private usageTimer: NodeJS.Timeout | undefined;
  /** The page's requests still running, which it may cancel (and which closing the panel cancels). */
  private requests: PanelRequests | undefined;

  /** An open usage dashboard follows new requests, at most every two seconds (a streaming chat records often). */
  private watchUsage(usage: { onDidRecord: (listener: () => void) => IDisposable }): IDisposable {
    return usage.onDidRecord(() => {
      this.usageTimer ??= setTimeout(() => {
        this.usageTimer = undefined;
        void this.notify({ kind: 'notification', event: 'usageChanged' });
      }, 2_000);
    });
  }

  /** Configurations changed, or a health check changed what the list shows as their state. */
  private watch(configurations: { onDidChange: (listener: () => void) => IDisposable }, health: { onDidChange: (listener: () => void) => IDisposable }): IDisposable {
    const changed = (): void => {
      void this.notify({ kind: 'notification', event: 'configurationsChanged' });
    };
    const subscriptions = [configurations.onDidChange(changed), health.onDidChange(changed)];
    return toDisposable(() => {
      disposeAll(subscriptions);
    });
  }

  /**
   * Groups changed from the tree or the palette, and members entering or leaving cooldown or a budget's pause, show
   * up in an open Route Groups screen.
   */
  private watchRouteGroups(groups: { onDidChange: (listener: () => void) => IDisposable }, router: { onDidChangeMemberState: (listener: () => void) => IDisposable }): IDisposable {
    const changed = (): void => {
      void this.notify({ kind: 'notification', event: 'routeGroupsChanged' });
    };
    const subscriptions = [groups.onDidChange(changed), router.onDidChangeMemberState(changed)];
    return toDisposable(() => {
      disposeAll(subscriptions);
    });
  }

  private async state(): Promise<PanelState> {
    const protocolVersion = await this.ready;
    return { viewType: PANEL_VIEW_TYPE, visible: this.panel.visible, protocolVersion };
  }

  private async receive(raw: unknown): Promise<void> {
    const ready = readySchema.safeParse(raw);
    if (ready.success) {
      if (ready.data.protocolVersion !== PROTOCOL_VERSION) {
        this.deps.log.warn(`The panel speaks protocol ${String(ready.data.protocolVersion)}, the extension ${String(PROTOCOL_VERSION)}; reloading the panel.`);
        this.panel.webview.html = renderPanelHtml(this.panel.webview, this.deps.extensionUri, vscode.l10n.t('Model Manager'), 'list');
        return;
      }
      this.resolveReady(ready.data.protocolVersion);
      const screen = this.pendingScreen;
      this.pendingScreen = undefined;
      if (screen !== undefined && screen !== 'list') void this.notify({ kind: 'notification', event: 'navigate', screen });
      return;
    }
    let session;
    try {
      session = await this.deps.services.open();
    } catch (error) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') {
        await this.post({ kind: 'response', id, ok: false, error: { code: 'internal', message: (errorMessage(error)).slice(0, 4000) } });
      }
      return;
    }
    const { handlePanelMessage, PanelRequests } = await import('../lazyCore');
    this.requests ??= new PanelRequests();
    if (this.requests.cancel(raw)) return;
    const response = await handlePanelMessage({ session, templates: this.deps.templates, saveFile: saveWithDialog, sent: this.sent }, raw, (id, message) => {
      void this.post({ kind: 'progress', id, message });
    }, this.requests);
    // The page shows the refusal; the way out (a new master key) is a host action, offered here as on every other path.
    if (response && !response.ok && response.error.code === 'keys-need-reentry') void offerStartOver(response.error.message);
    if (response) await this.post(response);
    else this.deps.log.warn('Dropped a message from the Model Manager panel that was not a valid request.');
  }

  private notify(message: RpcNotification): Thenable<boolean> {
    return this.post(message);
  }

  private post(message: RpcResponse | RpcProgress | RpcNotification): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ModelManagerPanel.current === this) ModelManagerPanel.current = undefined;
    this.requests?.cancelAll();
    clearTimeout(this.usageTimer);
    this.panel.dispose();
    this.disposables.dispose();
  }
}

/** The usage dashboard's CSV export: the user picks the file; nothing is written without that. */
async function saveWithDialog(suggestedName: string, content: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Usage as CSV'),
    filters: { CSV: ['csv'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, suggestedName) } : {}),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  return target.path.split('/').pop() ?? suggestedName;
}

function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

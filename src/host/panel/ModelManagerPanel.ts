import * as vscode from 'vscode';
import { PROTOCOL_VERSION, type RpcNotification, type RpcRequest, type RpcResponse } from '../../protocol';
import { offerStartOver } from '../feedback';
import { confirmKeyDestination } from '../keyDestination';
import { DisposableStore, disposeAll, toDisposable, type IDisposable } from '../../core/lifecycle';
import type { RunningRequests } from '../../core/rpc';
import type { AIConfiguration } from '../../core/store';
import type { ServiceHost } from '../ServiceHost';
import type { PanelApiDeps } from '../../panelHandlers/PanelApi';
import { errorMessage } from '../../core/errors';
import { editorPage } from '../webview/pages';
import { SinglePanel, WebviewPage, type WebviewPageOptions } from '../webview/WebviewPage';

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
  private static readonly slot = new SinglePanel<ModelManagerPanel>();

  private readonly disposables = new DisposableStore();
  /** The configuration copies this panel sent, so that an edit's conflict can name what changed since. */
  private readonly sent = new Map<string, AIConfiguration>();
  private readonly page: WebviewPage<RpcNotification>;

  static async show(deps: PanelDependencies, screen: PanelScreen = 'list'): Promise<PanelState> {
    const { panel, created } = ModelManagerPanel.slot.getOrCreate(() => new ModelManagerPanel(deps, (options) => WebviewPage.create(editorPage, options), screen));
    if (!created) {
      // A page in a background tab is discarded (its context is not retained): the gate holds this until the page,
      // loaded again by the reveal, says `ready`.
      if (screen !== 'list') panel.page.notify({ kind: 'notification', event: 'navigate', screen });
      panel.page.reveal();
    }
    return panel.state();
  }

  /** Restores a panel VS Code kept across a reload (registerWebviewPanelSerializer). */
  static revive(webviewPanel: vscode.WebviewPanel, deps: PanelDependencies): void {
    ModelManagerPanel.slot.replace(() => new ModelManagerPanel(deps, (options) => WebviewPage.adopt(webviewPanel, editorPage, options), 'list'));
  }

  private constructor(
    private readonly deps: PanelDependencies,
    open: (options: WebviewPageOptions<RpcNotification>) => WebviewPage<RpcNotification>,
    screen: PanelScreen,
  ) {
    this.page = open({
      extensionUri: deps.extensionUri,
      version: PROTOCOL_VERSION,
      data: { screen },
      log: (message) => {
        deps.log.warn(message);
      },
      answer: (request, requests, progress) => this.answer(request, requests, progress),
      onDidDispose: () => {
        this.dispose();
      },
    });
    this.disposables.add(deps.services.onSession((session, scope) => {
      scope.add(this.watch(session.configurations, session.health));
      scope.add(this.watchOtherWindows(session));
      scope.add(this.watchRouteGroups(session.routeGroups, session.router));
      scope.add(this.watchUsage(session.usage));
      scope.add(session.budgets.onDidChange(() => {
        this.notify({ kind: 'notification', event: 'budgetsChanged' });
      }));
      scope.add(session.gatewayBudgets.onDidChange(() => {
        this.notify({ kind: 'notification', event: 'gatewayBudgetsChanged' });
      }));
    }));
  }

  private usageTimer: NodeJS.Timeout | undefined;

  /**
   * Another window's saves reach this one when it next reads: while the panel is open it looks every two seconds, and
   * whenever any read or write loaded another window's save it says so if the configurations changed (not for the
   * usage rows another window's chat recorded).
   */
  private watchOtherWindows(session: {
    readonly configurations: {
      listConfigurations(): readonly { id: string; updatedAt: string; testStatus: string | null }[];
      checkOtherWindows(): void;
      onDidLoadOtherWindowsSave(listener: () => void): IDisposable;
    };
  }): IDisposable {
    const versions = (): string => session.configurations.listConfigurations().map((c) => `${c.id}@${c.updatedAt}@${c.testStatus ?? ''}`).join(',');
    const warn = (error: unknown): void => {
      this.deps.log.warn(`Could not look for changes from other windows: ${errorMessage(error)}`);
    };
    let seen = versions();
    const reloaded = session.configurations.onDidLoadOtherWindowsSave(() => {
      try {
        const now = versions();
        if (now === seen) return;
        seen = now;
        this.notify({ kind: 'notification', event: 'configurationsChanged' });
      } catch (error) {
        warn(error);
      }
    });
    const timer = setInterval(() => {
      try {
        session.configurations.checkOtherWindows();
      } catch (error) {
        warn(error);
      }
    }, 2_000);
    timer.unref();
    return toDisposable(() => {
      clearInterval(timer);
      reloaded.dispose();
    });
  }

  /** An open usage dashboard follows new requests, at most every two seconds (a streaming chat records often). */
  private watchUsage(usage: { onDidRecord: (listener: () => void) => IDisposable }): IDisposable {
    return usage.onDidRecord(() => {
      this.usageTimer ??= setTimeout(() => {
        this.usageTimer = undefined;
        this.notify({ kind: 'notification', event: 'usageChanged' });
      }, 2_000);
    });
  }

  /** Configurations changed, or a health check changed what the list shows as their state. */
  private watch(configurations: { onDidChange: (listener: () => void) => IDisposable }, health: { onDidChange: (listener: () => void) => IDisposable }): IDisposable {
    const changed = (): void => {
      this.notify({ kind: 'notification', event: 'configurationsChanged' });
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
      this.notify({ kind: 'notification', event: 'routeGroupsChanged' });
    };
    const subscriptions = [groups.onDidChange(changed), router.onDidChangeMemberState(changed)];
    return toDisposable(() => {
      disposeAll(subscriptions);
    });
  }

  private async state(): Promise<PanelState> {
    const protocolVersion = await this.page.whenReady();
    return { viewType: editorPage.viewType, visible: this.page.visible, protocolVersion };
  }

  /** One request of the page, answered with the session's services (opened on first use). */
  private async answer(request: RpcRequest, requests: RunningRequests, progress: (id: number, message: string) => void): Promise<RpcResponse | undefined> {
    let session;
    try {
      session = await this.deps.services.open();
    } catch (error) {
      return { kind: 'response', id: request.id, ok: false, error: { code: 'internal', message: errorMessage(error).slice(0, 4000) } };
    }
    const { handlePanelMessage } = await import('../lazyCore');
    const response = await handlePanelMessage({ session, templates: this.deps.templates, saveFile: saveWithDialog, sent: this.sent, confirmKeyDestination }, request, progress, requests);
    // The page shows the refusal; the way out (a new master key) is a host action, offered here as on every other path.
    if (response && !response.ok && response.error.code === 'keys-need-reentry') void offerStartOver(response.error.message);
    return response;
  }

  private notify(message: RpcNotification): void {
    this.page.notify(message);
  }

  dispose(): void {
    ModelManagerPanel.slot.release(this);
    clearTimeout(this.usageTimer);
    this.page.dispose();
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

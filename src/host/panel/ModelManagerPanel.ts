import * as vscode from 'vscode';
import {
  PROTOCOL_VERSION,
  describeInvalidMessage,
  webviewMessageSchema,
  type HostMessage,
  type WebviewMessage,
} from '../../protocol/messages';
import { renderPanelHtml } from './html';

export const PANEL_VIEW_TYPE = 'modelManager.panel';

/** What `modelManager.open` resolves to once the webview has loaded and said hello. */
export interface PanelState {
  readonly viewType: string;
  readonly visible: boolean;
  readonly protocolVersion: number;
}

export interface PanelDependencies {
  readonly extensionUri: vscode.Uri;
  readonly extensionVersion: string;
  readonly log: vscode.LogOutputChannel;
}

/** The one Model Manager editor panel: revealed if open, created otherwise, disposed with everything it registered. */
export class ModelManagerPanel implements vscode.Disposable {
  private static current: ModelManagerPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly ready: Promise<number>;
  private resolveReady: (version: number) => void = () => undefined;

  static async show(deps: PanelDependencies): Promise<PanelState> {
    const existing = ModelManagerPanel.current;
    if (existing) {
      existing.panel.reveal(undefined, false);
      return existing.state();
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('Model Manager'),
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        retainContextWhenHidden: false,
        localResourceRoots: [
          vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview'),
          vscode.Uri.joinPath(deps.extensionUri, 'media'),
        ],
      },
    );
    const created = new ModelManagerPanel(panel, deps);
    ModelManagerPanel.current = created;
    return created.state();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDependencies,
  ) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'activitybar.svg');
    panel.webview.html = renderPanelHtml(panel.webview, deps.extensionUri, vscode.l10n.t('Model Manager'));
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        this.receive(raw);
      }),
      panel.onDidDispose(() => {
        this.dispose();
      }),
    );
  }

  private async state(): Promise<PanelState> {
    const protocolVersion = await this.ready;
    return { viewType: PANEL_VIEW_TYPE, visible: this.panel.visible, protocolVersion };
  }

  private receive(raw: unknown): void {
    const parsed = webviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const reason = describeInvalidMessage(parsed.error);
      this.deps.log.warn(`Ignored a malformed message from the Model Manager panel: ${reason}`);
      void this.post({ type: 'error', message: reason });
      return;
    }
    this.handle(parsed.data);
  }

  private handle(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          this.deps.log.warn(`Panel speaks protocol ${String(message.protocolVersion)}, host ${String(PROTOCOL_VERSION)}; reloading it.`);
          this.panel.webview.html = renderPanelHtml(this.panel.webview, this.deps.extensionUri, vscode.l10n.t('Model Manager'));
          return;
        }
        void this.post({ type: 'init', protocolVersion: PROTOCOL_VERSION, extensionVersion: this.deps.extensionVersion });
        this.resolveReady(message.protocolVersion);
        return;
      case 'runCommand':
        void vscode.commands.executeCommand(`modelManager.${message.command}`);
        return;
    }
  }

  private post(message: HostMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ModelManagerPanel.current === this) ModelManagerPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

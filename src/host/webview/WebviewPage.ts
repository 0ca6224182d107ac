import * as vscode from 'vscode';
import { DisposableStore } from '../../core/lifecycle';
import { PageEndpoint, type PageEndpointOptions } from '../../core/rpc';
import { renderPage, webviewOptions, type PageDescriptor } from './page';

export interface WebviewPageOptions<N> extends Omit<PageEndpointOptions<N>, 'post' | 'reload' | 'name'> {
  readonly extensionUri: vscode.Uri;
  /** Data for the page's script on its first load (the editor's first screen); a reload starts without it. */
  readonly data?: Readonly<Record<string, string>>;
  /** The panel closed (by the user or by dispose()). */
  readonly onDidDispose: () => void;
}

/**
 * One webview panel of the extension, built from its descriptor and spoken to through a PageEndpoint: the HTML set
 * here closes the ready gate, and a hidden page that VS Code discards does too, so nothing is posted into a page
 * that does not listen.
 */
export class WebviewPage<N> implements vscode.Disposable {
  private readonly endpoint: PageEndpoint<N>;
  private readonly disposables = new DisposableStore();

  /** A new panel in the descriptor's column. */
  static create<N>(page: PageDescriptor, options: WebviewPageOptions<N>): WebviewPage<N> {
    const panel = vscode.window.createWebviewPanel(page.viewType, page.title(), page.column, {
      ...webviewOptions(options.extensionUri),
      retainContextWhenHidden: page.retainContextWhenHidden,
    });
    return new WebviewPage(panel, page, options);
  }

  /** A panel VS Code kept across a window reload (registerWebviewPanelSerializer). */
  static adopt<N>(panel: vscode.WebviewPanel, page: PageDescriptor, options: WebviewPageOptions<N>): WebviewPage<N> {
    panel.webview.options = webviewOptions(options.extensionUri);
    return new WebviewPage(panel, page, options);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly page: PageDescriptor,
    private readonly options: WebviewPageOptions<N>,
  ) {
    this.endpoint = new PageEndpoint({
      ...options,
      name: page.title(),
      post: (message) => panel.webview.postMessage(message),
      reload: () => {
        this.load();
      },
    });
    panel.iconPath = vscode.Uri.joinPath(options.extensionUri, 'media', page.icon);
    this.disposables.add(panel.webview.onDidReceiveMessage((raw: unknown) => {
      void this.endpoint.receive(raw);
    }));
    this.disposables.add(panel.onDidChangeViewState(() => {
      // Without retained context VS Code drops a hidden page and loads it again when shown; it says `ready` again.
      if (!page.retainContextWhenHidden && !panel.visible) this.endpoint.pageLoading();
    }));
    this.disposables.add(panel.onDidDispose(() => {
      this.endpoint.dispose();
      this.disposables.dispose();
      options.onDidDispose();
    }));
    this.load(options.data);
  }

  /** Sets the page's HTML: a new page, which says `ready` before anything is posted to it. */
  private load(data?: Readonly<Record<string, string>>): void {
    this.endpoint.pageLoading();
    this.panel.webview.html = renderPage(this.panel.webview, this.options.extensionUri, this.page, data);
  }

  /** Said to the page now if it listens, else once it says `ready`. */
  notify(notification: N): void {
    this.endpoint.notify(notification);
  }

  /** Resolves with the page's protocol version once the page is loaded and ready. */
  whenReady(): Promise<number> {
    return this.endpoint.whenReady();
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    this.panel.dispose();
  }
}

/** The one open panel of a kind: shown again rather than opened twice, replaced by a restored one. */
export class SinglePanel<P extends { dispose(): void }> {
  private panel: P | undefined;

  get current(): P | undefined {
    return this.panel;
  }

  /** The open panel, or a new one made now. */
  getOrCreate(create: () => P): { readonly panel: P; readonly created: boolean } {
    if (this.panel) return { panel: this.panel, created: false };
    this.panel = create();
    return { panel: this.panel, created: true };
  }

  /** A panel restored after a reload replaces any open one. */
  replace(create: () => P): P {
    this.panel?.dispose();
    this.panel = create();
    return this.panel;
  }

  /** The panel closed. */
  release(panel: P): void {
    if (this.panel === panel) this.panel = undefined;
  }
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';

/** What makes one of the extension's webview pages: everything else about building and hosting it is shared. */
export interface PageDescriptor {
  readonly viewType: string;
  readonly title: () => string;
  /** The page's script in dist/webview/ and its stylesheet in media/ (written into the page, see renderPage). */
  readonly script: string;
  readonly style: string;
  /** The tab's icon, in media/. */
  readonly icon: string;
  readonly column: vscode.ViewColumn;
  /** Keep the page alive in a background tab (a chat streaming an answer); otherwise it loads again when shown. */
  readonly retainContextWhenHidden: boolean;
  /** The title as a heading painted before the script runs, or one only screen readers get. */
  readonly heading: 'shown' | 'hidden';
  /**
   * The page's first frame around its heading, painted before the script runs (which comes after the page has
   * loaded, so VS Code shows the frame at once): the layout the app then fills in place. Trusted HTML; escape text.
   */
  readonly firstFrame?: (heading: string) => string;
  /** Files the script loads itself, given to it as data attributes of <body> (data-codicons on every page). */
  readonly assets?: Readonly<Record<string, readonly string[]>>;
}

/** Scripts, and files only from the extension's own folders: the same for a new panel and a restored one. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

/**
 * A page's HTML: a strict CSP (default-src 'none'; images and fonts only from the extension; scripts only with this
 * render's fresh nonce, styles only from the extension or with that nonce), its stylesheet and script, and `data`
 * for its script, all escaped. The stylesheet is written into the page in a nonce'd <style>: a <link> is one more
 * fetch through the webview's service worker that the first paint waits for.
 */
export function renderPage(webview: vscode.Webview, extensionUri: vscode.Uri, page: PageDescriptor, data: Readonly<Record<string, string>> = {}): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const title = escapeHtml(page.title());
  const attributes = [
    ...Object.entries(data).map(([name, value]) => [name, value] as const),
    ['codicons', asset('dist', 'webview', 'codicon.css')] as const,
    ...Object.entries(page.assets ?? {}).map(([name, path]) => [name, asset(...path)] as const),
  ].map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`).join('');
  const heading = `<h1${page.heading === 'hidden' ? ' class="visually-hidden"' : ''}>${title}</h1>`;
  const frame = page.firstFrame ? page.firstFrame(heading) : heading;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${stylesheet(extensionUri, page.style)}</style>
<title>${title}</title>
<script type="module" nonce="${nonce}" src="${asset('dist', 'webview', page.script)}"></script>
</head>
<body${attributes}>
<main id="app">${frame}</main>
</body>
</html>`;
}

/** The page's stylesheet from media/; a "</style" in it (only ever in a comment or a string) cannot end the element. */
function stylesheet(extensionUri: vscode.Uri, name: string): string {
  return readFileSync(vscode.Uri.joinPath(extensionUri, 'media', name).fsPath, 'utf8').replace(/<\/style/gi, '<\\/style');
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

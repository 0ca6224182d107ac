import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Renders the panel's page: strict CSP, one fresh nonce, scripts and styles only from the extension's own folders. */
export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, screen: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...segments: string[]): string =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'webview.css')}">
<title>${escapeHtml(title)}</title>
<script type="module" nonce="${nonce}" src="${asset('dist', 'webview', 'main.js')}"></script>
</head>
<body data-screen="${escapeHtml(screen)}" data-codicons="${asset('dist', 'webview', 'codicon.css')}" data-chart-css="${asset('dist', 'webview', 'uplot.css')}">
<main id="app"><h1>${escapeHtml(title)}</h1></main>
</body>
</html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

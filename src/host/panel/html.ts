import type * as vscode from 'vscode';
import { escapeHtml, pageKit } from '../webviewPage';

/** Renders the panel's page: strict CSP, one fresh nonce, scripts and styles only from the extension's own folders. */
export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, screen: string): string {
  const { nonce, csp, asset } = pageKit(webview, extensionUri);
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
<main id="app"><div class="screen"><header class="screen-header"><h1>${escapeHtml(title)}</h1></header></div></main>
</body>
</html>`;
}

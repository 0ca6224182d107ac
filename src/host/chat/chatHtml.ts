import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The chat panel's page: the same strict CSP as the Model Manager editor, its own script and stylesheet. */
export function renderChatHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const csp = ["default-src 'none'", `img-src ${webview.cspSource} data:`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'chat.css')}">
<title>${escapeHtml(title)}</title>
<script defer nonce="${nonce}" src="${asset('dist', 'webview', 'chat.js')}"></script>
</head>
<body data-codicons="${asset('dist', 'webview', 'codicon.css')}">
<main id="app"><h1 class="visually-hidden">${escapeHtml(title)}</h1></main>
</body>
</html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

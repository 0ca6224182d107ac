import * as vscode from 'vscode';
import { escapeHtml, pageKit } from '../webviewPage';

/** The chat panel's page: the same strict CSP as the Model Manager editor, its own script and stylesheet. */
export function renderChatHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const { nonce, csp, asset } = pageKit(webview, extensionUri);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'chat.css')}">
<title>${escapeHtml(title)}</title>
<script type="module" nonce="${nonce}" src="${asset('dist', 'webview', 'chat.js')}"></script>
</head>
<body data-codicons="${asset('dist', 'webview', 'codicon.css')}">
<main id="app"><h1 class="visually-hidden">${escapeHtml(title)}</h1>${toolbarShell()}</main>
</body>
</html>`;
}

/**
 * The page's first frame, drawn before its script runs (which comes after the page has loaded): the toolbar's labels
 * where the chat draws them, so the panel shows its layout at once and the app then fills it in place.
 */
function toolbarShell(): string {
  const label = (text: string, grow: boolean): string => `<label class="field${grow ? ' grow' : ''}"><span>${escapeHtml(text)}</span></label>`;
  return `<div class="chat"><header class="toolbar">${label(vscode.l10n.t('Model'), false)}${label(vscode.l10n.t('Conversation'), true)}</header></div>`;
}

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { renderPage } from '../../src/host/webview/page';
import { chatPage } from '../../src/host/webview/pages';
import { chatMethods, chatNotificationSchema } from '../../src/protocol/chat';

/** The chat's page as its panel builds it, under a title of the test's choosing. */
function renderChatHtml(webview: vscode.Webview, root: vscode.Uri, title: string): string {
  return renderPage(webview, root, { ...chatPage, title: () => title });
}
import { EXTENSION_ID } from './api';

describe('Model Manager Chat\'s page and protocol', () => {
  let panel: vscode.WebviewPanel;
  let root: vscode.Uri;

  before(() => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    root = extension.extensionUri;
    panel = vscode.window.createWebviewPanel('modelManager.chatCspCheck', 'CSP check', vscode.ViewColumn.Active, { enableScripts: true });
  });

  after(() => {
    panel.dispose();
  });

  it('has the strict CSP of the editor: nothing by default, one fresh nonce, fonts only from the extension, styles from it or with the nonce', () => {
    const html = renderChatHtml(panel.webview, root, 'Model Manager Chat');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.match(directives.get('script-src')?.[0] ?? '', /^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    assert.equal(directives.get('font-src')?.join(' '), panel.webview.cspSource);
    assert.equal(directives.get('style-src')?.join(' '), `${panel.webview.cspSource} ${directives.get('script-src')?.[0] ?? ''}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.notEqual(/'nonce-([^']+)'/.exec(html)?.[1], /'nonce-([^']+)'/.exec(renderChatHtml(panel.webview, root, 'x'))?.[1]);
    const base = panel.webview.asWebviewUri(root).toString();
    for (const [, url] of html.matchAll(/(?:src|href|data-codicons)="([^"]+)"/g)) assert.ok(url?.startsWith(base), `${url ?? ''} is not one of the extension's own files`);
    assert.doesNotMatch(renderChatHtml(panel.webview, root, '<img src=x onerror=alert(1)>'), /<img src=x/);
  });

  it('refuses messages that are not part of the protocol, in both directions', () => {
    const send = chatMethods['chat.send'].params;
    assert.equal(send.safeParse({ turnId: 't', groupId: 'g', prompt: 'hi' }).success, true);
    assert.equal(send.safeParse({ turnId: 't', groupId: 'g', prompt: 'hi', extra: 1 }).success, false);
    assert.equal(send.safeParse({ turnId: 't', groupId: 'g', prompt: 'x'.repeat(200_001) }).success, false);
    assert.equal(Object.hasOwn(chatMethods, 'runCommand'), false);
    assert.equal(chatNotificationSchema.safeParse({ kind: 'notification', event: 'delta', turnId: 't', text: 'x' }).success, true);
    assert.equal(chatNotificationSchema.safeParse({ kind: 'notification', event: 'delta', turnId: 't', text: 5 }).success, false);
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { renderPage } from '../../src/host/webview/page';
import { chatPage, editorPage } from '../../src/host/webview/pages';
import { EXTENSION_ID } from './api';

/** The editor's page as its panel builds it: its descriptor and the screen to open on. */
function renderPanelHtml(webview: vscode.Webview, root: vscode.Uri, screen: string): string {
  return renderPage(webview, root, editorPage, { screen });
}

describe('the Model Manager panel\'s page', () => {
  let panel: vscode.WebviewPanel;
  let root: vscode.Uri;

  before(() => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    root = extension.extensionUri;
    panel = vscode.window.createWebviewPanel('modelManager.cspCheck', 'CSP check', vscode.ViewColumn.Active, { enableScripts: true });
  });

  after(() => {
    panel.dispose();
  });

  it('has a strict CSP: nothing by default, scripts only with this render\'s nonce, fonts only from the extension, styles from it or with the nonce', () => {
    const html = renderPanelHtml(panel.webview, root, 'list');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'the page must declare a CSP');
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    const scripts = directives.get('script-src') ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0] ?? '', /^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    assert.equal(directives.get('font-src')?.join(' '), panel.webview.cspSource);
    // The same nonce as the script, never 'unsafe-inline': style="" markup stays refused.
    assert.equal(directives.get('style-src')?.join(' '), `${panel.webview.cspSource} ${scripts[0] ?? ''}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*(?!\.vscode)/);
  });

  it('carries each page\'s stylesheet in the page under the render\'s nonce, so the first paint waits for no stylesheet fetch', async () => {
    for (const [page, html] of [['webview.css', renderPanelHtml(panel.webview, root, 'list')], ['chat.css', renderPage(panel.webview, root, chatPage)]] as const) {
      const nonce = /'nonce-([^']+)'/.exec(html)?.[1] ?? '';
      const head = html.slice(0, html.indexOf('</head>'));
      assert.doesNotMatch(head, /<link[^>]+rel="stylesheet"/, `${page}: a stylesheet is fetched before the first paint`);
      const styles = [...head.matchAll(/<style([^>]*)>([\s\S]*?)<\/style>/g)].map((m) => ({ attributes: m[1], css: m[2] }));
      const [style] = styles;
      assert.ok(style && styles.length === 1, `${page}: ${String(styles.length)} <style> elements`);
      assert.equal(style.attributes, ` nonce="${nonce}"`, page);
      const file = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, 'media', page)));
      assert.equal(style.css, file, `${page} is written into the page as it is`);
    }
  });

  it('uses a fresh nonce per render, on every script, with no inline script, handler or remote address', () => {
    const first = renderPanelHtml(panel.webview, root, 'list');
    const second = renderPanelHtml(panel.webview, root, 'list');
    const nonceOf = (html: string) => /'nonce-([^']+)'/.exec(html)?.[1];
    assert.notEqual(nonceOf(first), nonceOf(second));
    const nonce = nonceOf(first);
    for (const script of first.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? []) {
      assert.ok(script.includes(`nonce="${nonce ?? ''}"`), `a script without the nonce: ${script}`);
      assert.match(script, /src="[^"]+"><\/script>$/, 'scripts are files, never inline code');
    }
    assert.doesNotMatch(first, /\son[a-z]+\s*=/i, 'no inline event handlers');
    const base = panel.webview.asWebviewUri(root).toString();
    for (const [, url] of first.matchAll(/(?:src|href|data-codicons|data-chart-css)="([^"]+)"/g)) {
      assert.ok(url?.startsWith(base), `${url ?? ''} is not one of the extension's own files`);
    }
  });

  it('escapes what it puts in the page', () => {
    const html = renderPage(panel.webview, root, { ...editorPage, title: () => '<img src=x onerror=alert(1)>' }, { screen: '"><script>alert(1)</script>' });
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html, /<script>alert/);
  });

  it('keeps the CSP with the charts: uPlot\'s stylesheet is a file of the extension, and the bundle neither evals nor writes inline styles', async () => {
    const html = renderPanelHtml(panel.webview, root, 'usage');
    const stylesheet = panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webview', 'uplot.css')).toString();
    assert.ok(html.includes(`data-chart-css="${stylesheet}"`), 'uPlot\'s stylesheet comes from the extension');
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, 'dist', 'webview', 'uplot.css'));
    const read = async (...path: string[]): Promise<string> => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, ...path)));
    const chunks = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(root, 'dist', 'webview', 'chunks'));
    const bundle = (await Promise.all([['main.js'], ...chunks.filter(([name]) => name.endsWith('.js')).map(([name]) => ['chunks', name])].map((path) => read('dist', 'webview', ...path)))).join('\n');
    assert.ok(bundle.includes('"uplot"'), 'the chart library is in the webview bundle');
    // Code from strings needs 'unsafe-eval', which the page does not allow.
    assert.doesNotMatch(bundle, /\beval\(|new Function\(/);
    // The chart code (uPlot as bundled, and ours) styles elements only through element.style, which the CSP allows;
    // a <style> element or style="" markup would need 'unsafe-inline'.
    for (const file of [['node_modules', 'uplot', 'dist', 'uPlot.esm.js'], ['webview', 'usage', 'charts.ts'], ['webview', 'usage', 'UsageChart.tsx']]) {
      assert.doesNotMatch(await read(...file), /createElement\(["']style["']\)|setAttribute\(["']style["']|style=\\?["']|innerHTML|insertAdjacentHTML/, file.join('/'));
    }
  });
});

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** What every webview page of the extension shares: a fresh nonce, the strict CSP, asset addresses and escaping. */
export interface PageKit {
  readonly nonce: string;
  /** default-src 'none'; images, styles and fonts only from the extension; scripts only with this render's nonce. */
  readonly csp: string;
  /** The webview address of a file in the extension (dist/, media/). */
  readonly asset: (...segments: string[]) => string;
}

export function pageKit(webview: vscode.Webview, extensionUri: vscode.Uri): PageKit {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return { nonce, csp, asset: (...segments) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString() };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

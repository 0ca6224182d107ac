import * as vscode from 'vscode';
import { escapeHtml, type PageDescriptor } from './page';

/** The Model Manager editor: its list is painted at once; the dashboard's chart stylesheet loads with the dashboard. */
export const editorPage: PageDescriptor = {
  viewType: 'modelManager.panel',
  title: () => vscode.l10n.t('Model Manager'),
  script: 'main.js',
  style: 'webview.css',
  icon: 'activitybar.svg',
  column: vscode.ViewColumn.Active,
  retainContextWhenHidden: false,
  heading: 'shown',
  firstFrame: (heading) => `<div class="screen"><header class="screen-header">${heading}</header></div>`,
  assets: { 'chart-css': ['dist', 'webview', 'uplot.css'] },
};

/** Model Manager Chat, beside the editor; kept alive in a background tab so a streaming answer goes on. */
export const chatPage: PageDescriptor = {
  viewType: 'modelManager.chat',
  title: () => vscode.l10n.t('Model Manager Chat'),
  script: 'chat.js',
  style: 'chat.css',
  icon: 'activitybar.svg',
  column: vscode.ViewColumn.Beside,
  retainContextWhenHidden: true,
  heading: 'hidden',
  firstFrame: (heading) => `${heading}${chatToolbarShell()}`,
};

/** The chat's toolbar labels where the app draws them, so the panel shows its layout at once. */
function chatToolbarShell(): string {
  const label = (text: string, grow: boolean): string => `<label class="field${grow ? ' grow' : ''}"><span>${escapeHtml(text)}</span></label>`;
  return `<div class="chat"><header class="toolbar">${label(vscode.l10n.t('Model'), false)}${label(vscode.l10n.t('Conversation'), true)}</header></div>`;
}

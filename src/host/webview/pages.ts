import * as vscode from 'vscode';
import type { PageDescriptor } from './page';

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
};

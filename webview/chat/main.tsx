import { render } from 'preact';
// The chat page uses only the button of @vscode-elements (the JSX types of all of them are in ../elements).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { keepSelectAllInFields } from '../keyboard';
import { ChatApp } from './ChatApp';
import { channel } from './channel';

// The icon font's stylesheet, added by the script so it does not hold up the first paint (see webview/main.tsx).
const codicons = document.body.dataset.codicons;
if (codicons && !document.getElementById('vscode-codicon-stylesheet')) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = codicons;
  link.id = 'vscode-codicon-stylesheet';
  document.head.append(link);
}

keepSelectAllInFields(document);
const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(<ChatApp />, root);
}
channel.ready();

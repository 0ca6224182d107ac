// The webview benchmark's baseline: the cheapest panel a command can open, with the same kind of CSP as ours.
const vscode = require('vscode');

exports.activate = function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('modelManagerProbe.openEmptyWebview', () => {
      const panel = vscode.window.createWebviewPanel('modelManagerProbe.empty', 'Empty', vscode.ViewColumn.Active, {});
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><h1>Empty</h1></body></html>`;
    }),
  );
};

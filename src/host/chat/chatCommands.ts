import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import type { ChatSeed } from '../../protocol/chat';
import { chatPage } from '../webview/pages';
import { registerWebviewCommands, type WebviewDefinition } from '../webview/registration';

/** A selection as the chat panel receives it: the code fenced with its language, and the file it came from. */
export function seedFromEditor(editor: vscode.TextEditor): ChatSeed | undefined {
  const selection = editor.selection;
  if (selection.isEmpty) return undefined;
  const code = editor.document.getText(selection);
  const file = vscode.workspace.asRelativePath(editor.document.uri, false);
  const language = editor.document.languageId;
  const lines = `${String(selection.start.line + 1)}-${String(selection.end.line + 1)}`;
  return { prompt: vscode.l10n.t('Explain this code from {0} (lines {1}):', file, lines), context: { file, language, code } };
}

async function openChat(host: HostContext, seed?: ChatSeed): Promise<void> {
  // The panel and its message schemas live in the core bundle: activation does not parse them.
  const { ChatPanel } = await import('../lazyCore');
  await ChatPanel.show({ extensionUri: host.extension.extensionUri, services: host.services, log: host.log }, seed);
}

/**
 * Model Manager Chat: Open Chat, Ask Model About Selection, and its restoration after a window reload on the
 * conversation the page remembered (onWebviewPanel activates the extension for it).
 */
export const chatWebview: WebviewDefinition = {
  viewType: chatPage.viewType,
  commands: {
    // No seed from callers: only the user's own selection (Ask Model About Selection) pre-fills the prompt.
    'modelManager.openChat': (host) => openChat(host),
    'modelManager.askAboutSelection': async (host) => {
      const editor = vscode.window.activeTextEditor;
      const seed = editor ? seedFromEditor(editor) : undefined;
      if (!seed) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some code first, then run "Ask Model About Selection".'));
        return;
      }
      await openChat(host, seed);
    },
  },
  revive: async (host, panel, state) => {
    const { ChatPanel } = await import('../lazyCore');
    ChatPanel.revive(panel, { extensionUri: host.extension.extensionUri, services: host.services, log: host.log }, state);
  },
};

/** Model Manager Chat's commands, and the chat model picker's "Manage" entry. */
export function registerChatCommands(host: HostContext): vscode.Disposable[] {
  return [
    ...registerWebviewCommands(host, chatWebview),
    // The chat model picker's "Manage" entry: the configurations live in the Model Manager editor.
    vscode.commands.registerCommand('modelManager.manageChatModels', () => vscode.commands.executeCommand('modelManager.open')),
  ];
}

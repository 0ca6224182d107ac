import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import type { ServiceHost } from '../ServiceHost';
import type { ChatSeed } from '../../protocol/chat';

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

/**
 * Restores Model Manager Chat after a window reload, on the conversation the page remembered. Registered at
 * activation (onWebviewPanel activates the extension for it); the panel's code loads only when VS Code calls it.
 */
export function chatPanelSerializer(context: vscode.ExtensionContext, services: ServiceHost, log: vscode.LogOutputChannel): vscode.WebviewPanelSerializer {
  return {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const { ChatPanel } = await import('../lazyCore');
      ChatPanel.revive(panel, { extensionUri: context.extensionUri, services, log }, state);
    },
  };
}

/** Open Chat and Ask Model About Selection. */
export function registerChatCommands(host: HostContext): vscode.Disposable[] {
  const { extension: context, services, log } = host;
  const open = async (seed?: ChatSeed): Promise<void> => {
    // The panel and its message schemas live in the core bundle: activation does not parse them.
    const { ChatPanel } = await import('../lazyCore');
    await ChatPanel.show({ extensionUri: context.extensionUri, services, log }, seed);
  };
  return [
    // No seed from callers: only the user's own selection (Ask Model About Selection) pre-fills the prompt.
    vscode.commands.registerCommand('modelManager.openChat', () => open()),
    vscode.commands.registerCommand('modelManager.askAboutSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      const seed = editor ? seedFromEditor(editor) : undefined;
      if (!seed) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some code first, then run "Ask Model About Selection".'));
        return;
      }
      await open(seed);
    }),
    // The chat model picker's "Manage" entry: the configurations live in the Model Manager editor.
    vscode.commands.registerCommand('modelManager.manageChatModels', () => vscode.commands.executeCommand('modelManager.open')),
  ];
}

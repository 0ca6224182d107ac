import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import { CHAT_VENDOR, LanguageModelProvider } from './LanguageModelProvider';
import { registerModelsParticipant } from './ModelsParticipant';
import { chatPanelSerializer } from './chatCommands';

/**
 * What chat needs at activation: the models in VS Code's chat, @models and the chat panel's serializer (VS Code asks
 * for them as soon as it activates the extension for them). Registration only: nothing opens here.
 */
export function registerChat(host: HostContext): {
  provider: LanguageModelProvider;
  serializer: vscode.WebviewPanelSerializer;
  /** For the test API: the open chat panel, read from the core bundle (where the panel lives). */
  inspectPanel: () => Promise<{ readonly conversationId: string | null; readonly visible: boolean } | undefined>;
  disposables: { dispose(): void }[];
} {
  const { services, log } = host;
  const provider = new LanguageModelProvider(services, log);
  const serializer = chatPanelSerializer(host.extension, services, log);
  return {
    provider,
    serializer,
    inspectPanel: async () => (await import('../lazyCore')).ChatPanel.inspect(),
    disposables: [
      // The view type is ChatPanel's CHAT_VIEW_TYPE, written out so activation does not load the panel's module.
      vscode.window.registerWebviewPanelSerializer('modelManager.chat', serializer),
      provider,
      vscode.lm.registerLanguageModelChatProvider(CHAT_VENDOR, provider),
      registerModelsParticipant(services, log),
    ],
  };
}

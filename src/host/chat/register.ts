import * as vscode from 'vscode';
import type { ServiceHost } from '../ServiceHost';
import { CHAT_VENDOR, LanguageModelProvider } from './LanguageModelProvider';
import { registerModelsParticipant } from './ModelsParticipant';
import { chatPanelSerializer, registerChatCommands } from './chatCommands';

/** Everything chat: the models in VS Code's chat, @models, the chat panel and "Ask Model About Selection". Registration only: nothing opens here. */
export function registerChat(
  context: vscode.ExtensionContext,
  services: ServiceHost,
  log: vscode.LogOutputChannel,
): {
  provider: LanguageModelProvider;
  serializer: vscode.WebviewPanelSerializer;
  /** For the test API: the open chat panel, read from the core bundle (where the panel lives). */
  inspectPanel: () => Promise<{ readonly conversationId: string | null; readonly visible: boolean } | undefined>;
  disposables: { dispose(): void }[];
} {
  const provider = new LanguageModelProvider(services, log);
  const serializer = chatPanelSerializer(context, services, log);
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
      ...registerChatCommands(context, services, log),
    ],
  };
}

import * as vscode from 'vscode';
import type { ServiceHost } from '../ServiceHost';
import { CHAT_VENDOR, LanguageModelProvider } from './LanguageModelProvider';
import { registerModelsParticipant } from './ModelsParticipant';

/** Everything chat: the models in VS Code's chat, @models, the chat panel and "Ask Model About Selection". Registration only: nothing opens here. */
export function registerChat(_context: vscode.ExtensionContext, services: ServiceHost, log: vscode.LogOutputChannel): { provider: LanguageModelProvider; disposables: { dispose(): void }[] } {
  const provider = new LanguageModelProvider(services, log);
  return {
    provider,
    disposables: [
      provider,
      vscode.lm.registerLanguageModelChatProvider(CHAT_VENDOR, provider),
      registerModelsParticipant(services, log),
      // The chat model picker's "Manage" entry: the configurations live in the Model Manager editor.
      vscode.commands.registerCommand('modelManager.manageChatModels', () => vscode.commands.executeCommand('modelManager.open')),
    ],
  };
}

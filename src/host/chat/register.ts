import * as vscode from 'vscode';
import type { ServiceHost } from '../ServiceHost';
import { CHAT_VENDOR, LanguageModelProvider } from './LanguageModelProvider';
import { registerModelsParticipant } from './ModelsParticipant';
import { registerChatCommands } from './chatCommands';

/** Everything chat: the models in VS Code's chat, @models, the chat panel and "Ask Model About Selection". Registration only: nothing opens here. */
export function registerChat(context: vscode.ExtensionContext, services: ServiceHost, log: vscode.LogOutputChannel): { provider: LanguageModelProvider; disposables: { dispose(): void }[] } {
  const provider = new LanguageModelProvider(services, log);
  return {
    provider,
    disposables: [
      provider,
      vscode.lm.registerLanguageModelChatProvider(CHAT_VENDOR, provider),
      registerModelsParticipant(services, log),
      ...registerChatCommands(context, services, log),
    ],
  };
}

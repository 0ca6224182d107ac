import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import { CHAT_VENDOR, LanguageModelProvider } from './LanguageModelProvider';
import { registerModelsParticipant } from './ModelsParticipant';

/**
 * What chat needs at activation: the models in VS Code's chat and @models (VS Code asks for them as soon as it
 * activates the extension for them). Registration only: nothing opens here. Model Manager Chat, the panel, is
 * registered with the commands (see chatCommands).
 */
export function registerChat(host: HostContext): {
  provider: LanguageModelProvider;
  disposables: { dispose(): void }[];
} {
  const { services, log } = host;
  const provider = new LanguageModelProvider(services, log);
  return {
    provider,
    disposables: [
      provider,
      vscode.lm.registerLanguageModelChatProvider(CHAT_VENDOR, provider),
      registerModelsParticipant(services, log),
    ],
  };
}

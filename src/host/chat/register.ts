import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import { CHAT_VENDOR, participantIcon, PARTICIPANT_ID } from './ids';
import type { LanguageModelProvider, ModelInformation } from './LanguageModelProvider';
import type { answerModelsRequest } from './ModelsParticipant';

/** What chat loads on first use (dist/commands.js): the language-model provider and @models' answer. */
export interface ChatModule {
  readonly LanguageModelProvider: typeof LanguageModelProvider;
  readonly answerModelsRequest: typeof answerModelsRequest;
}

/**
 * What chat needs at activation: the models in VS Code's chat and @models (VS Code asks for them as soon as it
 * activates the extension for them). Registration only: the provider and the participant's code load on VS Code's
 * first request to either, and nothing opens here. Model Manager Chat, the panel, is loaded with the commands.
 */
export function registerChat(host: HostContext, load: () => Promise<ChatModule>): { dispose(): void }[] {
  const { services, log } = host;
  const provider = new DeferredLanguageModelProvider(async () => new (await load()).LanguageModelProvider(services, log));
  // VS Code lists a provider's models again only when told they changed: the stand-in must say so itself, since the
  // real provider (and its own watch) exists only after VS Code's first request, which may come after the changes.
  provider.watch(services.onSession((session, scope) => {
    const fire = (): void => { provider.fireChanged(); };
    scope.add(session.configurations.onDidChange(fire));
    scope.add(session.routeGroups.onDidChange(fire));
    fire();
  }));
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, context, stream, token) => (await load()).answerModelsRequest(services, log, request, context, stream, token));
  participant.iconPath = participantIcon();
  return [provider, vscode.lm.registerLanguageModelChatProvider(CHAT_VENDOR, provider), participant];
}

/** The provider VS Code holds from activation on: each request goes to the real one, built on the first. */
class DeferredLanguageModelProvider implements vscode.LanguageModelChatProvider<ModelInformation>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private real: Promise<LanguageModelProvider> | undefined;
  private disposed = false;
  private readonly disposables: { dispose(): unknown }[] = [this.changed];

  constructor(private readonly create: () => Promise<LanguageModelProvider>) {}

  /** Keeps a subscription until the provider is disposed. */
  watch(subscription: { dispose(): unknown }): void {
    this.disposables.push(subscription);
  }

  fireChanged(): void {
    if (!this.disposed) this.changed.fire();
  }

  async provideLanguageModelChatInformation(): Promise<ModelInformation[]> {
    return (await this.provider()).provideLanguageModelChatInformation();
  }

  async provideLanguageModelChatResponse(...args: Parameters<LanguageModelProvider['provideLanguageModelChatResponse']>): Promise<void> {
    return (await this.provider()).provideLanguageModelChatResponse(...args);
  }

  async provideTokenCount(...args: Parameters<LanguageModelProvider['provideTokenCount']>): Promise<number> {
    return (await this.provider()).provideTokenCount(...args);
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables) d.dispose();
  }

  private provider(): Promise<LanguageModelProvider> {
    return (this.real ??= this.create().then((provider) => {
      // Deactivated while it loaded: it still answers this request, and its worker and listeners go now.
      if (this.disposed) provider.dispose();
      else this.disposables.push(provider, provider.onDidChangeLanguageModelChatInformation(() => { this.changed.fire(); }));
      return provider;
    }));
  }
}

import * as vscode from 'vscode';
import type { ChatModelInfo } from '../../core/chat';
import { DisposableStore } from '../../core/lifecycle';
import type { ChatRequest } from '../../core/providers';
import type { ServiceHost } from '../ServiceHost';
import type { StoreSession } from '../../core/session';
import { callInput, countText, toChatMessages, toChatTools } from './messages';
import { errorMessage } from '../../core/errors';
import { configurationIdOf } from '../../core/chat/targets';

/** The vendor of every model Model Manager contributes (package.json languageModelChatProviders). */
export const CHAT_VENDOR = 'model-manager';

type Info = vscode.LanguageModelChatInformation & { readonly groupId: string };

/** Characters a token for the stated estimate when the provider has no count (English text and code average about four). */
const CHARS_PER_TOKEN = 4;

/**
 * Every active configuration and route group as a model of VS Code's chat. The store opens only when VS Code first
 * asks for the models, never during activation; every answer goes through the router, so usage and budgets apply.
 */
export class LanguageModelProvider implements vscode.LanguageModelChatProvider<Info> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscriptions = new DisposableStore();

  constructor(
    private readonly services: ServiceHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.add(this.services.onSession((session, scope) => { this.watch(session, scope); }));
  }

  private watch(session: StoreSession, scope: DisposableStore): void {
    const fire = (): void => { this.changed.fire(); };
    scope.add(session.configurations.onDidChange(fire));
    scope.add(session.routeGroups.onDidChange(fire));
    this.changed.fire();
  }

  /** Never prompts, silent or not: a store that cannot open lists no models and says why in the log. */
  async provideLanguageModelChatInformation(): Promise<Info[]> {
    let session: StoreSession;
    try {
      session = await this.services.open();
    } catch (error) {
      this.log.warn(`Chat models are not listed: ${errorMessage(error)}`);
      return [];
    }
    const core = await import('../lazyCore');
    const catalog = await session.catalog().catch(() => undefined);
    const models = await core.describeModels({
      configurations: session.configurations.listConfigurations(),
      routeGroups: session.routeGroups.list(),
      catalog,
      targetOf: (row) => session.configurations.targetOf(row),
      // The adapter's cached list: a refresh of the picker asks the server again only once the cache has expired.
      listModels: (row, signal) => session.configurations.listModels(row.id, { signal }),
    });
    this.log.debug(`Chat models listed for VS Code: ${models.map((m) => m.name).join(', ') || 'none'}`);
    return models.map(toInformation);
  }

  async provideLanguageModelChatResponse(
    model: Info,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const session = await this.services.open();
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => { abort.abort(); });
    try {
      const tools = toChatTools(options.tools);
      const request: ChatRequest = { messages: toChatMessages(messages), ...(tools ? { tools } : {}), ...modelOptions(options.modelOptions) };
      for await (const event of session.router.chat(model.groupId, request, { signal: abort.signal })) {
        if (token.isCancellationRequested) break;
        if (event.type === 'text') progress.report(new vscode.LanguageModelTextPart(event.text));
        else if (event.type === 'tool-call') progress.report(new vscode.LanguageModelToolCallPart(event.call.id, event.call.name, callInput(event.call.arguments)));
        else if (event.type === 'route' && event.attempt > 1) this.log.info(`${model.name}: ${event.member.name} answers (${event.reason})`);
      }
    } catch (error) {
      if (token.isCancellationRequested) return;
      throw new Error(errorMessage(error), { cause: error });
    } finally {
      cancel.dispose();
      abort.abort();
    }
  }

  /** The provider's own count where it has one (Anthropic, Gemini), else about four characters a token. */
  async provideTokenCount(model: Info, text: string | vscode.LanguageModelChatRequestMessage, token: vscode.CancellationToken): Promise<number> {
    const content = countText(text);
    const estimate = Math.ceil(content.length / CHARS_PER_TOKEN);
    const session = await this.services.open();
    const configurationId = firstConfigurationOf(session, model.groupId);
    const row = configurationId === undefined ? undefined : session.configurations.listConfigurations().find((c) => c.id === configurationId);
    if (!row) return estimate;
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => { abort.abort(); });
    try {
      const { provider, target } = await session.configurations.targetOf(row);
      if (!provider.countTokens) return estimate;
      return await provider.countTokens(target, { messages: [{ role: 'user', content }], model: row.model }, { signal: abort.signal, retry: false });
    } catch {
      return estimate;
    } finally {
      cancel.dispose();
    }
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.changed.dispose();
  }
}

function toInformation(model: ChatModelInfo): Info {
  return {
    id: model.id,
    groupId: model.id,
    name: model.name,
    family: model.family,
    version: model.version,
    maxInputTokens: model.maxInputTokens,
    maxOutputTokens: model.maxOutputTokens,
    tooltip: model.tooltip,
    detail: model.detail,
    capabilities: { toolCalling: model.toolCalling, imageInput: false },
  };
}

function firstConfigurationOf(session: StoreSession, groupId: string): string | undefined {
  const configurationId = configurationIdOf(groupId);
  if (configurationId !== undefined) return configurationId;
  return session.routeGroups.list().find((g) => g.id === groupId)?.members[0]?.configurationId;
}

/** The documented model options a caller may pass (temperature, max tokens); others are ignored. */
function modelOptions(options: Readonly<Record<string, unknown>> | undefined): Pick<ChatRequest, 'temperature' | 'maxTokens'> {
  const temperature = options?.temperature;
  const maxTokens = options?.maxTokens ?? options?.max_tokens;
  return {
    ...(typeof temperature === 'number' ? { temperature } : {}),
    ...(typeof maxTokens === 'number' && maxTokens > 0 ? { maxTokens } : {}),
  };
}

import * as vscode from 'vscode';
import type { ChatModelInfo, TokenCounter, TokenModel, ToolTurnReasoning } from '../../core/chat';
import { DisposableStore } from '../../core/lifecycle';
import type { ChatRequest, ReasoningReplay, Usage } from '../../core/providers';
import type { ServiceHost } from '../ServiceHost';
import type { StoreSession } from '../../core/session';
import { callInput, countText, toChatMessages, toChatTools } from './messages';
import { errorMessage } from '../../core/errors';
import { refuseMismatchedImages } from './imageBytes';

export { CHAT_VENDOR } from './ids';

/** A model as this provider describes it to VS Code, with the group that answers it. */
export type ModelInformation = vscode.LanguageModelChatInformation & { readonly groupId: string; readonly tokens?: TokenModel };

/**
 * Every active configuration and route group as a model of VS Code's chat. The store opens only when VS Code first
 * asks for the models, never during activation; every answer goes through the router, so usage and budgets apply.
 */
export class LanguageModelProvider implements vscode.LanguageModelChatProvider<ModelInformation> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscriptions = new DisposableStore();
  private counter: TokenCounter | undefined;
  /** Signed reasoning of the tool turns this provider answered, put back when VS Code sends those turns again. */
  private reasoning: ToolTurnReasoning | undefined;

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
  async provideLanguageModelChatInformation(): Promise<ModelInformation[]> {
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
      targetOf: (row) => session.providerAccess.targetOf(row),
      // The adapter's cached list: a refresh of the picker asks the server again only once the cache has expired.
      listModels: (row, signal) => session.providerAccess.listModels(row.id, { signal }),
    });
    this.log.debug(`Chat models listed for VS Code: ${models.map((m) => m.name).join(', ') || 'none'}`);
    return models.map(toInformation);
  }

  async provideLanguageModelChatResponse(
    model: ModelInformation,
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
      this.reasoning ??= new (await import('../lazyCore')).ToolTurnReasoning();
      const reasoning = this.reasoning;
      const restored = reasoning.restore(toChatMessages(messages));
      // Said once per request; the adapter decides what to do without it (Anthropic: thinking off; Gemini 3: a stand-in signature).
      if (restored.missing.length > 0) this.log.info(`${model.name}: the reasoning of earlier tool calls (${restored.missing.flat().join(', ')}) was not kept (another model's turn, or made before a reload)`);
      const request: ChatRequest = { messages: restored.messages, ...(tools ? { tools } : {}), ...modelOptions(options.modelOptions) };
      refuseImages(model, request);
      refuseMismatchedImages(request.messages.flatMap((m) => m.images ?? []));
      const callIds: string[] = [];
      let replay: ReasoningReplay | undefined;
      for await (const event of session.router.chat(model.groupId, request, { signal: abort.signal })) {
        if (token.isCancellationRequested) break;
        // Reasoning events are left out: LanguageModelThinkingPart is only a proposed API (languageModelThinkingPart) up to 1.139.
        if (event.type === 'text') progress.report(new vscode.LanguageModelTextPart(event.text));
        // Not awaited: a calibration may wait for the token counter's worker, and the answer must not.
        else if (event.type === 'usage') this.calibrate(model, request, event.usage);
        else if (event.type === 'tool-call') {
          callIds.push(event.call.id);
          progress.report(new vscode.LanguageModelToolCallPart(event.call.id, event.call.name, callInput(event.call.arguments)));
        } else if (event.type === 'replay') replay = event.replay;
        else if (event.type === 'route' && event.attempt > 1) this.log.info(`${model.name}: ${event.member.name} answers (${event.reason})`);
      }
      reasoning.remember(callIds, replay);
    } catch (error) {
      if (token.isCancellationRequested) return;
      throw new Error(errorMessage(error), { cause: error });
    } finally {
      cancel.dispose();
      abort.abort();
    }
  }

  /** Counted locally, never over the network: VS Code asks once per message, many times per prompt (see TokenCounter). */
  async provideTokenCount(model: ModelInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    const counter = this.counter ?? (await this.tokens());
    const { text: content, images } = countText(text);
    const tokens = await counter.count(model.groupId, model.tokens, content);
    return images === 0 ? tokens : tokens + counter.imageTokens(model.tokens, images);
  }

  /** Resolves true once token counts are exact (the counter's worker has loaded o200k); the chat bench waits for it. */
  async whenTokenCountsExact(): Promise<boolean> {
    return (await this.tokens()).whenExact();
  }

  private calibrate(model: ModelInformation, request: ChatRequest, usage: Usage): void {
    void this.tokens()
      .then((counter) => counter.learn(model.groupId, model.tokens, request, usage))
      .catch((error: unknown) => { this.log.warn(`Token counts of ${model.name} not calibrated: ${errorMessage(error)}`); });
  }

  private async tokens(): Promise<TokenCounter> {
    if (this.counter) return this.counter;
    const core = await import('../lazyCore');
    // The worker starts on the first count, never here; if it cannot run, counts stay estimates and the log says why.
    const worker = new core.TokenWorker(undefined, (error) => { this.log.warn(`Token counts are estimates: ${errorMessage(error)}`); });
    this.counter ??= new core.TokenCounter(worker);
    return this.counter;
  }

  dispose(): void {
    // Stops the token counter's worker thread when the extension deactivates.
    this.counter?.dispose();
    this.subscriptions.dispose();
    this.changed.dispose();
  }
}

function toInformation(model: ChatModelInfo): ModelInformation {
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
    tokens: model.tokens,
    capabilities: { toolCalling: model.toolCalling, imageInput: model.imageInput },
  };
}

/**
 * VS Code only advertises a model's image input; it may still hand images to one that has none (another extension's
 * request, a model switch after pasting). Refused with what to do, rather than sent without them.
 */
function refuseImages(model: ModelInformation, request: ChatRequest): void {
  if (model.capabilities.imageInput === true) return;
  const images = request.messages.flatMap((m) => m.images ?? []);
  if (images.length === 0) return;
  const types = [...new Set(images.map((i) => i.mimeType))].join(', ');
  throw new Error(vscode.l10n.t('{0} takes no images ({1} attached, {2}). Pick a model that reads images, such as one marked with the image icon in the model picker, or remove the images.', model.name, images.length, types));
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

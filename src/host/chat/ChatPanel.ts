import * as vscode from 'vscode';
import * as core from '../../core/chat';
import { DisposableStore } from '../../core/lifecycle';
import type { StoredBadge } from '../../core/chat';
import { answerRequest, type MethodHandlers } from '../../core/rpc';
import type { ConversationMessage } from '../../core/store';
import type { ChatImage } from '../../core/providers';
import { CHAT_LABEL_MAX, CHAT_MAX_MESSAGE_BYTES, CHAT_NOTE_MAX, CHAT_PROTOCOL_VERSION, CHAT_TEXT_MAX, chatMethods, chatWebviewStateSchema, type ChatMessageView, type ChatModelView, type ChatNotification, type ChatImageView, type ChatSeed, CONVERSATION_IMAGE_BYTES } from '../../protocol/chat';
import { isBudgetStop, offerBudgetChange } from '../budgetStop';
import { refuseMismatchedImages } from './imageBytes';
import type { SessionSource, StoreSession } from '../../core/session';
import { errorMessage } from '../../core/errors';
import { chatPage } from '../webview/pages';
import { SinglePanel, WebviewPage, type WebviewPageOptions } from '../webview/WebviewPage';

export type { ChatSeed } from '../../protocol/chat';

export interface ChatPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly services: SessionSource;
  readonly log: vscode.LogOutputChannel;
}

/** How often streamed text is posted to the page: one message per delta would flood it on fast local models. */
const DELTA_FLUSH_MS = 30;

const DONE = {};

/**
 * Model Manager's own chat: conversations kept in the store, answers streamed through the router with a badge per
 * turn, a model switch between turns (the history goes along, converted for the new provider), stop, copy and insert.
 */
export class ChatPanel {
  private static readonly slot = new SinglePanel<ChatPanel>();
  private readonly disposables = new DisposableStore();
  private readonly page: WebviewPage<ChatNotification>;
  private conversationId: string | null = null;
  private groupId: string | null = null;
  private readonly turns = new Map<string, AbortController>();
  private readonly handlers: MethodHandlers<typeof chatMethods> = {
    'chat.send': ({ turnId, groupId, prompt, context, images }, _progress, signal) => this.send(turnId, groupId, prompt, context, images ?? [], signal),
    'chat.compare': async ({ turnId, groupId, prompt }, _progress, signal) => {
      await this.compare(turnId, groupId, prompt, signal);
      return DONE;
    },
    'chat.stop': ({ turnId }) => {
      this.turns.get(turnId)?.abort();
      return Promise.resolve(DONE);
    },
    'chat.selectModel': async ({ groupId }) => {
      this.groupId = groupId;
      const session = await this.deps.services.open();
      if (this.conversationId) await this.conversations(session).setModel(this.conversationId, groupId);
      return DONE;
    },
    'chat.newConversation': async () => {
      this.conversationId = null;
      await this.publish();
      return DONE;
    },
    'chat.openConversation': async ({ conversationId }) => {
      const session = await this.deps.services.open();
      const conversation = this.conversations(session).get(conversationId);
      if (!conversation) throw new Error(vscode.l10n.t('This conversation no longer exists.'));
      this.conversationId = conversation.id;
      if (conversation.groupId) this.groupId = conversation.groupId;
      await this.publish();
      return DONE;
    },
    'chat.deleteConversation': async ({ conversationId }) => {
      const session = await this.deps.services.open();
      await this.conversations(session).delete(conversationId);
      if (this.conversationId === conversationId) this.conversationId = null;
      await this.publish();
      return DONE;
    },
    'chat.copy': async ({ code }) => {
      await vscode.env.clipboard.writeText(code);
      return DONE;
    },
    'chat.insert': async ({ code }) => {
      await this.insert(code);
      return DONE;
    },
  };

  static async show(deps: ChatPanelDeps, seed?: ChatSeed): Promise<void> {
    const { panel, created } = ChatPanel.slot.getOrCreate(() => new ChatPanel(deps, (options) => WebviewPage.create(chatPage, options)));
    if (!created) panel.page.reveal();
    if (seed?.context && seed.context.code.length > CHAT_TEXT_MAX) {
      // Cut, the code would reach the model as if it were the whole selection: the user selects less instead.
      void vscode.window.showWarningMessage(vscode.l10n.t('The selection has {0} characters; Model Manager Chat sends at most {1} with a question. Select a smaller part and ask again.', seed.context.code.length.toLocaleString('en-US'), CHAT_TEXT_MAX.toLocaleString('en-US')));
    } else if (seed) {
      const context = seed.context ? { context: { ...seed.context, file: core.fitText(seed.context.file, CHAT_NOTE_MAX) } } : {};
      panel.page.notify({ kind: 'notification', event: 'seed', seed: { prompt: core.fitText(seed.prompt, CHAT_TEXT_MAX), ...context } });
    }
    await panel.page.whenReady();
  }

  /**
   * Brings back a panel VS Code kept across a window reload (registerWebviewPanelSerializer), on the conversation the
   * page remembered. The state comes from the page, so it is validated; anything else starts a new conversation.
   */
  static revive(webviewPanel: vscode.WebviewPanel, deps: ChatPanelDeps, state: unknown): void {
    const parsed = chatWebviewStateSchema.safeParse(state ?? { conversationId: null });
    if (!parsed.success) deps.log.warn('The chat panel came back from a reload with a state that is not part of its protocol; it opens on a new conversation.');
    const revived = ChatPanel.slot.replace(() => new ChatPanel(deps, (options) => WebviewPage.adopt(webviewPanel, chatPage, options)));
    revived.conversationId = parsed.success ? parsed.data.conversationId : null;
    // Not waiting for the page here: VS Code finishes restoring the window while the page loads and asks for state.
  }

  /** The open panel as tests see it, once its page has loaded and been sent its state: which conversation it shows. */
  static async inspect(): Promise<{ readonly conversationId: string | null; readonly visible: boolean } | undefined> {
    const current = ChatPanel.slot.current;
    if (!current) return undefined;
    await current.page.whenReady();
    return { conversationId: current.conversationId, visible: current.page.visible };
  }

  private constructor(
    private readonly deps: ChatPanelDeps,
    open: (options: WebviewPageOptions<ChatNotification>) => WebviewPage<ChatNotification>,
  ) {
    this.page = open({
      extensionUri: deps.extensionUri,
      version: CHAT_PROTOCOL_VERSION,
      maxMessageBytes: CHAT_MAX_MESSAGE_BYTES,
      log: (message) => {
        deps.log.warn(message);
      },
      answer: (request, requests) =>
        answerRequest(chatMethods, this.handlers, request, () => undefined, requests, {
          maxMessageBytes: CHAT_MAX_MESSAGE_BYTES,
          refuseParams: (method) => {
            this.deps.log.warn(`The chat panel sent a ${method.slice(0, 100)} request that is not part of its protocol; it was refused.`);
            return { code: 'invalid-request', message: vscode.l10n.t('That request was not understood and changed nothing.') };
          },
          toError: (error) => {
            const message = errorMessage(error);
            this.deps.log.warn(`Chat: ${message}`);
            // A budget's hard stop sent nothing: the page shows its message; the way to change the budget is VS Code's.
            if (isBudgetStop(error)) void offerBudgetChange(error.message);
            return { code: 'internal', message: message.slice(0, 4000) };
          },
        }),
      // The page's first state: a store that cannot open is reported on the page, and a waiting seed goes on.
      onReady: () =>
        this.publish().catch((error: unknown) => {
          this.notify({ kind: 'notification', event: 'error', message: errorMessage(error).slice(0, 5000) });
        }),
      onDidDispose: () => {
        this.dispose();
      },
    });
    this.disposables.add(deps.services.onSession((session, scope) => {
      this.watch(session, scope);
    }));
  }

  private notify(notification: ChatNotification): void {
    this.page.notify(notification);
  }

  private watch(session: StoreSession, scope: DisposableStore): void {
    const refresh = (): void => void this.publish().catch(() => undefined);
    scope.add(session.configurations.onDidChange(refresh));
    scope.add(session.routeGroups.onDidChange(refresh));
  }

  private conversations(session: StoreSession): core.ConversationStore {
    return session.conversations;
  }

  private models(session: StoreSession): ChatModelView[] {
    // A model id can be any length; the page's list carries a line of it.
    return core.chatTargets(session.configurations.listConfigurations(), session.routeGroups.list()).map((m) => ({ ...m, name: core.fitText(m.name, CHAT_LABEL_MAX), detail: core.fitText(m.detail, CHAT_LABEL_MAX) }));
  }

  /** Everything the page shows: models, the conversation list and the open conversation. */
  private async publish(): Promise<void> {
    const session = await this.deps.services.open();
    const models = this.models(session);
    const store = this.conversations(session);
    if (!this.groupId || !models.some((m) => m.groupId === this.groupId)) {
      const active = session.configurations.getActiveConfiguration();
      this.groupId = active ? core.configurationGroupId(active.id) : (models[0]?.groupId ?? null);
    }
    // A conversation deleted meanwhile (or named by a stale reload state) is not shown: the page starts a new one.
    if (this.conversationId && !store.get(this.conversationId)) this.conversationId = null;
    const messages = this.conversationId ? store.messages(this.conversationId).map((m) => toView(m, core.parseBadge(m.badge))) : [];
    this.notify({
      kind: 'notification',
      event: 'state',
      state: {
        models,
        conversations: store.list().map((c) => ({ id: c.id, title: core.fitText(c.title, CHAT_LABEL_MAX), updatedAt: c.updatedAt })),
        conversationId: this.conversationId,
        groupId: this.groupId,
        messages,
      },
    });
  }

  /** One turn: streamed as notifications under its id; the saved answer (or what arrived before Stop) is the result. */
  private async send(turnId: string, groupId: string, prompt: string, context: ChatSeed['context'], attached: readonly ChatImageView[], signal: AbortSignal): Promise<ChatMessageView> {
    const session = await this.deps.services.open();
    const store = this.conversations(session);
    const model = this.models(session).find((m) => m.groupId === groupId);
    if (!model) throw new Error(vscode.l10n.t('That model is no longer configured. Pick another one.'));
    const images = attached.map((image) => fromDataUrl(image.dataUrl));
    refuseMismatchedImages(images);
    if (images.length > 0) await this.checkImages(session, model, images);
    const content = core.promptWithContext(prompt, context);
    if (!this.conversationId || !store.get(this.conversationId)) this.conversationId = (await store.create(prompt === '' ? vscode.l10n.t('Image') : prompt, groupId)).id;
    else await store.setModel(this.conversationId, groupId);
    this.groupId = groupId;
    const conversationId = this.conversationId;
    const history = store.history(conversationId);
    const user = await store.append(conversationId, { role: 'user', content, groupId, ...(images.length > 0 ? { images } : {}) });
    this.notify({ kind: 'notification', event: 'turnStarted', turnId, user: toView(user, undefined) });
    const abort = this.startTurn(turnId, signal);
    let pending = '';
    let streamed = '';
    let pendingReasoning = '';
    let reasoning = '';
    // Who was answering when the user pressed Stop: the stopped badge names it like any other answer's.
    let answering: { readonly name: string; readonly model: string } | undefined;
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      timer = undefined;
      // Reasoning first: it streams before the text it leads to.
      if (pendingReasoning !== '') {
        const text = pendingReasoning;
        pendingReasoning = '';
        for (const piece of core.textPieces(text)) this.notify({ kind: 'notification', event: 'reasoning', turnId, text: piece });
      }
      if (pending === '') return;
      const text = pending;
      pending = '';
      for (const piece of core.textPieces(text)) this.notify({ kind: 'notification', event: 'delta', turnId, text: piece });
    };
    try {
      const result = await core.runTurn(session.router, (listener) => session.usage.onDidRecord(listener), groupId, { messages: [...history, { role: 'user', content, ...(images.length > 0 ? { images } : {}) }] }, {
        signal: abort.signal,
        onText: (text) => {
          pending += text;
          streamed += text;
          timer ??= setTimeout(flush, DELTA_FLUSH_MS);
        },
        onReasoning: (text) => {
          pendingReasoning += text;
          reasoning += text;
          timer ??= setTimeout(flush, DELTA_FLUSH_MS);
        },
        onEvent: (event) => {
          if (event.type === 'route') answering = { name: event.member.name, model: event.member.model };
          if (event.type === 'route' && event.attempt > 1) this.notify({ kind: 'notification', event: 'notice', turnId, text: core.fitText(event.reason, CHAT_NOTE_MAX) });
        },
      });
      if (timer) clearTimeout(timer);
      flush();
      const badge = core.storedBadge(result, core.badgeText(result), result.reasoning);
      const saved = await store.append(conversationId, { role: 'assistant', content: result.text, groupId, badge });
      return await this.finish(turnId, toView(saved, badge));
    } catch (error) {
      if (timer) clearTimeout(timer);
      flush();
      if (abort.signal.aborted) {
        // What arrived before Stop is kept, marked as stopped, so the conversation reads as the user saw it.
        const latencyMs = Math.round(performance.now() - started);
        // Before the router picked a member (a route group's) only the picked target's name is known.
        const who = answering ?? { name: model.name, model: model.kind === 'configuration' ? (model.detail.split(' · ')[0] ?? '') : '' };
        const badge: StoredBadge = {
          configuration: who.name,
          ...(who.model === '' ? {} : { model: who.model }),
          latencyMs,
          stopped: true,
          summary: who.model === '' ? vscode.l10n.t('{0} · stopped by you after {1} ms', who.name, latencyMs) : vscode.l10n.t('{0} · {1} · stopped by you after {2} ms', who.name, who.model, latencyMs),
          ...(reasoning === '' ? {} : { reasoning: core.keptReasoning(reasoning) }),
        };
        const saved = await store.append(conversationId, { role: 'assistant', content: streamed, groupId, badge });
        return await this.finish(turnId, toView(saved, badge));
      }
      // The conversation (and the prompt) are saved: the page learns of them first, then of the error.
      await this.publish();
      throw error;
    } finally {
      this.turns.delete(turnId);
    }
  }

  /**
   * "/compare": the picked model and the other active configurations (up to COMPARE_MAX) answer the same prompt at
   * once, each streamed into its own column with its badge. The answers are not added to the conversation (they
   * are a side-by-side look, not a turn); their usage and cost are recorded like any other request.
   */
  private async compare(turnId: string, groupId: string, prompt: string, signal: AbortSignal): Promise<void> {
    const session = await this.deps.services.open();
    const models = this.models(session);
    const first = models.find((m) => m.groupId === groupId);
    const columns = core.compareLineup(models, first).map((m) => ({ groupId: m.groupId, name: m.name }));
    if (columns.length < 2) throw new Error(vscode.l10n.t('/compare needs at least two active configurations; there is {0}. Add or activate another one.', columns.length));
    this.notify({ kind: 'notification', event: 'compareStarted', turnId, prompt, columns });
    const abort = this.startTurn(turnId, signal);
    try {
      await Promise.all(columns.map(async (column, index) => {
        let pending = '';
        let timer: ReturnType<typeof setTimeout> | undefined;
        const flush = (): void => {
          timer = undefined;
          if (pending === '') return;
          const text = pending;
          pending = '';
          for (const piece of core.textPieces(text)) this.notify({ kind: 'notification', event: 'compareDelta', turnId, column: index, text: piece });
        };
        try {
          const result = await core.runTurn(session.router, (listener) => session.usage.onDidRecord(listener), column.groupId, { messages: [{ role: 'user', content: prompt }] }, {
            signal: abort.signal,
            onText: (text) => {
              pending += text;
              timer ??= setTimeout(flush, DELTA_FLUSH_MS);
            },
          });
          if (timer) clearTimeout(timer);
          flush();
          this.notify({ kind: 'notification', event: 'compareDone', turnId, column: index, badge: core.badgeForPage(core.storedBadge(result, core.badgeText(result))) });
        } catch (error) {
          if (timer) clearTimeout(timer);
          flush();
          const message = abort.signal.aborted ? vscode.l10n.t('Stopped by you.') : errorMessage(error);
          this.notify({ kind: 'notification', event: 'compareDone', turnId, column: index, error: message.slice(0, 5000) });
        }
      }));
    } finally {
      this.turns.delete(turnId);
    }
  }

  /**
   * Images go only to a model that reads them (a route group: every member), and only while the conversation has
   * room for them; otherwise the turn is refused, before anything is saved or sent, with what to do.
   */
  private async checkImages(session: StoreSession, model: ChatModelView, images: readonly ChatImage[]): Promise<void> {
    if (this.conversationId && !session.conversations.imageRoom(this.conversationId, images)) {
      throw new Error(vscode.l10n.t('This conversation already keeps {0} of images, the most one conversation keeps. Start a new conversation to send more images.', `${String(CONVERSATION_IMAGE_BYTES / 1024 / 1024)} MB`));
    }
    const configurations = session.configurations.listConfigurations();
    const group = session.routeGroups.list().find((g) => g.id === model.groupId);
    const members = new Set(group ? group.members.map((m) => m.configurationId) : [core.configurationIdOf(model.groupId) ?? '']);
    const described = await core.describeModels({
      configurations: configurations.filter((c) => members.has(c.id)),
      routeGroups: group ? [group] : [],
      catalog: await session.catalog().catch(() => undefined),
      targetOf: (row) => session.providerAccess.targetOf(row),
      listModels: (row, signal) => session.providerAccess.listModels(row.id, { signal }),
    });
    if (described.find((m) => m.id === model.groupId)?.imageInput === true) return;
    throw new Error(vscode.l10n.t('{0} takes no images. Pick a model that reads images (gpt-4o, Claude, Gemini, an Ollama vision model) or remove the images.', model.name));
  }

  /** Into the editor the user was last in (the panel itself has focus when the button is pressed). */
  private async insert(code: string): Promise<void> {
    const editor = vscode.window.visibleTextEditors.find((e) => e === vscode.window.activeTextEditor) ?? vscode.window.visibleTextEditors[0];
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a file to insert the code into, then press Insert again.'));
      return;
    }
    await editor.edit((edit) => {
      edit.replace(editor.selection, code);
    });
  }

  /** The page shows the answer, then the state that lists it (a new conversation, its title). */
  private async finish(turnId: string, message: ChatMessageView): Promise<ChatMessageView> {
    this.notify({ kind: 'notification', event: 'turnDone', turnId, message });
    await this.publish();
    return message;
  }

  /** A running turn, stopped by `chat.stop` or by the page giving up on its request. */
  private startTurn(turnId: string, signal: AbortSignal): AbortController {
    const abort = new AbortController();
    signal.addEventListener('abort', () => {
      abort.abort();
    }, { once: true });
    this.turns.set(turnId, abort);
    return abort;
  }

  dispose(): void {
    ChatPanel.slot.release(this);
    for (const turn of this.turns.values()) turn.abort();
    this.disposables.dispose();
    this.page.dispose();
  }
}

/**
 * A message as the page receives it. The store keeps the whole text (the model reads it in later turns); the page is
 * sent what its protocol carries, with a note saying how much is not shown.
 */
function toView(message: ConversationMessage, stored: StoredBadge | undefined): ChatMessageView {
  const images = core.parseImages(message.images).map((image) => ({ dataUrl: `data:${image.mimeType};base64,${image.data}` }));
  // The reasoning travels with the badge in the store and beside it on the page.
  const { reasoning, ...badge } = stored ?? { reasoning: undefined };
  return {
    id: message.id,
    role: message.role,
    content: forPage(message.content),
    ...(images.length > 0 ? { images } : {}),
    groupId: message.groupId,
    ...(stored ? { badge: core.badgeForPage(badge as StoredBadge) } : {}),
    ...(reasoning ? { reasoning: forPage(reasoning) } : {}),
  };
}

/** One message's text within what the page takes, ending with how much was left out. */
function forPage(text: string): string {
  return core.fitText(text, CHAT_TEXT_MAX, (left) => vscode.l10n.t('\n\n[… {0} more characters are not shown: the chat page shows at most {1} characters of one message. The conversation keeps all of it.]', left.toLocaleString('en-US'), CHAT_TEXT_MAX.toLocaleString('en-US')));
}

/** The protocol checked the data: URL's form and type: what is left is splitting it. */
function fromDataUrl(dataUrl: string): ChatImage {
  const comma = dataUrl.indexOf(',');
  return { mimeType: dataUrl.slice('data:'.length, dataUrl.indexOf(';')), data: dataUrl.slice(comma + 1) };
}

import * as vscode from 'vscode';
import * as core from '../../core/chat';
import type { DisposableStore } from '../../core/lifecycle';
import type { StoredBadge } from '../../core/chat';
import type { ConversationMessage } from '../../core/store';
import { CHAT_PROTOCOL_VERSION, chatRequestSchema, chatWebviewStateSchema, type ChatEventMessage, type ChatMessageView, type ChatModelView, type ChatRequestMessage, type ChatSeed } from '../../protocol/chat';
import { isBudgetStop, offerBudgetChange } from '../budgetStop';
import type { SessionSource, StoreSession } from '../../core/session';
import { renderChatHtml } from './chatHtml';
import { errorMessage } from '../../core/errors';

export type { ChatSeed } from '../../protocol/chat';

export const CHAT_VIEW_TYPE = 'modelManager.chat';

export interface ChatPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly services: SessionSource;
  readonly log: vscode.LogOutputChannel;
}

/** How often streamed text is posted to the page: one message per delta would flood it on fast local models. */
const DELTA_FLUSH_MS = 30;

/**
 * Model Manager's own chat: conversations kept in the store, answers streamed through the router with a badge per
 * turn, a model switch between turns (the history goes along, converted for the new provider), stop, copy and insert.
 */
export class ChatPanel {
  private static current: ChatPanel | undefined;
  private readonly disposables: { dispose(): unknown }[] = [];
  private conversationId: string | null = null;
  private groupId: string | null = null;
  private readonly turns = new Map<string, AbortController>();
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;

  static async show(deps: ChatPanelDeps, seed?: ChatSeed): Promise<void> {
    let current = ChatPanel.current;
    if (current) current.panel.reveal(undefined, false);
    else {
      const panel = vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, vscode.l10n.t('Model Manager Chat'), vscode.ViewColumn.Beside, { ...chatPanelOptions(deps.extensionUri), retainContextWhenHidden: true });
      current = new ChatPanel(panel, deps);
      ChatPanel.current = current;
    }
    await current.ready;
    if (seed) await current.post({ kind: 'seed', seed });
  }

  /**
   * Brings back a panel VS Code kept across a window reload (registerWebviewPanelSerializer), on the conversation the
   * page remembered. The state comes from the page, so it is validated; anything else starts a new conversation.
   */
  static revive(panel: vscode.WebviewPanel, deps: ChatPanelDeps, state: unknown): void {
    ChatPanel.current?.dispose();
    panel.webview.options = chatPanelOptions(deps.extensionUri);
    const parsed = chatWebviewStateSchema.safeParse(state ?? { conversationId: null });
    if (!parsed.success) deps.log.warn('The chat panel came back from a reload with a state that is not part of its protocol; it opens on a new conversation.');
    const revived = new ChatPanel(panel, deps);
    revived.conversationId = parsed.success ? parsed.data.conversationId : null;
    // Not waiting for the page here: VS Code finishes restoring the window while the page loads and asks for state.
    ChatPanel.current = revived;
  }

  /** The open panel as tests see it, once its page has loaded and been sent its state: which conversation it shows. */
  static async inspect(): Promise<{ readonly conversationId: string | null; readonly visible: boolean } | undefined> {
    const current = ChatPanel.current;
    if (!current) return undefined;
    await current.ready;
    return { conversationId: current.conversationId, visible: current.panel.visible };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: ChatPanelDeps,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'activitybar.svg');
    panel.webview.html = renderChatHtml(panel.webview, deps.extensionUri, vscode.l10n.t('Model Manager Chat'));
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        void this.receive(raw);
      }),
      panel.onDidDispose(() => {
        this.dispose();
      }),
      deps.services.onSession((session, scope) => {
        this.watch(session, scope);
      }),
    );
  }

  private watch(session: StoreSession, scope: DisposableStore): void {
    const refresh = (): void => void this.publish().catch(() => undefined);
    scope.add(session.configurations.onDidChange(refresh));
    scope.add(session.routeGroups.onDidChange(refresh));
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = chatRequestSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn('The chat panel sent a message that is not part of its protocol; it was ignored.');
      await this.post({ kind: 'error', message: vscode.l10n.t('That request was not understood and changed nothing.') });
      return;
    }
    try {
      await this.handle(parsed.data);
    } catch (error) {
      const message = errorMessage(error);
      this.deps.log.warn(`Chat: ${message}`);
      await this.post({ kind: 'error', ...('turnId' in parsed.data ? { turnId: parsed.data.turnId } : {}), message });
    }
  }

  private async handle(message: ChatRequestMessage): Promise<void> {
    switch (message.kind) {
      case 'ready':
        if (message.protocolVersion !== CHAT_PROTOCOL_VERSION) this.deps.log.warn('The chat panel is from another version; reopen it.');
        try {
          await this.publish();
        } finally {
          // A store that cannot open is reported as an error on the page; a waiting "Ask About Selection" goes on.
          this.markReady();
        }
        return;
      case 'send':
        await this.send(message.turnId, message.groupId, message.prompt, message.context);
        return;
      case 'stop':
        this.turns.get(message.turnId)?.abort();
        return;
      case 'selectModel': {
        this.groupId = message.groupId;
        const session = await this.deps.services.open();
        if (this.conversationId) await (await this.conversations(session)).setModel(this.conversationId, message.groupId);
        return;
      }
      case 'newConversation':
        this.conversationId = null;
        await this.publish();
        return;
      case 'openConversation': {
        const session = await this.deps.services.open();
        const conversation = (await this.conversations(session)).get(message.conversationId);
        if (!conversation) throw new Error(vscode.l10n.t('This conversation no longer exists.'));
        this.conversationId = conversation.id;
        if (conversation.groupId) this.groupId = conversation.groupId;
        await this.publish();
        return;
      }
      case 'deleteConversation': {
        const session = await this.deps.services.open();
        await (await this.conversations(session)).delete(message.conversationId);
        if (this.conversationId === message.conversationId) this.conversationId = null;
        await this.publish();
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(message.code);
        return;
      case 'insert':
        await this.insert(message.code);
        return;
      case 'compare':
        await this.compare(message.turnId, message.groupId, message.prompt);
        return;
    }
  }

  private conversations(session: StoreSession): Promise<core.ConversationStore> {
    return Promise.resolve(session.conversations);
  }

  private models(session: StoreSession): ChatModelView[] {
    return core.chatTargets(session.configurations.listConfigurations(), session.routeGroups.list());
  }

  /** Everything the page shows: models, the conversation list and the open conversation. */
  private async publish(): Promise<void> {
    const session = await this.deps.services.open();
    const models = this.models(session);
    const store = await this.conversations(session);
    if (!this.groupId || !models.some((m) => m.groupId === this.groupId)) {
      const active = session.configurations.getActiveConfiguration();
      this.groupId = active ? core.configurationGroupId(active.id) : (models[0]?.groupId ?? null);
    }
    // A conversation deleted meanwhile (or named by a stale reload state) is not shown: the page starts a new one.
    if (this.conversationId && !store.get(this.conversationId)) this.conversationId = null;
    const messages = this.conversationId ? store.messages(this.conversationId).map((m) => toView(m, core.parseBadge(m.badge))) : [];
    await this.post({
      kind: 'state',
      state: {
        models,
        conversations: store.list().map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt })),
        conversationId: this.conversationId,
        groupId: this.groupId,
        messages,
      },
    });
  }

  private async send(turnId: string, groupId: string, prompt: string, context: ChatSeed['context']): Promise<void> {
    const session = await this.deps.services.open();
    const store = await this.conversations(session);
    if (!this.models(session).some((m) => m.groupId === groupId)) throw new Error(vscode.l10n.t('That model is no longer configured. Pick another one.'));
    const content = core.promptWithContext(prompt, context);
    if (!this.conversationId || !store.get(this.conversationId)) this.conversationId = (await store.create(prompt, groupId)).id;
    else await store.setModel(this.conversationId, groupId);
    this.groupId = groupId;
    const conversationId = this.conversationId;
    const history = store.history(conversationId);
    const user = await store.append(conversationId, { role: 'user', content, groupId });
    await this.post({ kind: 'turnStarted', turnId, user: toView(user, undefined) });
    const abort = new AbortController();
    this.turns.set(turnId, abort);
    let pending = '';
    let streamed = '';
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      timer = undefined;
      if (pending === '') return;
      const text = pending;
      pending = '';
      void this.post({ kind: 'delta', turnId, text });
    };
    try {
      const result = await core.runTurn(session.router, (listener) => session.usage.onDidRecord(listener), groupId, { messages: [...history, { role: 'user', content }] }, {
        signal: abort.signal,
        onText: (text) => {
          pending += text;
          streamed += text;
          timer ??= setTimeout(flush, DELTA_FLUSH_MS);
        },
        onEvent: (event) => {
          if (event.type === 'route' && event.attempt > 1) void this.post({ kind: 'notice', turnId, text: event.reason });
        },
      });
      if (timer) clearTimeout(timer);
      flush();
      const badge = core.storedBadge(result, core.badgeText(result));
      const saved = await store.append(conversationId, { role: 'assistant', content: result.text, groupId, badge });
      await this.post({ kind: 'turnDone', turnId, message: toView(saved, badge) });
      await this.publish();
    } catch (error) {
      if (timer) clearTimeout(timer);
      flush();
      if (abort.signal.aborted) {
        // What arrived before Stop is kept, marked as stopped, so the conversation reads as the user saw it.
        const latencyMs = Math.round(performance.now() - started);
        const badge: StoredBadge = { latencyMs, stopped: true, summary: vscode.l10n.t('Stopped by you after {0} ms', latencyMs) };
        const saved = await store.append(conversationId, { role: 'assistant', content: streamed, groupId, badge });
        await this.post({ kind: 'turnDone', turnId, message: toView(saved, badge) });
        await this.publish();
        return;
      }
      // The conversation (and the prompt) are saved: the page learns of them first, then of the error.
      await this.publish();
      await this.post({ kind: 'error', turnId, message: errorMessage(error) });
      // A budget's hard stop sent nothing: the page shows its message; the way to change the budget is VS Code's.
      if (isBudgetStop(error)) void offerBudgetChange(error.message);
    } finally {
      this.turns.delete(turnId);
    }
  }

  /**
   * "/compare": the picked model and the other active configurations (up to COMPARE_MAX) answer the same prompt at
   * once, each streamed into its own column with its badge. The answers are not added to the conversation (they
   * are a side-by-side look, not a turn); their usage and cost are recorded like any other request.
   */
  private async compare(turnId: string, groupId: string, prompt: string): Promise<void> {
    const session = await this.deps.services.open();
    const models = this.models(session);
    const first = models.find((m) => m.groupId === groupId);
    const columns = core.compareLineup(models, first).map((m) => ({ groupId: m.groupId, name: m.name }));
    if (columns.length < 2) throw new Error(vscode.l10n.t('/compare needs at least two active configurations; there is {0}. Add or activate another one.', columns.length));
    await this.post({ kind: 'compareStarted', turnId, prompt, columns });
    const abort = new AbortController();
    this.turns.set(turnId, abort);
    try {
      await Promise.all(columns.map(async (column, index) => {
        let pending = '';
        let timer: ReturnType<typeof setTimeout> | undefined;
        const flush = (): void => {
          timer = undefined;
          if (pending === '') return;
          const text = pending;
          pending = '';
          void this.post({ kind: 'compareDelta', turnId, column: index, text });
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
          await this.post({ kind: 'compareDone', turnId, column: index, badge: core.storedBadge(result, core.badgeText(result)) });
        } catch (error) {
          if (timer) clearTimeout(timer);
          flush();
          const message = abort.signal.aborted ? vscode.l10n.t('Stopped by you.') : errorMessage(error);
          await this.post({ kind: 'compareDone', turnId, column: index, error: message });
        }
      }));
    } finally {
      this.turns.delete(turnId);
    }
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

  private async post(message: ChatEventMessage): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ChatPanel.current === this) ChatPanel.current = undefined;
    for (const turn of this.turns.values()) turn.abort();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

/** The same options for a new panel and a revived one: scripts, and files only from the extension's own folders. */
function chatPanelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

function toView(message: ConversationMessage, badge: StoredBadge | undefined): ChatMessageView {
  return { id: message.id, role: message.role, content: message.content, groupId: message.groupId, ...(badge ? { badge } : {}) };
}

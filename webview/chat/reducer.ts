// What the chat page shows, as one pure function of what happened: host notifications, answers, and the user's input.
import { CHAT_IMAGES_PER_MESSAGE, type ChatBadgeView, type ChatImageView, type ChatMessageView, type ChatNotification, type ChatSeed, type ChatState } from '../../src/protocol/chat';
import { strings } from './strings';

export interface Streaming {
  readonly turnId: string;
  readonly text: string;
  /** The model's reasoning so far, shown collapsed above the text. */
  readonly reasoning: string;
  readonly notices: readonly string[];
  /** A "/compare" runs: its answers stream into the comparison's columns, not into a turn. */
  readonly compare?: boolean;
}

export interface CompareColumn {
  readonly name: string;
  readonly text: string;
  readonly done: boolean;
  readonly badge?: ChatBadgeView;
  readonly error?: string;
}

/** One "/compare": the same prompt answered by each column's configuration, streamed side by side. */
export interface Comparison {
  readonly turnId: string;
  readonly prompt: string;
  readonly columns: readonly CompareColumn[];
}

export interface ChatView {
  /** The host's last state (models, conversations, the open conversation); undefined until the first. */
  readonly state: ChatState | undefined;
  readonly messages: readonly ChatMessageView[];
  readonly streaming: Streaming | undefined;
  readonly draft: string;
  readonly context: ChatSeed['context'];
  /** Images attached to the draft (pasted, dropped or picked), sent with it. */
  readonly images: readonly ChatImageView[];
  readonly groupId: string | null;
  readonly comparisons: readonly Comparison[];
  /** Counts the errors shown, so each has an id of its own. */
  readonly errorCount: number;
  /** Counts the seeds received: the composer takes focus on each. */
  readonly seeds: number;
}

export type ChatAction =
  | { readonly type: 'notification'; readonly notification: ChatNotification }
  | { readonly type: 'failed'; readonly turnId?: string; readonly message: string }
  | { readonly type: 'draft'; readonly text: string }
  | { readonly type: 'removeAttachment' }
  /** Images read from a paste, a drop or the file picker; past CHAT_IMAGES_PER_MESSAGE the rest are left out. */
  | { readonly type: 'attachImages'; readonly images: readonly ChatImageView[] }
  | { readonly type: 'removeImage'; readonly index: number }
  | { readonly type: 'selectModel'; readonly groupId: string }
  /** The user sent the draft under this turn id (see outgoing for what goes to the host). */
  | { readonly type: 'send'; readonly turnId: string };

export const initialChatView: ChatView = { state: undefined, messages: [], streaming: undefined, draft: '', context: undefined, images: [], groupId: null, comparisons: [], errorCount: 0, seeds: 0 };

const COMPARE_PREFIX = /^\/compare(?:\s+|$)/;

/** What sending the draft asks of the host, or why it asks nothing. */
export type Outgoing =
  | { readonly method: 'chat.send'; readonly params: { readonly turnId: string; readonly groupId: string; readonly prompt: string; readonly context?: NonNullable<ChatSeed['context']>; readonly images?: ChatImageView[] } }
  | { readonly method: 'chat.compare'; readonly params: { readonly turnId: string; readonly groupId: string; readonly prompt: string } }
  /** "/compare" without a prompt: the page explains how to use it. */
  | { readonly method: undefined; readonly usage: true };

export function outgoing(view: ChatView, turnId: string): Outgoing | undefined {
  const prompt = view.draft.trim();
  if ((prompt === '' && view.images.length === 0) || !view.groupId || view.streaming) return undefined;
  if (COMPARE_PREFIX.test(prompt)) {
    const question = prompt.replace(COMPARE_PREFIX, '').trim();
    if (question === '') return { method: undefined, usage: true };
    return { method: 'chat.compare', params: { turnId, groupId: view.groupId, prompt: question } };
  }
  return { method: 'chat.send', params: { turnId, groupId: view.groupId, prompt, ...(view.context ? { context: view.context } : {}), ...(view.images.length > 0 ? { images: [...view.images] } : {}) } };
}

export function reduceChat(view: ChatView, action: ChatAction): ChatView {
  switch (action.type) {
    case 'notification':
      return onNotification(view, action.notification);
    case 'failed':
      return failed(view, action.turnId, action.message);
    case 'draft':
      return { ...view, draft: action.text };
    case 'removeAttachment':
      return { ...view, context: undefined };
    case 'attachImages':
      return { ...view, images: [...view.images, ...action.images].slice(0, CHAT_IMAGES_PER_MESSAGE) };
    case 'removeImage':
      return { ...view, images: view.images.filter((_, i) => i !== action.index) };
    case 'selectModel':
      return { ...view, groupId: action.groupId };
    case 'send': {
      const out = outgoing(view, action.turnId);
      if (!out) return view;
      if (out.method === undefined) return { ...view, messages: [...view.messages, { id: `error-${action.turnId}`, role: 'error', content: strings.compareUsage, groupId: null }] };
      if (out.method === 'chat.compare') return { ...view, streaming: { turnId: action.turnId, text: '', reasoning: '', notices: [], compare: true }, draft: '' };
      return { ...view, streaming: { turnId: action.turnId, text: '', reasoning: '', notices: [] }, draft: '', context: undefined, images: [] };
    }
  }
}

function onNotification(view: ChatView, n: ChatNotification): ChatView {
  switch (n.event) {
    case 'state': {
      // Comparisons belong to the conversation they were asked in: another conversation starts without them.
      const another = view.state !== undefined && view.state.conversationId !== n.state.conversationId;
      return { ...view, state: n.state, messages: n.state.messages, groupId: n.state.groupId, comparisons: another ? [] : view.comparisons };
    }
    case 'seed':
      return { ...view, draft: n.seed.prompt, context: n.seed.context, seeds: view.seeds + 1 };
    case 'turnStarted':
      return { ...view, messages: [...view.messages, n.user] };
    case 'delta':
      return view.streaming?.turnId === n.turnId ? { ...view, streaming: { ...view.streaming, text: view.streaming.text + n.text } } : view;
    case 'reasoning':
      return view.streaming?.turnId === n.turnId ? { ...view, streaming: { ...view.streaming, reasoning: view.streaming.reasoning + n.text } } : view;
    case 'notice':
      return view.streaming?.turnId === n.turnId ? { ...view, streaming: { ...view.streaming, notices: [...view.streaming.notices, n.text] } } : view;
    case 'turnDone':
      return { ...view, messages: view.messages.some((m) => m.id === n.message.id) ? view.messages : [...view.messages, n.message], streaming: undefined };
    case 'compareStarted':
      return { ...view, comparisons: [...view.comparisons, { turnId: n.turnId, prompt: n.prompt, columns: n.columns.map((c) => ({ name: c.name, text: '', done: false })) }] };
    case 'compareDelta':
    case 'compareDone': {
      const comparisons = view.comparisons.map((c) => (c.turnId !== n.turnId ? c : { ...c, columns: c.columns.map((col, i) => (i === n.column ? column(col, n) : col)) }));
      const finished = comparisons.find((c) => c.turnId === n.turnId)?.columns.every((col) => col.done) ?? false;
      return { ...view, comparisons, streaming: finished && view.streaming?.turnId === n.turnId ? undefined : view.streaming };
    }
    case 'error':
      return failed(view, undefined, n.message);
  }
}

function column(col: CompareColumn, n: Extract<ChatNotification, { event: 'compareDelta' | 'compareDone' }>): CompareColumn {
  if (n.event === 'compareDelta') return { ...col, text: col.text + n.text };
  return { ...col, done: true, ...(n.badge ? { badge: n.badge } : {}), ...(n.error ? { error: n.error } : {}) };
}

/** A failure: what the failed turn had streamed is kept above the error, and the turn ends. */
function failed(view: ChatView, turnId: string | undefined, message: string): ChatView {
  const s = view.streaming;
  const ours = turnId !== undefined && s?.turnId === turnId;
  const partial: ChatMessageView[] = ours && (s.text !== '' || s.reasoning !== '') ? [{ id: `${s.turnId}-partial`, role: 'assistant', content: s.text, groupId: null, ...(s.reasoning === '' ? {} : { reasoning: s.reasoning }) }] : [];
  const errorCount = view.errorCount + 1;
  return {
    ...view,
    messages: [...view.messages, ...partial, { id: `error-${String(errorCount)}`, role: 'error', content: message, groupId: null }],
    streaming: ours ? undefined : s,
    errorCount,
  };
}

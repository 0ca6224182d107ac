import { CONVERSATION_IMAGE_BYTES } from '../../protocol/chat';
import type { ChatImage, ChatMessage } from '../providers';
import { megabytes } from '../providers/images';
import type { Conversation, ConversationMessage, Store } from '../store';
import type { TurnBadge } from './runTurn';

/** A badge as stored with its message and shown by the panel. */
export interface StoredBadge {
  readonly configuration?: string;
  readonly model?: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cachedTokens?: number;
  readonly cacheWriteTokens?: number;
  readonly reasoningTokens?: number;
  readonly costUsd?: number;
  readonly latencyMs: number;
  readonly fallbackReason?: string;
  /** The user stopped the answer: the text is what had arrived. */
  readonly stopped?: boolean;
  readonly summary: string;
  /** The answer's reasoning, kept with its badge so that the message table needs no column for it. */
  readonly reasoning?: string;
}

/** The chat protocol carries at most 200 000 characters of an answer's reasoning; a longer one keeps its start. */
const KEPT_REASONING = 150_000;

/** Reasoning as it is kept and shown: a very long one (a large thinking budget) is cut, saying how much was left out. */
export function keptReasoning(reasoning: string): string {
  if (reasoning.length <= KEPT_REASONING) return reasoning;
  return `${reasoning.slice(0, KEPT_REASONING)}\n\n[… ${String(reasoning.length - KEPT_REASONING)} more characters of reasoning were not kept]`;
}

export function storedBadge(badge: TurnBadge, summary: string, reasoning = ''): StoredBadge {
  const usage = badge.usage;
  return {
    ...(badge.member ? { configuration: badge.member.name, model: badge.member.model } : {}),
    ...(usage ? { inputTokens: usage.input, outputTokens: usage.output } : {}),
    ...(usage?.cached ? { cachedTokens: usage.cached } : {}),
    ...(usage?.cacheWrite ? { cacheWriteTokens: usage.cacheWrite } : {}),
    ...(usage?.reasoning ? { reasoningTokens: usage.reasoning } : {}),
    ...(reasoning === '' ? {} : { reasoning: keptReasoning(reasoning) }),
    ...(badge.costUsd === undefined ? {} : { costUsd: badge.costUsd }),
    latencyMs: Math.round(badge.latencyMs),
    ...(badge.fallbackReason ? { fallbackReason: badge.fallbackReason } : {}),
    summary,
  };
}

export function parseBadge(json: string | null): StoredBadge | undefined {
  if (!json) return undefined;
  try {
    const value = JSON.parse(json) as Partial<StoredBadge> | null;
    return value && typeof value.summary === 'string' && typeof value.latencyMs === 'number' ? (value as StoredBadge) : undefined;
  } catch {
    return undefined;
  }
}

/** The first line of the first prompt, shortened: what the conversation list shows. */
export function titleFrom(prompt: string): string {
  const line = prompt.trim().split('\n')[0]?.trim() ?? '';
  if (line === '') return 'New conversation';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** A selection sent with a prompt, as the model reads it: the prompt, then the code fenced with its language. */
export function promptWithContext(prompt: string, context: { readonly file: string; readonly language: string; readonly code: string } | undefined): string {
  if (!context) return prompt;
  const fence = context.code.includes('```') ? '~~~~' : '```';
  return `${prompt}\n\n${context.file} (${context.language}):\n${fence}${context.language}\n${context.code}\n${fence}`;
}

/**
 * The chat panel's conversations in the store, for one user: the history is provider-neutral ChatMessages, so a
 * conversation can switch models between turns (the router converts it for each provider).
 */
export class ConversationStore {
  constructor(
    private readonly store: Store,
    private readonly userId: string,
  ) {}

  list(): Conversation[] {
    return this.store.read((r) => r.conversations.list(this.userId));
  }

  get(id: string): Conversation | undefined {
    return this.store.read((r) => r.conversations.get(this.userId, id));
  }

  messages(id: string): ConversationMessage[] {
    return this.store.read((r) => r.conversations.messages(this.userId, id));
  }

  create(firstPrompt: string, groupId: string): Promise<Conversation> {
    return this.store.write((r) => r.conversations.create(this.userId, { title: titleFrom(firstPrompt), groupId }));
  }

  setModel(id: string, groupId: string): Promise<Conversation | undefined> {
    return this.store.write((r) => r.conversations.update(this.userId, id, { groupId }));
  }

  delete(id: string): Promise<boolean> {
    return this.store.write((r) => r.conversations.delete(this.userId, id));
  }

  /**
   * Appends a message; images go with a user message, and a conversation keeps at most CONVERSATION_IMAGE_BYTES of
   * them (the whole store file is written on every save): past that, the message is refused with what to do.
   */
  append(id: string, message: { readonly role: 'user' | 'assistant'; readonly content: string; readonly groupId: string; readonly badge?: StoredBadge; readonly images?: readonly ChatImage[] }): Promise<ConversationMessage> {
    const images = message.images?.length ? JSON.stringify(message.images) : null;
    return this.store.write((r) => {
      if (images !== null) {
        const kept = r.conversations.imageChars(this.userId, id);
        if (kept + images.length > CONVERSATION_IMAGE_BYTES) {
          throw new Error(`This conversation already keeps ${megabytes(kept)} of images; one conversation keeps at most ${megabytes(CONVERSATION_IMAGE_BYTES)}. Start a new conversation to send more images.`);
        }
      }
      return r.conversations.append(this.userId, id, { role: message.role, content: message.content, groupId: message.groupId, badge: message.badge ? JSON.stringify(message.badge) : null, images });
    });
  }

  /** Whether the conversation has room for these images (see append). */
  imageRoom(id: string, images: readonly ChatImage[]): boolean {
    if (images.length === 0) return true;
    const kept = this.store.read((r) => r.conversations.imageChars(this.userId, id));
    return kept + JSON.stringify(images).length <= CONVERSATION_IMAGE_BYTES;
  }

  /** The conversation as the router takes it: every user and assistant message (with its images), whichever model wrote it. */
  history(id: string): ChatMessage[] {
    return this.messages(id).map((m) => {
      const images = parseImages(m.images);
      return { role: m.role, content: m.content, ...(images.length > 0 ? { images } : {}) };
    });
  }
}

/** A message's stored images; anything that is not a list of {mimeType, data} strings is read as none. */
export function parseImages(json: string | null): ChatImage[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return [];
    return value.filter((i): i is ChatImage => typeof (i as Partial<ChatImage> | null)?.mimeType === 'string' && typeof (i as Partial<ChatImage> | null)?.data === 'string');
  } catch {
    return [];
  }
}

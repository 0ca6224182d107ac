import { randomUUID } from 'node:crypto';
import type { Row, Sql } from './sql';
import { num, optionalText, text } from './sql';

export type ConversationRole = 'user' | 'assistant';

export interface Conversation {
  readonly id: string;
  readonly userId: string;
  readonly title: string;
  /** The model (router group id) the conversation answers with now; each message keeps the one that answered it. */
  readonly groupId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ConversationMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly seq: number;
  readonly role: ConversationRole;
  readonly content: string;
  readonly groupId: string | null;
  /** The turn's badge as JSON (configuration, model, tokens, cost, latency, fallback); assistant turns only. */
  readonly badge: string | null;
  /** Images sent with a user turn, as JSON [{mimeType, data}]; null when none. */
  readonly images: string | null;
  readonly createdAt: string;
}

/** conversations and conversation_messages, scoped by user like every user-owned table. */
export class ConversationRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  create(userId: string, input: { readonly title: string; readonly groupId: string | null }): Conversation {
    const at = this.now();
    const id = randomUUID();
    this.sql.run('INSERT INTO conversations (id, user_id, title, group_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [id, userId, input.title, input.groupId, at, at]);
    const created = this.get(userId, id);
    if (!created) throw new Error('ConversationRepository.create: the new row was not found');
    return created;
  }

  /** Most recently used first. */
  list(userId: string): Conversation[] {
    return this.sql.all('SELECT * FROM conversations WHERE user_id = ? ORDER BY updated_at DESC, id', [userId]).map(toConversation);
  }

  get(userId: string, id: string): Conversation | undefined {
    const row = this.sql.get('SELECT * FROM conversations WHERE user_id = ? AND id = ?', [userId, id]);
    return row ? toConversation(row) : undefined;
  }

  update(userId: string, id: string, patch: { readonly title?: string; readonly groupId?: string | null }): Conversation | undefined {
    const current = this.get(userId, id);
    if (!current) return undefined;
    this.sql.run('UPDATE conversations SET title = ?, group_id = ?, updated_at = ? WHERE user_id = ? AND id = ?', [
      patch.title ?? current.title, patch.groupId === undefined ? current.groupId : patch.groupId, this.now(), userId, id,
    ]);
    return this.get(userId, id);
  }

  delete(userId: string, id: string): boolean {
    this.sql.run('DELETE FROM conversation_messages WHERE user_id = ? AND conversation_id = ?', [userId, id]);
    return this.sql.run('DELETE FROM conversations WHERE user_id = ? AND id = ?', [userId, id]) > 0;
  }

  messages(userId: string, conversationId: string): ConversationMessage[] {
    return this.sql.all('SELECT * FROM conversation_messages WHERE user_id = ? AND conversation_id = ? ORDER BY seq', [userId, conversationId]).map(toMessage);
  }

  /** Characters of image JSON the conversation's messages hold (what bounds the images it keeps). */
  imageChars(userId: string, conversationId: string): number {
    return num(this.sql.get('SELECT COALESCE(SUM(LENGTH(images)), 0) AS chars FROM conversation_messages WHERE user_id = ? AND conversation_id = ?', [userId, conversationId])?.chars);
  }

  /** Appends after the last message and marks the conversation used. */
  append(userId: string, conversationId: string, message: { readonly role: ConversationRole; readonly content: string; readonly groupId: string | null; readonly badge?: string | null; readonly images?: string | null }): ConversationMessage {
    if (!this.get(userId, conversationId)) throw new Error('This conversation no longer exists. Start a new one.');
    const seq = num(this.sql.get('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM conversation_messages WHERE user_id = ? AND conversation_id = ?', [userId, conversationId])?.next);
    const id = randomUUID();
    const at = this.now();
    this.sql.run('INSERT INTO conversation_messages (id, conversation_id, user_id, seq, role, content, group_id, badge, images, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      id, conversationId, userId, seq, message.role, message.content, message.groupId, message.badge ?? null, message.images ?? null, at,
    ]);
    this.sql.run('UPDATE conversations SET updated_at = ? WHERE user_id = ? AND id = ?', [at, userId, conversationId]);
    return { id, conversationId, seq, role: message.role, content: message.content, groupId: message.groupId, badge: message.badge ?? null, images: message.images ?? null, createdAt: at };
  }
}

function toConversation(row: Row): Conversation {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    title: text(row.title),
    groupId: optionalText(row.group_id),
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
  };
}

function toMessage(row: Row): ConversationMessage {
  return {
    id: text(row.id),
    conversationId: text(row.conversation_id),
    seq: num(row.seq),
    role: text(row.role) === 'assistant' ? 'assistant' : 'user',
    content: text(row.content),
    groupId: optionalText(row.group_id),
    badge: optionalText(row.badge),
    images: optionalText(row.images),
    createdAt: text(row.created_at),
  };
}

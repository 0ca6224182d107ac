import * as assert from 'node:assert/strict';
import { ConversationStore, parseBadge, promptWithContext, storedBadge, titleFrom } from '../../../src/core/chat';
import { chatMessageSchema } from '../../../src/protocol/chat';
import * as z from 'zod/mini';
import { fromWire, toWire } from '../../../src/core/routing';
import type { Store } from '../../../src/core/store/Store';
import { useTempStore } from '../helpers/tempStore';

describe('chat conversations in the store (migration 4)', () => {
  const temp = useTempStore();
  let store: Store;
  let a: string;
  let b: string;
  beforeEach(async () => {
    store = temp.store;
    [a, b] = await store.write((r) => [r.users.ensureLocalUser().id, r.users.create('B').id]);
  });

  it('keeps each user\'s conversations apart: another user can neither list, read, append to nor delete them', async () => {
    const mine = new ConversationStore(store, a);
    const theirs = new ConversationStore(store, b);
    const conversation = await mine.create('Explain closures\nin detail', 'configuration:x');
    await mine.append(conversation.id, { role: 'user', content: 'Explain closures', groupId: 'configuration:x' });
    assert.equal(conversation.title, 'Explain closures');
    assert.deepEqual(theirs.list(), []);
    assert.equal(theirs.get(conversation.id), undefined);
    assert.deepEqual(theirs.messages(conversation.id), []);
    await assert.rejects(theirs.append(conversation.id, { role: 'user', content: 'x', groupId: 'g' }), /no longer exists/);
    assert.equal(await theirs.delete(conversation.id), false);
    assert.equal(mine.messages(conversation.id).length, 1);
  });

  it('appends in order with badges, survives a reopen of the file, and deletes messages with their conversation', async () => {
    const mine = new ConversationStore(store, a);
    const c = await mine.create('Hello', 'configuration:openai');
    await mine.append(c.id, { role: 'user', content: 'Hello', groupId: 'configuration:openai' });
    const badge = { configuration: 'Work OpenAI', model: 'gpt-4o-mini', inputTokens: 16, outputTokens: 300, costUsd: 0.000182, latencyMs: 42, summary: 'Work OpenAI · gpt-4o-mini' };
    await mine.append(c.id, { role: 'assistant', content: 'Hi there', groupId: 'configuration:openai', badge });
    await mine.setModel(c.id, 'configuration:ollama');
    await mine.append(c.id, { role: 'user', content: 'Count to 3', groupId: 'configuration:ollama' });
    store = await temp.reopen();
    const reopened = new ConversationStore(store, a);
    assert.equal(reopened.get(c.id)?.groupId, 'configuration:ollama');
    const messages = reopened.messages(c.id);
    assert.deepEqual(messages.map((m) => [m.seq, m.role, m.content, m.groupId]), [
      [1, 'user', 'Hello', 'configuration:openai'],
      [2, 'assistant', 'Hi there', 'configuration:openai'],
      [3, 'user', 'Count to 3', 'configuration:ollama'],
    ]);
    assert.deepEqual(parseBadge(messages[1]?.badge ?? null), badge);
    assert.deepEqual(reopened.history(c.id), [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi there' },
      { role: 'user', content: 'Count to 3' },
    ]);
    assert.equal(await reopened.delete(c.id), true);
    assert.equal(store.read((r) => r.conversations.messages(a, c.id)).length, 0);
  });

  it('lists the most recently used conversation first', async () => {
    const mine = new ConversationStore(store, a);
    const first = await mine.create('first', 'g');
    await new Promise((r) => setTimeout(r, 5));
    const second = await mine.create('second', 'g');
    await new Promise((r) => setTimeout(r, 5));
    await mine.append(first.id, { role: 'user', content: 'again', groupId: 'g' });
    assert.deepEqual(mine.list().map((c) => c.id), [first.id, second.id]);
  });

  it('a stored conversation converts to every provider\'s wire format and back without losing a turn', () => {
    const history = [
      { role: 'user' as const, content: 'Hello' },
      { role: 'assistant' as const, content: 'Hi there' },
      { role: 'user' as const, content: 'Count to 3' },
    ];
    for (const format of ['openai', 'anthropic', 'gemini', 'ollama'] as const) {
      assert.deepEqual(fromWire(format, toWire(format, history)).map((m) => [m.role, m.content]), history.map((m) => [m.role, m.content]), format);
    }
  });

  it('keeps a very long reasoning (a large thinking budget) only as long as the chat page can still show its answer', async () => {
    const conversations = new ConversationStore(store, a);
    const conversation = await conversations.create('Think hard', 'configuration:x');
    const reasoning = 'Let me think. '.repeat(30_000);
    const badge = storedBadge({ member: undefined, usage: undefined, costUsd: undefined, latencyMs: 12, ttftMs: undefined, fallbackReason: undefined, finish: 'stop' }, 'summary', reasoning);
    const saved = await conversations.append(conversation.id, { role: 'assistant', content: 'Done.', groupId: 'configuration:x', badge });
    const kept = parseBadge(saved.badge)?.reasoning ?? '';
    assert.ok(kept.startsWith('Let me think. Let me think.'));
    assert.match(kept, /more characters of reasoning were not kept\]$/);
    // What the page receives for this message (the panel's message view) passes the chat protocol, or the page drops it.
    const view = { id: saved.id, role: 'assistant', content: saved.content, groupId: saved.groupId, reasoning: kept };
    assert.ok(z.safeParse(chatMessageSchema, view).success);
  });
});

describe('chat prompts and titles', () => {
  it('titles a conversation by the first line of its first prompt, shortened', () => {
    assert.equal(titleFrom('  Why is the sky blue?\nmore'), 'Why is the sky blue?');
    assert.equal(titleFrom(''), 'New conversation');
    assert.equal(titleFrom('x'.repeat(100)).length, 60);
  });

  it('sends a selection fenced with its language after the prompt, with a longer fence when the code has one', () => {
    assert.equal(promptWithContext('Explain', { file: 'src/a.ts', language: 'typescript', code: 'const a = 1;' }), 'Explain\n\nsrc/a.ts (typescript):\n```typescript\nconst a = 1;\n```');
    assert.match(promptWithContext('Explain', { file: 'README.md', language: 'markdown', code: '```js\nx\n```' }), /~~~~markdown\n```js\nx\n```\n~~~~$/);
    assert.equal(promptWithContext('Just this', undefined), 'Just this');
  });

  it('ignores a badge that is not one (damaged JSON, missing fields)', () => {
    assert.equal(parseBadge('{'), undefined);
    assert.equal(parseBadge('{"summary":1}'), undefined);
    assert.equal(parseBadge(null), undefined);
  });
});

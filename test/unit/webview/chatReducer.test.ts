import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type { ChatMessageView, ChatNotification, ChatState } from '../../../src/protocol/chat';
import type * as ReducerTypes from '../../../webview/chat/reducer';

const root = resolve(__dirname, '..', '..', '..', '..');

/** The chat page's reducer is browser code outside the test build: bundled on the fly (it needs no DOM). */
function loadReducer(): typeof ReducerTypes {
  const [output] = buildSync({ entryPoints: [join(root, 'webview', 'chat', 'reducer.ts')], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' }).outputFiles;
  const file = join(mkdtempSync(join(tmpdir(), 'chat-reducer-')), 'reducer.js');
  writeFileSync(file, output?.text ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a freshly bundled file, loaded once
  return require(file) as typeof ReducerTypes;
}

const message = (id: string, role: ChatMessageView['role'], content: string): ChatMessageView => ({ id, role, content, groupId: role === 'error' ? null : 'configuration:a' });
const state = (conversationId: string | null, messages: ChatMessageView[] = []): ChatState => ({
  models: [{ groupId: 'configuration:a', name: 'A', detail: 'openai · gpt-4o-mini', kind: 'configuration' }],
  conversations: conversationId ? [{ id: conversationId, title: 'T', updatedAt: '2026-01-01T00:00:00Z' }] : [],
  conversationId,
  groupId: 'configuration:a',
  messages,
});

describe('the chat page\'s state (a pure reducer)', () => {
  const { reduceChat, initialChatView, outgoing } = loadReducer();
  type View = ReducerTypes.ChatView;
  const on = (view: View, notification: ChatNotification): View => reduceChat(view, { type: 'notification', notification });
  const ready = (): View => reduceChat(on(initialChatView, { kind: 'notification', event: 'state', state: state(null) }), { type: 'draft', text: 'Hello' });

  it('sends the draft as a turn: streams its deltas and notices under its id, and ends with the saved answer once', () => {
    let view = ready();
    assert.deepEqual(outgoing(view, 't1'), { method: 'chat.send', params: { turnId: 't1', groupId: 'configuration:a', prompt: 'Hello' } });
    view = reduceChat(view, { type: 'send', turnId: 't1' });
    assert.equal(view.draft, '');
    assert.equal(outgoing(reduceChat(view, { type: 'draft', text: 'again' }), 't2'), undefined, 'one turn at a time');
    view = on(view, { kind: 'notification', event: 'turnStarted', turnId: 't1', user: message('u1', 'user', 'Hello') });
    view = on(view, { kind: 'notification', event: 'delta', turnId: 't1', text: 'Hi ' });
    view = on(view, { kind: 'notification', event: 'delta', turnId: 'other', text: 'stray' });
    view = on(view, { kind: 'notification', event: 'notice', turnId: 't1', text: 'A failed; B answered' });
    view = on(view, { kind: 'notification', event: 'delta', turnId: 't1', text: 'there' });
    assert.deepEqual(view.streaming, { turnId: 't1', text: 'Hi there', reasoning: '', notices: ['A failed; B answered'] });
    const answer = message('a1', 'assistant', 'Hi there');
    view = on(view, { kind: 'notification', event: 'turnDone', turnId: 't1', message: answer });
    view = on(view, { kind: 'notification', event: 'turnDone', turnId: 't1', message: answer });
    assert.equal(view.streaming, undefined);
    assert.deepEqual(view.messages.map((m) => m.id), ['u1', 'a1']);
  });

  it('streams a turn’s reasoning apart from its text, and keeps reasoning that arrived before a failure', () => {
    let view = reduceChat(ready(), { type: 'send', turnId: 't1' });
    view = on(view, { kind: 'notification', event: 'reasoning', turnId: 't1', text: 'Weighing ' });
    view = on(view, { kind: 'notification', event: 'reasoning', turnId: 'other', text: 'stray' });
    view = on(view, { kind: 'notification', event: 'reasoning', turnId: 't1', text: 'the options.' });
    view = on(view, { kind: 'notification', event: 'delta', turnId: 't1', text: 'Pick B.' });
    assert.deepEqual(view.streaming, { turnId: 't1', text: 'Pick B.', reasoning: 'Weighing the options.', notices: [] });
    view = reduceChat(view, { type: 'failed', turnId: 't1', message: 'Gemini stopped.' });
    assert.deepEqual(view.messages.find((m) => m.id === 't1-partial'), { id: 't1-partial', role: 'assistant', content: 'Pick B.', groupId: null, reasoning: 'Weighing the options.' });
  });

  it('keeps what a failed turn streamed above its error, and a failure of no turn leaves a running turn alone', () => {
    let view = reduceChat(ready(), { type: 'send', turnId: 't1' });
    view = on(view, { kind: 'notification', event: 'delta', turnId: 't1', text: 'partial' });
    view = reduceChat(view, { type: 'failed', message: 'That conversation no longer exists.' });
    assert.equal(view.streaming?.turnId, 't1');
    view = reduceChat(view, { type: 'failed', turnId: 't1', message: 'OpenAI rejected the key (401).' });
    assert.equal(view.streaming, undefined);
    assert.deepEqual(view.messages.map((m) => [m.role, m.content]), [
      ['error', 'That conversation no longer exists.'],
      ['assistant', 'partial'],
      ['error', 'OpenAI rejected the key (401).'],
    ]);
    assert.equal(new Set(view.messages.map((m) => m.id)).size, 3, 'each message has an id of its own');
  });

  it('runs a /compare in columns and ends the turn when the last column is done, in one step', () => {
    let view = reduceChat(reduceChat(ready(), { type: 'draft', text: '/compare  Which is faster?' }), { type: 'send', turnId: 'c1' });
    assert.deepEqual(view.streaming, { turnId: 'c1', text: '', reasoning: '', notices: [], compare: true });
    view = on(view, { kind: 'notification', event: 'compareStarted', turnId: 'c1', prompt: 'Which is faster?', columns: [{ groupId: 'configuration:a', name: 'A' }, { groupId: 'configuration:b', name: 'B' }] });
    view = on(view, { kind: 'notification', event: 'compareDelta', turnId: 'c1', column: 1, text: 'B says' });
    view = on(view, { kind: 'notification', event: 'compareDone', turnId: 'c1', column: 1, badge: { latencyMs: 5, summary: 'B · 5 ms' } });
    assert.equal(view.streaming?.turnId, 'c1', 'one column still runs');
    view = on(view, { kind: 'notification', event: 'compareDone', turnId: 'c1', column: 0, error: 'A is down' });
    assert.equal(view.streaming, undefined);
    assert.deepEqual(view.comparisons[0]?.columns, [
      { name: 'A', text: '', done: true, error: 'A is down' },
      { name: 'B', text: 'B says', done: true, badge: { latencyMs: 5, summary: 'B · 5 ms' } },
    ]);
    // Comparisons belong to their conversation: a state for the same one keeps them, another one drops them.
    assert.equal(on(view, { kind: 'notification', event: 'state', state: state(null) }).comparisons.length, 1);
    assert.equal(on(view, { kind: 'notification', event: 'state', state: state('other') }).comparisons.length, 0);
  });

  it('explains /compare without a prompt instead of sending it', () => {
    const view = reduceChat(reduceChat(ready(), { type: 'draft', text: '/compare' }), { type: 'send', turnId: 'c2' });
    assert.deepEqual(outgoing(reduceChat(ready(), { type: 'draft', text: '/compare ' }), 'c2'), { method: undefined, usage: true });
    assert.equal(view.streaming, undefined);
    assert.match(view.messages.at(-1)?.content ?? '', /\/compare <prompt>/);
  });

  it('takes a seed\'s prompt and selection, sends the selection with the next turn only, and the host\'s state wins', () => {
    let view = on(ready(), { kind: 'notification', event: 'seed', seed: { prompt: 'Explain this', context: { file: 'a.ts', language: 'typescript', code: 'x()' } } });
    assert.equal(view.draft, 'Explain this');
    assert.equal(view.seeds, 1);
    assert.deepEqual(outgoing(view, 't'), { method: 'chat.send', params: { turnId: 't', groupId: 'configuration:a', prompt: 'Explain this', context: { file: 'a.ts', language: 'typescript', code: 'x()' } } });
    view = reduceChat(view, { type: 'send', turnId: 't' });
    assert.equal(view.context, undefined);
    view = reduceChat(view, { type: 'selectModel', groupId: 'configuration:b' });
    assert.equal(view.groupId, 'configuration:b');
    view = on(view, { kind: 'notification', event: 'state', state: state('c1', [message('u', 'user', 'Explain this')]) });
    assert.equal(view.groupId, 'configuration:a');
    assert.deepEqual(view.messages.map((m) => m.id), ['u']);
    const removed = reduceChat(on(view, { kind: 'notification', event: 'seed', seed: { prompt: 'p', context: { file: 'b', language: 'c', code: 'd' } } }), { type: 'removeAttachment' });
    assert.equal(removed.context, undefined);
  });

  it('never changes the view it was given', () => {
    const view = Object.freeze(ready());
    assert.doesNotThrow(() => reduceChat(reduceChat(view, { type: 'send', turnId: 't' }), { type: 'failed', turnId: 't', message: 'x' }));
    assert.equal(view.draft, 'Hello');
  });
});

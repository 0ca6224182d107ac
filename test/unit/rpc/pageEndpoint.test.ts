import * as assert from 'node:assert/strict';
import { answerRequest, PageEndpoint, ReadyGate, type MethodHandlers } from '../../../src/core/rpc';
import { chatMethods } from '../../../src/protocol/chat';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/envelope';

interface Note {
  kind: 'notification';
  event: string;
}

/** A host end of one page, with what it posts into the page and logs kept for the test. */
function endpoint(options: { version?: number; onReady?: () => Promise<void> } = {}) {
  const posted: unknown[] = [];
  const logs: string[] = [];
  let reloads = 0;
  const handlers = {
    'chat.stop': () => Promise.resolve({}),
    'chat.copy': ({ code }: { code: string }) => (code === 'boom' ? Promise.reject(new Error('the clipboard is gone')) : Promise.resolve({})),
  } as unknown as MethodHandlers<typeof chatMethods>;
  const page = new PageEndpoint<Note>({
    name: 'the test page',
    version: options.version ?? 2,
    post: (message) => {
      posted.push(message);
      return Promise.resolve(true);
    },
    answer: (request, requests) => answerRequest(chatMethods, handlers, request, () => undefined, requests, {
      refuseParams: () => ({ code: 'invalid-request', message: 'not understood' }),
      toError: (error) => ({ code: 'internal', message: String(error) }),
    }),
    ...(options.onReady ? { onReady: options.onReady } : {}),
    reload: () => {
      reloads++;
    },
    log: (message) => logs.push(message),
  });
  return { page, posted, logs, reloads: () => reloads };
}

const note = (event: string): Note => ({ kind: 'notification', event });

describe('a webview page\'s host end (the ready gate and incoming messages)', () => {
  it('posts nothing before the page says ready, then delivers what waited, in order and once each', async () => {
    const { page, posted } = endpoint();
    page.notify(note('a'));
    page.notify(note('b'));
    page.notify(note('a'));
    assert.deepEqual(posted, []);
    let ready: number | undefined;
    void page.whenReady().then((version) => {
      ready = version;
    });
    await page.receive({ kind: 'ready', protocolVersion: 2 });
    assert.deepEqual(posted, [note('a'), note('b')]);
    assert.equal(ready, 2);
    page.notify(note('c'));
    assert.deepEqual(posted.slice(-1)[0], note('c'), 'a ready page gets a notification at once');
  });

  it('closes again when the page is loaded anew (its HTML set), and the new page gets what was said meanwhile', async () => {
    const { page, posted } = endpoint();
    await page.receive({ kind: 'ready', protocolVersion: 2 });
    assert.equal(page.isReady, true);
    page.pageLoading();
    assert.equal(page.isReady, false);
    let readyAgain = false;
    void page.whenReady().then(() => {
      readyAgain = true;
    });
    page.notify(note('navigate'));
    await Promise.resolve();
    assert.deepEqual(posted, [], 'nothing goes into a page that is loading');
    assert.equal(readyAgain, false, 'whenReady waits for the new page');
    await page.receive({ kind: 'ready', protocolVersion: 2 });
    assert.deepEqual(posted, [note('navigate')]);
    assert.equal(readyAgain, true);
  });

  it('lets the page\'s first state go before what waited, and opens only once that is done', async () => {
    const order: string[] = [];
    const { page, posted } = endpoint({
      onReady: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        order.push('state prepared');
        page.notify(note('state'));
      },
    });
    page.notify(note('seed'));
    void page.whenReady().then(() => {
      order.push('ready');
    });
    await page.receive({ kind: 'ready', protocolVersion: 2 });
    assert.deepEqual(posted, [note('seed'), note('state')]);
    assert.deepEqual(order, ['state prepared', 'ready']);
  });

  it('reloads a page of another protocol version once, then goes on with it rather than reloading for ever', async () => {
    const { page, reloads, logs } = endpoint();
    await page.receive({ kind: 'ready', protocolVersion: 1 });
    assert.equal(reloads(), 1);
    assert.equal(page.isReady, false);
    await page.receive({ kind: 'ready', protocolVersion: 1 });
    assert.equal(reloads(), 1);
    assert.equal(page.isReady, true);
    assert.match(logs.join('\n'), /speaks protocol 1, the extension 2/);
  });

  it('refuses an over-size, malformed or unknown message with a log line, never throws, and answers a request it could read', async () => {
    const { page, posted, logs } = endpoint();
    await page.receive({ kind: 'ready', protocolVersion: 2 });
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { inner: deep };
    const junk: unknown[] = [
      null,
      42,
      'ready',
      { kind: 'request' },
      { kind: 'request', id: -1, method: 'chat.stop', params: {} },
      { kind: 'request', id: 1, method: 'chat.copy', params: { code: 'x'.repeat(MAX_MESSAGE_BYTES + 1) } },
      { kind: 'request', id: 2, method: 'chat.copy', params: deep },
      Array.from({ length: MAX_MESSAGE_BYTES + 1 }, () => 0),
      JSON.parse('{"__proto__":{"polluted":true},"kind":"ready","protocolVersion":2}'),
    ];
    for (const raw of junk) await assert.doesNotReject(page.receive(raw));
    assert.deepEqual(posted, [], 'nothing is answered that could not be read');
    assert.equal(logs.length, junk.length, logs.join('\n'));
    assert.match(logs.join('\n'), /larger than 1000000 characters/);
    assert.match(logs.join('\n'), /not part of its protocol/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);

    await page.receive({ kind: 'request', id: 3, method: 'workbench.action.reload', params: {} });
    await page.receive({ kind: 'request', id: 4, method: 'chat.stop', params: { turnId: 't', extra: 1 } });
    await page.receive({ kind: 'request', id: 5, method: 'chat.copy', params: { code: 'boom' } });
    await page.receive({ kind: 'request', id: 6, method: 'chat.stop', params: { turnId: 't' } });
    assert.deepEqual(posted.map((p) => p as { id: number; ok: boolean; error?: { code: string } }).map((p) => [p.id, p.ok, p.error?.code]), [
      [3, false, 'unknown-method'],
      [4, false, 'invalid-request'],
      [5, false, 'internal'],
      [6, true, undefined],
    ]);
  });

  it('counts the names of a message\'s fields toward its size: a huge unknown key is dropped unread, not logged back', async () => {
    const { page, posted, logs } = endpoint();
    await page.receive({ kind: 'ready', protocolVersion: 2 });
    const key = 'k'.repeat(MAX_MESSAGE_BYTES + 1);
    await page.receive({ kind: 'ready', protocolVersion: 2, [key]: 1 });
    await page.receive({ kind: 'request', id: 1, method: 'chat.stop', params: { [key]: 1 } });
    assert.deepEqual(posted, []);
    assert.equal(logs.length, 2, logs.map((l) => l.slice(0, 200)).join('\n'));
    for (const line of logs) assert.match(line.slice(0, 300), /larger than 1000000 characters/);
    assert.ok(logs.every((line) => line.length < 1_000), 'no log line repeats the key');
  });

  it('posts nothing after the page closed, and a page that refuses a message does not crash the host', async () => {
    const { page, posted } = endpoint();
    await page.receive({ kind: 'ready', protocolVersion: 2 });
    page.dispose();
    page.notify(note('late'));
    await page.receive({ kind: 'request', id: 1, method: 'chat.stop', params: { turnId: 't' } });
    assert.deepEqual(posted, []);
    const throwing = new PageEndpoint<Note>({
      name: 'a disposed webview',
      version: 2,
      post: () => {
        throw new Error('Webview is disposed');
      },
      answer: () => Promise.resolve(undefined),
      reload: () => undefined,
      log: () => undefined,
    });
    await throwing.receive({ kind: 'ready', protocolVersion: 2 });
    assert.doesNotThrow(() => {
      throwing.notify(note('x'));
    });
  });
});

describe('the ready gate', () => {
  it('keeps at most its bound of waiting messages, dropping the oldest', () => {
    const delivered: number[] = [];
    const gate = new ReadyGate<number>((n) => delivered.push(n), 3);
    for (const n of [1, 2, 3, 4, 5]) gate.send(n);
    gate.open(1);
    assert.deepEqual(delivered, [3, 4, 5]);
  });
});

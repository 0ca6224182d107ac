import * as assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startOllamaEmulator, type OllamaEmulator } from '../emulators';
import { until } from '../helpers/until';
import { expect } from './expect';
import { provision } from '../host/provision';
import { Workbench } from './workbench';

const PORT = 28411;
/** The takeover time the README states ("within about 2 seconds plus opening its store"): printed beside the measure. */
const STATED_TAKEOVER_MS = 2_000;
/** The bound asserted: the stated time with generous room for a loaded 2-core machine. */
const TAKEOVER_BOUND_MS = 15_000;

interface Answer {
  /** 'ok' for 200, else the status or the connection error's code. */
  readonly outcome: string;
  readonly body: string;
}

/** One request on a connection of its own (as curl makes it), so no pooled connection outlives the window it went to. */
function send(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port: PORT, method, path, agent: false, headers: { authorization: `Bearer ${token}`, ...(text === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }) } }, (res) => {
      let received = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      res.on('end', () => {
        resolve({ outcome: res.statusCode === 200 || res.statusCode === 201 ? 'ok' : String(res.statusCode), body: received });
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        resolve({ outcome: error.code ?? error.message, body: received });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ outcome: error.code ?? error.message, body: '' });
    });
    req.end(text);
  });
}

/** One request of the client's loop: each try's outcome, and when it ended. */
interface Sent {
  readonly tries: { readonly at: number; readonly outcome: string }[];
  endedAt: number;
}

describe('the local endpoint with two VS Code windows on one profile', function () {
  this.timeout(300_000);
  let emulator: OllamaEmulator;
  let one: Workbench | undefined;
  let token = '';

  // A workbench of its own: closing one of two tabs takes the browser's webview service worker with it, which the
  // shared workbench's later tests need.
  let own: Workbench | undefined;

  before(async function () {
    this.timeout(180_000);
    emulator = await startOllamaEmulator();
    own = await Workbench.open(await provision(() => undefined));
  });

  after(async () => {
    await one?.close().catch(() => undefined);
    await own?.close();
    await emulator.close();
  });

  it('when the serving window closes, the other window serves within the stated time, and every request that was not in flight is answered', async () => {
    const two = own;
    if (!two) throw new Error('The workbench did not open.');
    await two.openView();
    await two.extensionActive();
    one = await two.openWindow('window-one');
    // A fresh window lists the extension's commands once its extension host has it: wait as a user waits for the view.
    await one.openView();
    await one.extensionActive();
    const input = one.page.locator('.quick-input-widget .quick-input-box input');

    // Window one: an admin token (read off the dialog that shows it once) and the endpoint started there.
    await one.runCommand('Model Manager: Create Client Token', { keepOpen: true });
    await input.fill('two windows');
    await input.press('Enter');
    await one.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Admin' }).first().waitFor();
    await input.fill('Admin');
    await input.press('Enter');
    const dialog = one.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    token = /mmct_[A-Za-z0-9_-]{43}/.exec(await dialog.innerText())?.[0] ?? '';
    assert.notEqual(token, '', 'the dialog shows the new token');
    await one.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await one.runCommand('Model Manager: Start Local Endpoint');
    await one.notification(new RegExp(`serving at http://127\\.0\\.0\\.1:${String(PORT)} \\(this window\\)`));

    // A configuration to chat with, made through the management API as a script would.
    const created = await send('POST', '/api/configurations', token, { name: 'Two Windows Ollama', provider: 'ollama', settings: { baseUrl: emulator.url, model: 'gemma3:1b' } });
    assert.equal(created.outcome, 'ok', created.body);

    // Window two sees that window one serves (brought to front: a background tab does not paint).
    await two.page.bringToFront();
    // The tree reads the file again when it lists: its Refresh shows the configuration window one's client made.
    await two.page.locator('.part.sidebar .action-label[aria-label="Refresh"]').first().click();
    const tree = two.page.locator('.monaco-list-row');
    await expect(tree.filter({ hasText: `http://127.0.0.1:${String(PORT)}` }).first()).toContainText('served by the window "window-one"');
    await two.screenshot('review-endpoint-two-windows-served-by-other');

    // The client: one chat request after another; a refused connection (nobody listens) is sent again, nothing else is.
    const sent: Sent[] = [];
    const loop = { stop: false };
    const stopped = (): boolean => loop.stop;
    const client = (async () => {
      while (!stopped()) {
        const request: Sent = { tries: [], endedAt: 0 };
        sent.push(request);
        for (;;) {
          const answer = await send('POST', '/v1/chat/completions', token, { model: 'two-windows-ollama', messages: [{ role: 'user', content: 'Say hello' }] });
          request.tries.push({ at: performance.now(), outcome: answer.outcome });
          if (answer.outcome !== 'ECONNREFUSED' || stopped()) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        request.endedAt = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const answered = (after = 0): number => sent.filter((r) => r.tries.at(-1)?.outcome === 'ok' && r.endedAt > after).length;
    await until('the client to be answered by window one', () => answered() >= 5, 30_000);

    const closedAt = performance.now();
    await one.close();
    one = undefined;
    await expect(tree.filter({ hasText: `http://127.0.0.1:${String(PORT)}` }).first()).toContainText('served by this window');
    const tookOver = performance.now();
    await until('the client to be answered by window two', () => answered(tookOver) >= 5, 60_000);
    loop.stop = true;
    await client;

    // The handover as the client saw it: from its first failed try after the close to the next answer.
    const tries = sent.flatMap((r) => r.tries).sort((a, b) => a.at - b.at);
    const firstFailure = tries.find((t) => t.at > closedAt && t.outcome !== 'ok');
    const firstAnswer = tries.find((t) => t.at > (firstFailure?.at ?? closedAt) && t.outcome === 'ok');
    assert.ok(firstAnswer, 'the client was answered after the close');
    const unserved = firstFailure ? firstAnswer.at - firstFailure.at : 0;
    const refused = tries.filter((t) => t.outcome === 'ECONNREFUSED').length;
    console.log(`      takeover: no window answered for ${String(Math.round(unserved))} ms (README: about ${String(STATED_TAKEOVER_MS / 1000)} s plus opening the store); ` +
      `first answer ${String(Math.round(firstAnswer.at - closedAt))} ms after window one was closed; ${String(refused)} refused connections sent again; ${String(sent.length)} requests`);
    assert.ok(unserved < TAKEOVER_BOUND_MS, `window two took ${String(Math.round(unserved))} ms to serve`);

    // Lost: a request that ends without an answer. Only the one in flight when window one's server closed may be (the
    // client is sequential): its connection was cut (reset), where a request sent during the gap is refused and sent again.
    const lost = sent.filter((r) => r.tries.at(-1)?.outcome !== 'ok');
    const inFlight = lost.filter((r) => r.tries.length === 1 && r.tries[0] === firstFailure && /^(ECONNRESET|socket hang up)$/.test(r.tries[0]?.outcome ?? ''));
    assert.deepEqual(lost.filter((r) => !inFlight.includes(r)).map((r) => r.tries.map((t) => t.outcome)), [], 'every request not in flight at the close is answered');

    await two.screenshot('review-endpoint-two-windows-taken-over');
  });
});

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..', '..');
const source = (file: string): string => readFileSync(join(root, 'webview', file), 'utf8');

/**
 * The host posts what it holds for a page (Open Usage Dashboard's `navigate`, Ask about the selection's `seed`) as
 * soon as the page says `ready`. Each page's entry renders its root component and then says `ready`; the root must
 * subscribe in a layout effect, which preact runs inside render(), not in a plain effect run a frame later: a
 * dashboard opened from a background tab once stayed on the configuration list that way. No DOM in this tier, so the
 * order is read from the sources.
 */
describe("the webview pages' ready handshake", () => {
  for (const [entry, component, call] of [
    ['main.tsx', 'App.tsx', "send({ kind: 'ready'"],
    ['chat/main.tsx', 'chat/ChatApp.tsx', 'channel.ready()'],
  ] as const) {
    it(`${component} listens to the host before ${entry} says ready`, () => {
      const main = source(entry);
      const rendered = main.indexOf('render(');
      const ready = main.indexOf(call);
      assert.ok(rendered >= 0 && ready > rendered, `${entry} renders, then says ready`);
      const app = source(component);
      const subscription = /(useLayoutEffect|useEffect)\(\s*\(\)\s*=>\s*(?:channel\.)?rpc\.onNotification/.exec(app);
      assert.ok(subscription, `${component} subscribes to the host's notifications`);
      assert.equal(subscription[1], 'useLayoutEffect', `${component} subscribes in a layout effect, inside render()`);
    });
  }
});

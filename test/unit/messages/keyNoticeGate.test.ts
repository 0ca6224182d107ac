import * as assert from 'node:assert/strict';
import { keyNoticeGate, NoticeGate } from '../../../src/core/noticeGate';

/** A notice the test closes when it likes, as the user would (a choice, or undefined for dismissed). */
function notice(): { show: () => Promise<string | undefined>; close: (choice?: string) => void; shown: () => number } {
  let count = 0;
  let close: (choice?: string) => void = () => undefined;
  return {
    show: () => {
      count++;
      return new Promise<string | undefined>((resolve) => {
        close = resolve;
      });
    },
    close: (choice) => {
      close(choice);
    },
    shown: () => count,
  };
}

describe('the "keys cannot be opened" notice (NoticeGate)', () => {
  it('is shown once while it is open, however many paths meet the locked keys, and again after it was closed', async () => {
    const gate = new NoticeGate();
    const showKeyNotice = gate.show.bind(gate);
    const n = notice();
    const first = showKeyNotice(n.show);
    assert.equal(await showKeyNotice(n.show), undefined, 'a second path gets no notice while the first is open');
    assert.equal(n.shown(), 1);
    n.close('Start Over…');
    assert.equal(await first, 'Start Over…', 'the open notice answers its own caller');
    const again = showKeyNotice(n.show);
    assert.equal(n.shown(), 2, 'shown again once the first was closed');
    n.close();
    assert.equal(await again, undefined);
  });

  it('is not shown while a start-over is under way, and is shown after it', async () => {
    const gate = new NoticeGate();
    const showKeyNotice = gate.show.bind(gate);
    const n = notice();
    await gate.whileMuted(async () => {
      assert.equal(await showKeyNotice(n.show), undefined);
    });
    assert.equal(n.shown(), 0);
    const after = showKeyNotice(n.show);
    assert.equal(n.shown(), 1);
    n.close();
    await after;
  });

  it('is shown again after a start-over that failed', async () => {
    const gate = new NoticeGate();
    const showKeyNotice = gate.show.bind(gate);
    const n = notice();
    await assert.rejects(gate.whileMuted(() => Promise.reject(new Error('the keychain refused'))));
    const after = showKeyNotice(n.show);
    assert.equal(n.shown(), 1);
    n.close();
    await after;
  });

  it('is one gate for the whole extension host, even for a second copy of its module (the activation and commands bundles each carry one)', () => {
    const path = require.resolve('../../../src/core/noticeGate');
    const first = keyNoticeGate();
    const cached = require.cache[path];
    require.cache[path] = undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module, as a second bundle has
    const copy = require(path) as { NoticeGate: unknown; keyNoticeGate: () => NoticeGate };
    require.cache[path] = cached;
    assert.notEqual(copy.NoticeGate, NoticeGate, 'a second copy of the module');
    assert.equal(copy.keyNoticeGate(), first);
  });
});

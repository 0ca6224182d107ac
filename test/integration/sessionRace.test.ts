import * as assert from 'node:assert/strict';
import type { StoreSession } from '../../src/core/session';
import { testApi } from './api';

/** Whether a session's database is still open: a closed one refuses every read. */
function isOpen(session: StoreSession): boolean {
  try {
    session.store.read((r) => r.configurations.list(session.userId));
    return true;
  } catch {
    return false;
  }
}

describe('closing the store while it is still opening, in the real extension host', () => {
  it('leaves one session: the open that was under way closes what it opened and its caller gets the current session', async () => {
    const { services } = await testApi();
    await services.close();
    const seen: StoreSession[] = [];
    const watch = services.onSession((session) => seen.push(session));
    try {
      // A reopen (or a deactivate) that lands while an earlier open has not finished yet.
      const early = services.open();
      await services.close();
      const current = await services.open();
      const earlyAnswer = await early;
      assert.equal(services.current, current);
      assert.equal(earlyAnswer, current, 'the earlier caller works on the session that stays open');
      assert.ok(isOpen(current));
      for (const session of seen.filter((s) => s !== current)) assert.equal(isOpen(session), false, 'a session nobody holds was left open behind the current one');
      assert.equal(seen.at(-1), current, 'the views follow the session that stays open');
    } finally {
      watch.dispose();
    }
  });

  it('a close with no open after it (deactivate) leaves no session open but the one the views follow, and the caller under way gets no closed one', async () => {
    const { services } = await testApi();
    await services.close();
    const seen: StoreSession[] = [];
    const watch = services.onSession((session) => seen.push(session));
    try {
      const early: Promise<StoreSession | Error> = services.open().then((session) => session, (error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      await services.close();
      const outcome = await early;
      // The views of this window may open the store again meanwhile: then the caller gets that session.
      if (!(outcome instanceof Error)) {
        assert.equal(outcome, services.current);
        assert.ok(isOpen(outcome), 'the caller was handed a closed session');
      }
      for (const session of seen) if (session !== services.current) assert.equal(isOpen(session), false, 'a session nobody holds was left open');
    } finally {
      watch.dispose();
      await services.open();
    }
  });
});

import * as assert from 'node:assert/strict';
import { route, World, type Member } from './fixture';

const invalidKey = { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' };

describe('the router and an error event inside a 200 stream', function () {
  this.timeout(10_000);
  let world: World;
  let a: Member;
  let b: Member;
  let now: number;

  beforeEach(async () => {
    now = Date.parse('2026-11-27T12:00:00Z');
    world = new World({ now: () => now });
    a = await world.openai('a');
    b = await world.openai('b');
  });

  afterEach(async () => {
    await world.close();
  });

  it('a mid-stream invalid_api_key does not fall back (nor cool the member) unless the group falls back on auth errors', async () => {
    a.emulator.inject({ path: /chat\/completions/, streamError: invalidKey });
    const result = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(result.error?.kind, 'auth', result.error?.message);
    assert.equal(b.emulator.requests.length, 0, 'the next member was not tried');
    assert.equal(world.records.length, 1);
    assert.equal(world.records[0]?.errorCode, 'invalid_api_key');
    assert.match(world.records[0].reason ?? '', /does not fall back on auth errors/);

    // Not cooled down: the same member is asked first again.
    const again = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(again.answeredBy, 'a');

    a.emulator.inject({ path: /chat\/completions/, streamError: invalidKey });
    const allowed = await route(world.router, world.group('fallback', [a, b], { fallbackOnAuthError: true }));
    assert.equal(allowed.answeredBy, 'b');
  });

  it('a mid-stream server error moves on to the next member', async () => {
    a.emulator.inject({ path: /chat\/completions/, streamError: { message: 'The server had an error while processing your request.', type: 'server_error' } });
    const result = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(result.answeredBy, 'b');
  });
});

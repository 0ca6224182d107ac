import * as assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../../src/core/store';
import { hello, route, World, type Member } from './fixture';

const contextBodies = {
  openai: { error: { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } },
  anthropic: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 208310 tokens > 200000 maximum' } },
  gemini: { error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' } },
};

function summary(records: readonly RequestLogEntry[]): string[] {
  return records.map((r) => `${r.configurationId.replace('cfg-', '')} ${r.outcome} ${String(r.attempt)}`);
}

function tokens(records: readonly RequestLogEntry[]): number {
  return records.reduce((sum, r) => sum + (r.inputTokens ?? 0) + (r.outputTokens ?? 0), 0);
}

describe('the routing fault matrix', function () {
  this.timeout(10_000);
  let world: World;
  let a: Member;
  let b: Member;
  let now: number;

  beforeEach(async () => {
    now = Date.parse('2026-11-27T12:00:00Z');
    world = new World({ now: () => now, facts: (member) => Promise.resolve({ contextWindow: member.name === 'a' ? 128_000 : 1_000_000, prices: undefined, tools: true }) });
    a = await world.openai('a');
    b = await world.openai('b');
  });

  afterEach(async () => {
    await world.close();
  });

  /** The answering member's usage, as its own stream reported it, equals the tokens recorded: no double count. */
  async function movesOn(fault: Parameters<Member['emulator']['inject']>[0], times: number, code: RegExp, why: RegExp): Promise<void> {
    a.emulator.inject(fault, times);
    const group = world.group('fallback', [a, b]);
    const result = await route(world.router, group);
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.answeredBy, 'b');
    assert.deepEqual(result.notices.map((n) => `${n.member.name} ${n.kind}`), ['a selected', 'b selected']);
    assert.match(result.notices[1]?.reason ?? '', /moved on from a/);
    assert.deepEqual(summary(world.records), ['a error 1', 'b success 2']);
    const failed = world.records[0];
    const answered = world.records[1];
    assert.match(failed?.errorCode ?? '', code);
    assert.match(failed?.reason ?? '', why);
    // Exactly these rows: the group, the member, the attempt number, the outcome, and why the router moved on.
    assert.deepEqual(
      world.records.map((r) => ({ routeGroupId: r.routeGroupId, configurationId: r.configurationId, attempt: r.attempt, outcome: r.outcome })),
      [
        { routeGroupId: group, configurationId: 'cfg-a', attempt: 1, outcome: 'error' },
        { routeGroupId: group, configurationId: 'cfg-b', attempt: 2, outcome: 'success' },
      ],
    );
    assert.equal(world.records[1]?.errorCode, null);
    assert.match(world.records[1].reason ?? '', /^moved on from a \(gpt-4o-mini\): /);
    assert.equal(world.records[0]?.reason?.startsWith('moved on'), true);
    assert.equal(tokens(world.records.slice(0, 1)), 0, 'a failed attempt counts no tokens');
    const usage = result.events.find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage');
    assert.ok(answered);
    assert.equal(answered.inputTokens, usage.usage.input);
    assert.equal(answered.outputTokens, usage.usage.output);
    assert.equal(tokens(world.records), usage.usage.input + usage.usage.output);
  }

  it('a 429 with a Retry-After beyond the retry budget moves on at once and cools the member for that long', async () => {
    await movesOn({ status: 429, retryAfter: '30' }, 1, /rate_limit_exceeded/, /moved on: rate limited \(429 rate_limit_exceeded\), Retry-After 30 s/);
    assert.equal(a.emulator.requests.length, 1, 'no retry within the member: the wait is longer than the budget');
    assert.equal(world.router.isCoolingDown(a.member), true);
    await route(world.router, world.group('fallback', [a, b]));
    assert.equal(a.emulator.requests.length, 1, 'skipped while cooling down');
    now += 31_000;
    assert.equal((await route(world.router, world.group('fallback', [a, b]))).answeredBy, 'a', 'one probe after the wait, and it is back');
  });

  it('a 429 whose Retry-After fits the retry budget is waited out within the member: one row, no move', async () => {
    a.emulator.inject({ status: 429, retryAfter: '0' });
    const group = world.group('fallback', [a, b]);
    const result = await route(world.router, group);
    assert.equal(result.answeredBy, 'a');
    assert.equal(a.emulator.requests.length, 2, 'retried once within the member');
    assert.equal(b.emulator.requests.length, 0);
    assert.deepEqual(summary(world.records), ['a success 1']);
    assert.equal(world.router.isCoolingDown(a.member), false);
  });

  it('a 500 is not repeated within the member (the provider may have started it): it moves on with one row for the member', async () => {
    await movesOn({ status: 500 }, 1, /server_error|500|server/, /moved on: server error \(500/);
    assert.equal(a.emulator.requests.length, 1);
  });

  it('a 503 moves on', async () => {
    await movesOn({ status: 503 }, 2, /.+/, /moved on: server error \(503/);
  });

  it('a timeout (no headers) moves on', async () => {
    await movesOn({ stall: 'headers' }, 2, /TIMEOUT/, /moved on: .*timeout/);
  });

  it('a connection reset before any event moves on', async () => {
    await movesOn({ dropAfterEvents: 0 }, 2, /.+/, /moved on: .*(connection dropped|unexpected response)/);
  });

  it('a stall after the headers, before any text, moves on', async () => {
    await movesOn({ stall: 'body' }, 2, /TIMEOUT|timeout/, /moved on/);
  });

  it('a stream dropped after text fails clearly and is not restarted elsewhere', async () => {
    a.emulator.inject({ dropAfterEvents: 4 });
    const result = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(result.error?.kind, 'stream-interrupted');
    assert.match(result.error.message, /not restarted on another model/);
    assert.ok(result.text.length > 0, 'text had been shown');
    assert.equal(b.emulator.requests.length, 0);
    assert.deepEqual(summary(world.records), ['a error 1']);
    assert.match(world.records[0]?.reason ?? '', /stopped: failed after sending text/);
  });

  it('a stream dropped after text restarts on the next member with a visible notice when the group allows it', async () => {
    a.emulator.inject({ dropAfterEvents: 4 });
    const result = await route(world.router, world.group('fallback', [a, b], { restartStreamsWithNotice: true }));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.notices.map((n) => `${n.member.name} ${n.kind}`), ['a selected', 'b restarted']);
    assert.match(result.notices[1]?.reason ?? '', /text shown so far .* is replaced/);
    assert.deepEqual(summary(world.records), ['a error 1', 'b success 2']);
    assert.match(world.records[0]?.reason ?? '', /restarting on the next member with a notice/);
    assert.equal(tokens(world.records.slice(0, 1)), 0);
  });

  it('a 401 is not retried and does not fall back unless the group says so', async () => {
    a.emulator.inject({ status: 401 });
    const result = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(result.error?.kind, 'auth');
    assert.match(result.error.message, /does not fall back on key errors/);
    assert.equal(a.emulator.requests.length, 1);
    assert.equal(b.emulator.requests.length, 0);
    assert.deepEqual(summary(world.records), ['a error 1']);
    assert.match(world.records[0]?.errorCode ?? '', /invalid_api_key/);

    a.emulator.inject({ status: 401 });
    const allowed = await route(world.router, world.group('fallback', [a, b], { fallbackOnAuthError: true }));
    assert.equal(allowed.answeredBy, 'b');
    assert.deepEqual(summary(world.records.slice(1)), ['a error 1', 'b success 2']);
  });

  it('a 400 that is not about length fails without trying another member', async () => {
    a.emulator.inject({ status: 400 });
    const result = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(result.error?.kind, 'request');
    assert.equal(b.emulator.requests.length, 0);
    assert.match(world.records[0]?.reason ?? '', /stopped: the request was refused/);
  });

  for (const provider of ['openai', 'anthropic', 'gemini'] as const) {
    it(`${provider}'s context-length 400 moves to a member with a larger window`, async () => {
      const small = provider === 'openai' ? a : provider === 'anthropic' ? await world.anthropic('a2') : await world.gemini('a2');
      const tiny = await world.ollama('tiny');
      small.emulator.inject({ status: 400, body: contextBodies[provider] });
      const facts = { a: 128_000, a2: 128_000, tiny: 8_192, b: 1_000_000 } as Record<string, number>;
      world.build({ facts: (member) => Promise.resolve({ contextWindow: facts[member.name], prices: undefined, tools: true }) });
      const result = await route(world.router, world.group('fallback', [small, tiny, b]));
      assert.equal(result.answeredBy, 'b', result.error?.message);
      assert.equal(tiny.emulator.requests.length, 0, 'a smaller window is skipped');
      assert.match(result.notices[1]?.reason ?? '', /too long for its context window/);
      assert.match(world.records[0]?.reason ?? '', /moved on to a larger context window/);
    });
  }

  it('a member that keeps failing cools down, then gets one probe', async () => {
    a.emulator.inject({ status: 500 }, 3);
    const group = world.group('fallback', [a, b], { cooldownFailures: 3, cooldownWindowSeconds: 60, cooldownSeconds: 10 });
    for (let i = 0; i < 3; i++) assert.equal((await route(world.router, group)).answeredBy, 'b');
    assert.equal(world.router.isCoolingDown(a.member), true);
    assert.equal((await route(world.router, group)).answeredBy, 'b');
    assert.equal(a.emulator.requests.length, 3, 'not asked while out');
    now += 10_000;
    a.emulator.inject({ status: 500 });
    assert.equal((await route(world.router, group)).answeredBy, 'b', 'the probe failed');
    assert.equal(a.emulator.requests.length, 4);
    assert.equal((await route(world.router, group)).answeredBy, 'b', 'out again after a failed probe');
    assert.equal(a.emulator.requests.length, 4);
    now += 10_000;
    assert.equal((await route(world.router, group)).answeredBy, 'a', 'a good probe brings it back');
    assert.equal((await route(world.router, group)).answeredBy, 'a');
  });

  it('a caller that stops reading leaves one cancelled row and nothing in flight', async () => {
    const group = world.group('fallback', [a, b]);
    for await (const event of world.router.chat(group, hello)) if (event.type === 'text') break;
    assert.deepEqual(summary(world.records), ['a cancelled 1']);
    assert.equal(world.router.busy(a.member), 0);
  });
});

import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import { createProvider as createCompatible, CustomAPIConfig } from '../../../src/core/providers/openaiCompatible';
import { defaultSettings, Router, type RouteMember } from '../../../src/core/routing';
import type { RequestLogEntry } from '../../../src/core/store';
import { until } from '../../helpers/until';
import { hello, route, routingClient, World, type Member } from './fixture';

interface Recorded {
  readonly entry: RequestLogEntry;
  readonly produced: string | undefined;
}

function summary(records: readonly Recorded[]): string[] {
  return records.map(({ entry }) => `${entry.configurationId.replace('cfg-', '')} ${entry.outcome} ${String(entry.attempt)}`);
}

describe('the router facing members that misbehave mid-stream', function () {
  this.timeout(10_000);
  let world: World;
  let a: Member;
  let b: Member;
  let recorded: Recorded[];

  beforeEach(async () => {
    recorded = [];
    world = new World({ recordAttempt: (entry, _headers, unreported) => recorded.push({ entry, produced: unreported?.produced }) });
    a = await world.openai('a');
    b = await world.openai('b');
  });

  afterEach(async () => {
    await world.close();
  });

  it('a caller that stops reading mid-answer closes the upstream connection, leaves one cancelled row and nothing in flight', async () => {
    a.emulator.inject({ stallAfterEvents: 4 });
    const group = world.group('fallback', [a, b]);
    for await (const event of world.router.chat(group, hello)) if (event.type === 'text') break;
    await until('the member saw its connection closed', () => a.emulator.closedByClient.length > 0, 3_000);
    assert.deepEqual(summary(recorded), ['a cancelled 1']);
    assert.ok((recorded[0]?.produced ?? '').length > 0, 'what was shown is counted');
    assert.equal(world.router.busy(a.member), 0);
    assert.equal(b.emulator.requests.length, 0);
  });

  it('a caller that stops reading an endless stream closes the upstream connection', async () => {
    a.emulator.inject({ endless: true });
    const group = world.group('fallback', [a, b]);
    let texts = 0;
    for await (const event of world.router.chat(group, hello)) if (event.type === 'text' && ++texts > 50) break;
    await until('the member saw its connection closed', () => a.emulator.closedByClient.length > 0, 3_000);
    assert.deepEqual(summary(recorded), ['a cancelled 1']);
    assert.equal(world.router.busy(a.member), 0);
  });

  it('a caller that aborts mid-answer gets a cancelled error, the upstream connection is closed and no other member is asked', async () => {
    a.emulator.inject({ stallAfterEvents: 4 });
    const group = world.group('fallback', [a, b]);
    const controller = new AbortController();
    const events: string[] = [];
    let error: unknown;
    try {
      for await (const event of world.router.chat(group, hello, { signal: controller.signal })) {
        events.push(event.type);
        if (event.type === 'text') controller.abort();
      }
    } catch (caught) {
      error = caught;
    }
    assert.equal((error as { kind?: string } | undefined)?.kind, 'cancelled');
    await until('the member saw its connection closed', () => a.emulator.closedByClient.length > 0, 3_000);
    assert.deepEqual(summary(recorded), ['a cancelled 1']);
    assert.equal(b.emulator.requests.length, 0);
    assert.equal(world.router.busy(a.member), 0);
  });

  it('a member that fails after its first text is not followed by a second answer, and what it showed is counted', async () => {
    a.emulator.inject({ dropAfterEvents: 4 });
    const result = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(result.error?.kind, 'stream-interrupted');
    assert.deepEqual(result.notices.map((n) => `${n.member.name} ${n.kind}`), ['a selected']);
    assert.equal(b.emulator.requests.length, 0);
    assert.deepEqual(summary(recorded), ['a error 1']);
    // The provider billed the tokens it streamed before the drop; a row of 0 tokens lets a budget be overrun.
    assert.equal(recorded[0]?.produced, result.text);
  });

  it('a member that fails before its first event falls back to the next with one row per attempt', async () => {
    a.emulator.inject({ status: 503 }, 2);
    const result = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.answeredBy, 'b');
    assert.deepEqual(summary(recorded), ['a error 1', 'b success 2']);
    assert.equal(recorded[0]?.produced, undefined, 'a refusal counts no tokens');
  });
});

describe('the router and a member whose stream reports no usage', () => {
  let server: Server;
  let url: string;
  const http = routingClient();

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Many OpenAI-compatible servers ignore stream_options.include_usage: the answer ends without a usage chunk.
      res.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hello there, how can I help?' } }] })}\n\ndata: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/v1`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    await http.close();
  });

  it('has the answer it streamed counted, so that a budget sees it', async () => {
    const recorded: Recorded[] = [];
    const member: RouteMember = { configurationId: 'cfg-quiet', name: 'quiet', provider: 'openai-compatible', model: 'local-model', weight: 1 };
    const router = new Router({
      groups: { resolve: (id) => (id === 'g' ? { id, userId: 'u', name: 'quiet group', strategy: 'fallback', members: [member], settings: defaultSettings } : undefined) },
      targetOf: () => Promise.resolve({ adapter: createCompatible({ http }), target: { config: z.parse(CustomAPIConfig, { baseUrl: url, model: 'local-model' }), apiKey: 'sk-local-0123456789' } }),
      recordAttempt: (entry, _headers, unreported) => recorded.push({ entry, produced: unreported?.produced }),
    });
    const result = await route(router, 'g');
    assert.equal(result.text, 'Hello there, how can I help?');
    assert.deepEqual(summary(recorded), ['quiet success 1']);
    assert.equal(recorded[0]?.produced, result.text, 'the success without usage is counted with the local tokenizer');
  });
});

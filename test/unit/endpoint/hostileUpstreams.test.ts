import * as assert from 'node:assert/strict';
import { startEndpoint, type RunningEndpoint } from '../../../src/core/endpoint/EndpointServer';
import { until } from '../../helpers/until';
import { World, type Member } from '../routing/fixture';

const TOKEN = 'mm-client-token-hostile-upstreams';

/** The local endpoint with the real router in front of loopback emulators that can be told to misbehave. */
describe('the local endpoint in front of upstreams that misbehave', function () {
  this.timeout(10_000);
  let world: World;
  let a: Member;
  let b: Member;
  let endpoint: RunningEndpoint;
  let groupId: string;
  let restartingGroupId: string;

  beforeEach(async () => {
    world = new World();
    a = await world.openai('a');
    b = await world.openai('b');
    groupId = world.group('fallback', [a, b]);
    restartingGroupId = world.group('fallback', [a, b], { restartStreamsWithNotice: true });
    endpoint = await startEndpoint(
      {
        models: () => [
          { id: 'team', groupId, created: 1_700_000_000 },
          { id: 'restarting', groupId: restartingGroupId, created: 1_700_000_000 },
        ],
        chat: (group, request, options) => world.router.chat(group, request, { signal: options.signal }),
        authenticate: (token) => Promise.resolve(token === TOKEN ? { id: 'c1', name: 'test client', scope: 'chat' as const } : undefined),
        countTokens: () => Promise.resolve(1),
        maxBodyBytes: 1024 * 1024,
      },
      { port: 0 },
    );
  });

  afterEach(async () => {
    await endpoint.close();
    await world.close();
  });

  function post(api: 'openai' | 'anthropic', model: string, signal?: AbortSignal, stream = true): Promise<Response> {
    const body = { model, stream, max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] };
    const path = api === 'openai' ? '/v1/chat/completions' : '/v1/messages';
    const headers = api === 'openai' ? { authorization: `Bearer ${TOKEN}` } : { 'x-api-key': TOKEN, 'anthropic-version': '2023-06-01' };
    return fetch(`${endpoint.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
  }

  for (const api of ['openai', 'anthropic'] as const) {
    it(`never passes the member's key on to a client of the ${api} wire, whatever field the upstream echoes it in`, async () => {
      const key = a.target.target.apiKey ?? '';
      const echo = { message: `Incorrect API key provided: ${key}`, type: 'server_error', code: key, param: key };
      // Before the first event (an error body), and inside a 200 stream.
      a.emulator.inject({ status: 500, body: { error: echo } }, 2);
      b.emulator.inject({ streamError: echo }, 2);
      for (const text of [await (await post(api, 'team')).text(), await (await post(api, 'team')).text()]) {
        assert.ok(!text.includes(key), text);
        assert.ok(!text.includes(key.slice(3, 20)), text);
      }
    });

    it(`closes the member's connection when a client of the ${api} wire goes away mid-answer`, async () => {
      a.emulator.inject({ stallAfterEvents: 4 });
      const controller = new AbortController();
      const response = await post(api, 'team', controller.signal);
      const reader = response.body?.getReader();
      const first = await reader?.read();
      assert.ok(first && !first.done);
      controller.abort();
      await until('the member saw its connection closed', () => a.emulator.closedByClient.length > 0, 3_000);
      await until('the attempt was recorded as cancelled', () => world.records.some((r) => r.outcome === 'cancelled'), 3_000);
      assert.equal(world.router.busy(a.member), 0);
      assert.equal(b.emulator.requests.length, 0);
    });

    it(`never appends a second member's answer to text a client of the ${api} wire has already received`, async () => {
      a.emulator.inject({ dropAfterEvents: 4 });
      const text = await (await post(api, 'restarting')).text();
      const deltas = [...text.matchAll(/"(?:content|text)":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('');
      // The client cannot take back what it was sent: the answer ends with an error instead of a second one after it.
      assert.match(text, /error/);
      assert.equal(b.emulator.requests.length, 0, `b answered too: ${deltas}`);
    });
  }
});

import * as assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startEndpoint, type RunningEndpoint } from '../../../src/core/endpoint/EndpointServer';
import type { ChatEvent } from '../../../src/core/providers';
import { until } from '../../helpers/until';

const TOKEN = 'limits-token';

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

function post(port: number, host: string, path: string, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = httpRequest({ host, port, path, method: 'POST', agent: false, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
      res.on('end', () => {
        const retry = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof retry === 'string' ? retry : undefined, body: data });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

describe('the local endpoint limits each client and listens on both loopback addresses', function () {
  this.timeout(60_000);
  let endpoint: RunningEndpoint;
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));

  before(async () => {
    endpoint = await startEndpoint(
      {
        models: () => [{ id: 'slow', groupId: 'g', created: 0 }],
        authenticate: (token) => Promise.resolve(token === TOKEN ? { id: 'one-client', name: 'loop', scope: 'chat' as const } : undefined),
        async *chat(): AsyncGenerator<ChatEvent> {
          await gate;
          yield { type: 'text', text: 'done' };
          yield { type: 'finish', reason: 'stop', providerReason: 'stop' };
        },
        countTokens: () => Promise.resolve(1),
        limits: { concurrent: 8, perMinute: 150 },
      },
      { port: 0 },
    );
  });

  after(async () => {
    release();
    await endpoint.close();
  });

  it('200 concurrent requests from one client: 8 run, the rest get 429 with Retry-After in the API\'s own error shape, none a 5xx', async () => {
    const body = { model: 'slow', messages: [{ role: 'user', content: 'hi' }] };
    let back = 0;
    const all = Array.from({ length: 200 }, () => post(endpoint.port, '127.0.0.1', '/v1/chat/completions', body).then((answer) => {
      back++;
      return answer;
    }));
    // The admitted eight wait at the gate until every other answer is back, however slowly the machine sends them.
    await until('the 192 refusals', () => back === 192, 30_000);
    release();
    const answers = await Promise.all(all);
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    assert.equal(byStatus.get(200), 8, JSON.stringify([...byStatus]));
    assert.equal(byStatus.get(429), 192);
    const refused = answers.find((a) => a.status === 429);
    assert.ok(refused);
    assert.equal(refused.retryAfter, '1');
    assert.match((JSON.parse(refused.body) as { error: { message: string } }).error.message, /already has 8 requests in progress/);
    gate = Promise.resolve();
  });

  it('past the per-minute limit a client is told how long to wait, in seconds', async () => {
    // 8 admitted above; 142 more fill the minute's 150.
    for (let i = 0; i < 142; i++) assert.equal((await post(endpoint.port, '127.0.0.1', '/v1/messages/count_tokens', { model: 'slow', messages: [{ role: 'user', content: 'hi' }] })).status, 200);
    const refused = await post(endpoint.port, '127.0.0.1', '/v1/messages/count_tokens', { model: 'slow', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(refused.status, 429);
    assert.equal((JSON.parse(refused.body) as { type: string }).type, 'error', 'Anthropic\'s error shape on an Anthropic path');
    assert.ok(Number(refused.retryAfter) >= 1 && Number(refused.retryAfter) <= 60, String(refused.retryAfter));
  });

  it('answers on ::1 as on 127.0.0.1, on the same port, and on no other address', async function () {
    const { networkInterfaces } = await import('node:os');
    const v6 = Object.values(networkInterfaces()).flat().some((i) => i?.address === '::1');
    if (!v6) this.skip();
    const answer = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '::1', port: endpoint.port, path: '/v1/models', headers: { host: `[::1]:${String(endpoint.port)}`, authorization: 'Bearer nope' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(answer, 401, 'the ::1 listener answers (and asks for a token)');
    const external = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
    if (external) {
      const refused = await new Promise<string>((resolve) => {
        const req = httpRequest({ host: external.address, port: endpoint.port, path: '/v1/models' }, () => {
          resolve('answered');
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          resolve(error.code ?? 'error');
        });
        req.end();
      });
      assert.equal(refused, 'ECONNREFUSED');
    }
  });
});

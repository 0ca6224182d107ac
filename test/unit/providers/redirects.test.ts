import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import type { HttpClient } from '../../../src/core/http';
import { createProvider, OpenAIConfig } from '../../../src/core/providers/openai';
import { collectChat, hello, rejectsWith, testClient } from './harness';

const KEY = 'sk-redirect-canary-4b1e9d7c2a6f8e03';

async function listen(handler: (req: IncomingMessage) => { status: number; headers: Record<string, string>; body: string }): Promise<{ server: Server; url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const reply = handler(req);
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, seen };
}

describe('a server that answers with a redirect', () => {
  let http: HttpClient;
  let elsewhere: Awaited<ReturnType<typeof listen>>;
  let redirecting: Awaited<ReturnType<typeof listen>>;

  beforeEach(async () => {
    http = testClient();
    elsewhere = await listen(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"data":[]}' }));
    redirecting = await listen((req) => ({
      status: 302,
      // The target carries the key in its query, as a hostile server might, to see whether it is shown.
      headers: { location: `${elsewhere.url}/collect${req.url ?? ''}?key=${KEY}&token=${KEY}`, 'content-type': 'text/html' },
      body: '<html><body>Found</body></html>',
    }));
  });

  afterEach(async () => {
    await http.close();
    for (const s of [elsewhere, redirecting]) await new Promise((resolve) => s.server.close(resolve));
  });

  it('is reported as a redirect to the (redacted) address, with the key not sent there', async () => {
    const openai = createProvider({ http });
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${redirecting.url}/v1`, model: 'gpt-4o-mini' }), apiKey: KEY };

    const chat = await rejectsWith(collectChat(openai, target, hello), 'redirect');
    assert.equal(chat.status, 302);
    assert.match(chat.message, /redirected the request \(302\) to http:\/\/127\.0\.0\.1:\d+\/collect\/v1\/chat\/completions\b/);
    assert.match(chat.message, /the key was not sent there/);
    assert.match(chat.hint, /^Check the base URL, and use http:\/\/127\.0\.0\.1:\d+\/collect\S* only if you trust it\.$/);
    assert.doesNotMatch(`${chat.message} ${chat.hint}`, /refused the request|check the parameters/);

    const test = await openai.testConnection(target, { retry: false });
    assert.equal(test.ok, false);
    assert.equal(test.failure?.kind, 'redirect');
    assert.match(test.failure.message, /redirected the request \(302\).*key was not sent there/);
    assert.match(test.hint, /only if you trust it/);

    for (const text of [chat.message, chat.hint, JSON.stringify(test)]) assert.equal(text.includes(KEY), false, 'the redirect target is shown without its query');
    assert.ok(redirecting.seen.length >= 2);
    assert.equal(elsewhere.seen.length, 0, 'the redirect was not followed');
  });
});

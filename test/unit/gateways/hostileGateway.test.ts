import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { InMemoryKeySource } from '../../../src/core/crypto';
import { configurationGroupId } from '../../../src/core/routing';
import { openSession, type OpenSession } from '../../../src/core/session';
import { capturingLogger, repoRoot, tempFolder, wasmPath } from '../store/helpers';

/** The gateway's virtual key (sent as Authorization), Portkey's own key and a provider key inside its config: none may come back out. */
const VIRTUAL_KEY = 'sk-canary-Zq9vk0c4e8a2f6b1d5c9e3a7f1b5d9';
const PORTKEY_KEY = 'pkCanaryZq9Hm4Tw8Rb2Xn6Lp1Vd5Gs9Jc3';
const CONFIG_KEY = 'ant-canaryZq9Qe7Uy3Io5Pa1Sd8Fg2Hj6Kl';
const PORTKEY_CONFIG = JSON.stringify({ strategy: { mode: 'fallback' }, targets: [{ provider: 'anthropic', api_key: CONFIG_KEY }] });

type Mode = 'message' | 'code' | 'text' | 'portkey' | 'budget' | 'encoded' | 'redirect' | 'mid-stream' | 'responses';

/** A gateway that repeats every request header it got in whatever part of its error answer a mode names. */
function hostileGateway(mode: () => Mode): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const echoed = JSON.stringify(req.headers);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const listing = (req.url ?? '').endsWith('/models');
    const current = mode();
    if (listing && (current === 'mid-stream' || current === 'responses')) {
      json(200, { object: 'list', data: [{ id: 'team-model', object: 'model', created: 0, owned_by: 'gateway' }] });
      return;
    }
    switch (current) {
      case 'message':
        json(401, { error: { message: `Invalid key. Your request: ${echoed}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      case 'code':
        json(400, { error: { message: 'bad', code: req.headers['x-portkey-api-key'], param: req.headers.authorization, type: req.headers['x-portkey-config'] } });
        return;
      case 'text':
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n'));
        return;
      case 'portkey':
        json(400, { status: 'failure', message: `Invalid config passed: ${String(req.headers['x-portkey-config'])} (key ${String(req.headers['x-portkey-api-key'])})` });
        return;
      case 'budget':
        json(400, { error: { type: 'budget_exceeded', message: `Budget has been exceeded! Key=${String(req.headers.authorization)} Current cost: 1.2` } });
        return;
      case 'encoded':
        json(403, { error: { message: `forbidden ${Buffer.from(echoed).toString('base64')} ${encodeURIComponent(echoed)} ${echoed.toUpperCase()}` } });
        return;
      case 'redirect':
        res.writeHead(307, { location: `http://gateway.example/login?key=${String(req.headers['x-portkey-api-key'])}&next=${encodeURIComponent(echoed)}` });
        res.end();
        return;
      case 'mid-stream':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'Hi' } }] })}\n\n`);
        res.end(`data: ${JSON.stringify({ error: { message: `upstream refused ${echoed}`, code: req.headers['x-portkey-api-key'] } })}\n\n`);
        return;
      case 'responses':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify({ type: 'response.failed', response: { error: { message: `failed for ${echoed}`, code: req.headers.authorization } } })}\n\n`);
        return;
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => { resolve(server); }));
}

/**
 * A team gateway (Portkey preset: its own key and config in headers, a virtual key as the API key) that echoes the
 * request's headers into its errors: connection tests and chats through the router show, log and record what it says,
 * and none of it may carry a key.
 */
describe('a hostile team gateway that echoes the request headers in its errors', () => {
  let folder: ReturnType<typeof tempFolder>;
  let gateway: Server;
  let opened: OpenSession;
  let mode: Mode = 'message';
  // Moved on a minute before each connection test: five tests a minute are allowed per configuration.
  let clock = Date.parse('2026-11-27T12:00:00Z');
  const logger = capturingLogger();

  before(async () => {
    folder = tempFolder();
    gateway = await hostileGateway(() => mode);
    const result = await openSession({
      databasePath: join(folder.path, 'model-manager.sqlite'),
      wasmPath,
      catalogPath: join(repoRoot, 'dist', 'model-catalog.json'),
      logger,
      now: () => new Date(clock),
      settings: { requestTimeoutSeconds: 30, usageRetentionDays: 90, healthCheckIntervalMinutes: 0 },
      keychain: new InMemoryKeySource(),
      passphraseKey: () => Promise.reject(new Error('no passphrase record exists')),
    });
    if (!result.ok) throw new Error(result.problem.message);
    opened = result;
  });

  after(async () => {
    try {
      await opened.close();
      await new Promise((resolve) => gateway.close(resolve));
    } finally {
      folder.remove();
    }
  });

  it('shows, logs and records the gateway\'s refusals without the virtual key, the Portkey key or the provider key in its config', async function () {
    this.timeout(60_000);
    const { session } = opened;
    const url = `http://127.0.0.1:${String((gateway.address() as AddressInfo).port)}/v1`;
    const created = await session.configurations.createConfiguration({
      name: 'Team Portkey',
      provider: 'openai-compatible',
      settings: { preset: 'portkey', baseUrl: url, model: 'team-model', headers: { 'x-portkey-api-key': PORTKEY_KEY, 'x-portkey-config': PORTKEY_CONFIG } },
      apiKey: VIRTUAL_KEY,
    });
    // OpenAI's own adapter behind the same gateway, on a model it asks on the Responses API.
    const codex = await session.configurations.createConfiguration({ name: 'Team Codex', provider: 'openai', settings: { baseUrl: url, model: 'gpt-5.1-codex-max' }, apiKey: VIRTUAL_KEY });
    const shown: string[] = [];
    const modes: Mode[] = ['message', 'code', 'text', 'portkey', 'budget', 'encoded', 'redirect', 'mid-stream', 'responses'];
    for (const m of modes) {
      mode = m;
      for (const id of [created.id, codex.id]) {
        clock += 61_000;
        shown.push(JSON.stringify(await session.providerAccess.testConfiguration(id)));
        for (const stream of [true, false]) {
          try {
            for await (const event of session.router.chat(configurationGroupId(id), { messages: [{ role: 'user', content: 'hi' }], stream })) shown.push(JSON.stringify(event));
          } catch (error) {
            shown.push(error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : String(error));
          }
        }
      }
    }
    await session.usage.settled();
    assert.ok(shown.some((s) => s.includes('gateway.example')), 'the redirect was reported');
    assert.ok(shown.some((s) => s.includes('x-portkey-config') && s.includes('[redacted]')), 'the echoed headers reached what the user is shown');
    const places: Record<string, string> = {
      'what the user is shown': shown.join('\n'),
      log: logger.lines.join('\n'),
      'audit log': JSON.stringify(session.configurations.auditLog(1000)),
      'database file': readFileSync(join(folder.path, 'model-manager.sqlite')).toString('latin1'),
    };
    for (const [place, text] of Object.entries(places)) {
      for (const key of [VIRTUAL_KEY, PORTKEY_KEY, CONFIG_KEY]) {
        for (const part of [key, key.slice(0, 12), key.slice(12, 24), key.slice(-12)]) assert.ok(!text.includes(part), `${place} holds part of a key (${part}):\n${text.slice(0, 3000)}`);
      }
    }
  });
});

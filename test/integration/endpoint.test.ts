import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import * as vscode from 'vscode';
import type { EndpointStatus } from '../../src/core/endpoint';
import type { AIConfiguration, RouteGroup } from '../../src/core/store';
import { startAnthropicEmulator, startOpenAIEmulator, type AnthropicEmulator, type Emulator, type OpenAIEmulator } from '../emulators';
import { canaryForms } from '../host/canaryScan';
import { runsRoot } from '../host/paths';
import { until } from '../helpers/until';
import { testApi } from './api';
import { pick, press, type, withAnswers } from './prompts';
import { treeItems } from './tree';

const OPENAI_KEY = 'sk-canary-endpoint-openai-5f1c';
const ANTHROPIC_KEY = 'sk-canary-endpoint-anthropic-9b2e';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function raw(port: number, method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers: { ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
      });
    });
    // A server that refuses a large body may close the socket while it is still being sent.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve({ status: -1, headers: {}, body: error.code });
      else reject(error);
    });
    req.end(body);
  });
}

function* filesBelow(folder: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* filesBelow(path);
    else if (entry.isFile()) yield path;
  }
}

describe('the local endpoint in VS Code: started from its command, used by the official SDKs', function () {
  this.timeout(120_000);
  let openaiUpstream: OpenAIEmulator;
  let anthropicUpstream: AnthropicEmulator;
  let gpt: AIConfiguration;
  let claude: AIConfiguration;
  let team: RouteGroup;
  let token = '';
  let port = 0;
  let url = '';
  // Files this run wrote are those modified after this marker (file times, not the test's clock).
  const marker = join(tmpdir(), `mm-endpoint-marker-${String(process.pid)}`);
  writeFileSync(marker, '');
  const startedAt = statSync(marker).mtimeMs;

  const openai = (key = token): OpenAI => new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 });
  const anthropic = (key = token): Anthropic => new Anthropic({ apiKey: key, baseURL: url, maxRetries: 0 });

  before(async () => {
    openaiUpstream = await startOpenAIEmulator({ apiKey: OPENAI_KEY });
    anthropicUpstream = await startAnthropicEmulator({ apiKey: ANTHROPIC_KEY });
    const { services } = await testApi();
    const session = await services.open();
    for (const g of session.routeGroups.list()) await session.routeGroups.delete(g.id);
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
    gpt = await session.configurations.createConfiguration({ name: 'Endpoint GPT', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openaiUpstream.url}/v1` }, apiKey: OPENAI_KEY });
    claude = await session.configurations.createConfiguration({ name: 'Endpoint Claude', provider: 'anthropic', settings: { model: 'claude-haiku-4-5-20251001', baseUrl: anthropicUpstream.url }, apiKey: ANTHROPIC_KEY });
    team = await session.routeGroups.create({ name: 'Endpoint Team', strategy: 'fallback', members: [{ configurationId: gpt.id }, { configurationId: claude.id }] });
    // A free port for this run: the setting is the user's (application scope), so the test sets it as the user would.
    const probe = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => {
          resolve(free);
        });
      });
    });
    await vscode.workspace.getConfiguration('modelManager.endpoint').update('port', probe, vscode.ConfigurationTarget.Global);
    port = probe;
  });

  after(async () => {
    await vscode.commands.executeCommand('modelManager.stopEndpoint');
    await vscode.workspace.getConfiguration('modelManager.endpoint').update('port', undefined, vscode.ConfigurationTarget.Global);
    const { services } = await testApi();
    const session = await services.open();
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
    for (const g of session.routeGroups.list()) await session.routeGroups.delete(g.id);
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
    await openaiUpstream.close();
    await anthropicUpstream.close();
  });

  it('creates a client token from its command, shown once with a Copy button that puts it on the clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    const client = await withAnswers([type('terminal'), pick('Chat'), press('Copy')], (script) => vscode.commands.executeCommand<{ id: string; name: string; scope: string }>('modelManager.createClientToken').then((result) => {
      const shown = script.asked.find((a) => a.kind === 'message');
      assert.ok(shown?.kind === 'message' && shown.options.modal === true, 'the token is shown in a modal message');
      return result;
    }));
    assert.equal(client.name, 'terminal');
    assert.equal(client.scope, 'chat');
    assert.equal(JSON.stringify(client).includes('mmct_'), false, 'the command returns the client, not its token');
    token = await vscode.env.clipboard.readText();
    assert.match(token, /^mmct_[A-Za-z0-9_-]{43}$/);
  });

  it('starts from Start Local Endpoint on the port of its setting, says this window serves it, and lists every configuration and route group by its slug', async () => {
    const status = await withAnswers([() => undefined], () => vscode.commands.executeCommand<EndpointStatus>('modelManager.startEndpoint'));
    assert.equal(status.servingHere, true);
    assert.equal(status.holder?.url, `http://127.0.0.1:${String(port)}`);
    url = status.holder.url;
    const models = await openai().models.list();
    assert.deepEqual(models.data.map((m) => m.id).sort(), ['endpoint-claude', 'endpoint-gpt', 'endpoint-team']);
  });

  it('answers the OpenAI SDK, streamed (usage in the last chunk) and not, and with tools', async () => {
    const plain = await openai().chat.completions.create({ model: 'endpoint-gpt', messages: [{ role: 'user', content: 'Say hello' }] });
    assert.ok((plain.choices[0]?.message.content ?? '').length > 0);
    assert.ok((plain.usage?.completion_tokens ?? 0) > 0);
    const stream = await openai().chat.completions.create({ model: 'endpoint-gpt', messages: [{ role: 'user', content: 'Say hello' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(text.length > 0);
    assert.ok((usage?.prompt_tokens ?? 0) > 0);
    openaiUpstream.use('tool-calls');
    try {
      const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
      const final = await openai().chat.completions.stream({ model: 'endpoint-gpt', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools }).finalChatCompletion();
      assert.equal(final.choices[0]?.finish_reason, 'tool_calls');
      assert.ok(final.choices[0].message.tool_calls?.[0]);
    } finally {
      openaiUpstream.use('text');
    }
  });

  it('answers the Anthropic SDK, streamed and not, from the Anthropic configuration and from the OpenAI one', async () => {
    const plain = await anthropic().messages.create({ model: 'endpoint-claude', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello' }] });
    assert.equal(plain.content[0]?.type, 'text');
    const streamed = await anthropic().messages.stream({ model: 'endpoint-gpt', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello' }] }).finalMessage();
    assert.equal(streamed.content[0]?.type, 'text');
    assert.ok(streamed.usage.output_tokens > 0);
    const counted = await anthropic().messages.countTokens({ model: 'endpoint-claude', messages: [{ role: 'user', content: 'Say hello' }] });
    assert.ok(counted.input_tokens > 0);
  });

  it('records each request with its client: the usage rows name it and Show Usage splits by client', async () => {
    const { services } = await testApi();
    const session = await services.open();
    await session.store.flush();
    const rows = session.store.read((r) => r.requestLog.byClient(session.userId, new Date(0).toISOString(), gpt.id));
    const mine = rows.find((row) => row.clientId !== null);
    assert.ok(mine && mine.requests >= 4, JSON.stringify(rows));
    const shown = await withAnswers([() => undefined], (script) => vscode.commands.executeCommand('modelManager.showUsage', gpt.id).then(() => script.asked[0]));
    assert.ok(shown?.kind === 'message');
    assert.match(shown.message, /Requests by client: .*terminal \d+/);
  });

  it('refuses a wrong token with 401 in each SDK\'s error, and an unknown model with 404', async () => {
    await assert.rejects(openai('mmct_wrong').models.list(), (error: unknown) => error instanceof OpenAI.AuthenticationError);
    await assert.rejects(anthropic('mmct_wrong').messages.create({ model: 'endpoint-claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof Anthropic.AuthenticationError);
    await assert.rejects(openai().chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.NotFoundError && error.message.includes('no-such-model'));
  });

  it('falls back inside a route group when the first member answers 500, and the client sees only the answer', async () => {
    openaiUpstream.inject({ status: 500 });
    const answer = await openai().chat.completions.create({ model: 'endpoint-team', messages: [{ role: 'user', content: 'Say hello' }] });
    assert.ok((answer.choices[0]?.message.content ?? '').length > 0);
    const { services } = await testApi();
    const session = await services.open();
    await session.store.flush();
    const attempts = session.store.read((r) => r.requestLog.forRouteGroup(session.userId, team.id, 2));
    assert.deepEqual(attempts.map((a) => [a.configurationId, a.outcome]), [[gpt.id, 'error'], [claude.id, 'success']]);
  });

  it('cancels the upstream request when the client aborts mid-stream', async () => {
    openaiUpstream.inject({ endless: true });
    const closedBefore = openaiUpstream.closedByClient.length;
    const controller = new AbortController();
    const stream = await openai().chat.completions.create({ model: 'endpoint-gpt', messages: [{ role: 'user', content: 'Count forever' }], stream: true }, { signal: controller.signal });
    let chunks = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) chunks++;
      if (chunks === 1) controller.abort();
    }
    await until('the upstream stream to be cancelled', () => openaiUpstream.closedByClient.slice(closedBefore).some((p) => p.endsWith('/chat/completions')));
  });

  /** Sends a request with its own connection and goes away once the emulator has the upstream request, as a killed client does. */
  async function goAwayOnceUpstream(emulator: Emulator, upstreamPath: string, path: string, body: unknown): Promise<void> {
    const before = emulator.requests.length;
    const text = JSON.stringify(body);
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } });
    req.on('error', () => undefined);
    req.end(text);
    await until('the upstream request', () => emulator.requests.slice(before).some((r) => r.path === upstreamPath));
    req.destroy();
  }

  it('cancels the upstream count when the client goes away during /v1/messages/count_tokens', async () => {
    // The provider's answer trickles: half of it, then nothing until the client is gone.
    anthropicUpstream.inject({ path: /count_tokens/, stall: 'body' });
    const closedBefore = anthropicUpstream.closedByClient.length;
    await goAwayOnceUpstream(anthropicUpstream, '/v1/messages/count_tokens', '/v1/messages/count_tokens', { model: 'endpoint-claude', messages: [{ role: 'user', content: 'Count me' }] });
    await until('the upstream count to be cancelled', () => anthropicUpstream.closedByClient.slice(closedBefore).includes('/v1/messages/count_tokens'), 15_000);
  });

  for (const { api, path, model, stream } of [
    { api: 'OpenAI', path: '/v1/chat/completions', model: 'endpoint-gpt', stream: false },
    { api: 'Anthropic', path: '/v1/messages', model: 'endpoint-claude', stream: false },
    { api: 'Anthropic', path: '/v1/messages', model: 'endpoint-claude', stream: true },
  ] as const) {
    it(`cancels the upstream request when the client goes away during a ${stream ? 'streamed' : 'non-streamed'} ${api} request, and records it as cancelled for its client`, async () => {
      const upstream = model === 'endpoint-gpt' ? openaiUpstream : anthropicUpstream;
      const configuration = model === 'endpoint-gpt' ? gpt : claude;
      const upstreamPath = model === 'endpoint-gpt' ? '/v1/chat/completions' : '/v1/messages';
      // A trickling provider: the stream stops after its first events, a JSON answer after half its body.
      upstream.inject(stream ? { path: /\/messages$/, stallAfterEvents: 3 } : { path: /completions$|\/messages$/, stall: 'body' });
      const closedBefore = upstream.closedByClient.length;
      const { services } = await testApi();
      const session = await services.open();
      const clientId = session.store.read((r) => r.clients.list(session.userId)).find((c) => c.name === 'terminal')?.id;
      const cancelledBefore = session.store.read((r) => r.requestLog.byClient(session.userId, new Date(0).toISOString(), configuration.id)).find((u) => u.clientId === clientId)?.requests ?? 0;
      await goAwayOnceUpstream(upstream, upstreamPath, path, { model, max_tokens: 64, stream, messages: [{ role: 'user', content: 'Take your time' }] });
      await until('the upstream request to be cancelled', () => upstream.closedByClient.slice(closedBefore).includes(upstreamPath), 15_000);
      await until('the cancelled attempt to be recorded for the client', async () => {
        await session.store.flush();
        const rows = session.store.read((r) => r.requestLog.byClient(session.userId, new Date(0).toISOString(), configuration.id));
        return (rows.find((u) => u.clientId === clientId)?.requests ?? 0) > cancelledBefore;
      });
    });
  }

  it('stops at a used-up hard-stop budget with 429 and the budget\'s own message', async () => {
    const { services } = await testApi();
    const session = await services.open();
    await session.budgets.saveBudget({ name: 'Endpoint cap', period: 'month', limitTokens: 1, hardStop: true, configurationId: claude.id });
    await anthropic().messages.create({ model: 'endpoint-claude', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello' }] }).catch(() => undefined);
    await session.usage.settled();
    const refusal = await until('the budget to refuse', async () => {
      try {
        await anthropic().messages.create({ model: 'endpoint-claude', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello' }] });
        return false;
      } catch (error) {
        return error instanceof Anthropic.RateLimitError ? error : false;
      }
    });
    assert.equal(refusal.status, 429);
    assert.match(refusal.message, /Endpoint cap/);
  });

  it('a budget set for one client from Set Budget stops that client with 429 and its message, while another client goes on', async () => {
    await vscode.env.clipboard.writeText('');
    await withAnswers([type('budget other'), pick('Chat'), press('Copy')], () => vscode.commands.executeCommand('modelManager.createClientToken'));
    const other = await vscode.env.clipboard.readText();
    assert.match(other, /^mmct_/);
    // The terminal client has sent requests to every model this month: a 1-token cap is used up at once.
    const budget = await withAnswers([pick('Client "terminal"'), pick('Monthly'), type(''), type('1'), pick('Warn, then stop at 100 %')], () => vscode.commands.executeCommand<{ clientId: string | null; configurationId: string | null }>('modelManager.setBudget'));
    const { services } = await testApi();
    const session = await services.open();
    const terminal = session.store.read((r) => r.clients.list(session.userId)).find((c) => c.name === 'terminal');
    assert.deepEqual({ clientId: budget.clientId, configurationId: budget.configurationId }, { clientId: terminal?.id, configurationId: null });
    try {
      const refusal = await openai().chat.completions.create({ model: 'endpoint-gpt', messages: [{ role: 'user', content: 'Say hello' }] }).then(() => undefined, (error: unknown) => error);
      assert.ok(refusal instanceof OpenAI.RateLimitError, `the terminal client is refused with 429 (got ${String(refusal)})`);
      assert.match(refusal.message, /"Endpoint GPT" for the client "terminal" is paused: the monthly budget "Client "terminal" · Monthly" is used up/);
      const answer = await openai(other).chat.completions.create({ model: 'endpoint-gpt', messages: [{ role: 'user', content: 'Say hello' }] });
      assert.ok(answer.choices[0]?.message.content, 'another client is answered');
    } finally {
      for (const b of session.budgets.listBudgets().filter((b) => b.clientId !== null)) await session.budgets.deleteBudget(b.id);
    }
  });

  it('refuses a foreign Host, a browser Origin and a 50 MB body, and holds 200 concurrent requests of one client to its limit with Retry-After', async () => {
    const auth = { authorization: `Bearer ${token}` };
    assert.equal((await raw(port, 'GET', '/v1/models', undefined, { ...auth, host: `evil.example:${String(port)}` })).status, 421);
    assert.equal((await raw(port, 'GET', '/v1/models', undefined, { ...auth, origin: 'https://evil.example' })).status, 403);
    const wrong = await raw(port, 'GET', '/v1/models', undefined, { authorization: 'Bearer mmct_not-a-token' });
    assert.equal(wrong.status, 401);
    const big = await raw(port, 'POST', '/v1/chat/completions', JSON.stringify({ model: 'endpoint-gpt', messages: [{ role: 'user', content: 'x'.repeat(50 * 1024 * 1024) }] }), { ...auth, 'content-type': 'application/json' });
    assert.ok(big.status === 413 || big.status === -1, `a 50 MB body is refused (got ${String(big.status)})`);
    for (const reply of [big, wrong]) assert.equal(reply.headers['access-control-allow-origin'], undefined, 'no CORS headers');

    openaiUpstream.inject({ delayMs: 1_000 }, 200);
    const body = JSON.stringify({ model: 'endpoint-gpt', messages: [{ role: 'user', content: 'hi' }] });
    const replies = await Promise.all(Array.from({ length: 200 }, () => raw(port, 'POST', '/v1/chat/completions', body, { ...auth, 'content-type': 'application/json' })));
    const statuses = replies.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 200 || s === 429), `only answers and 429s: ${JSON.stringify([...new Set(statuses)])}`);
    const refused = replies.filter((r) => r.status === 429);
    assert.ok(refused.length > 0, 'one client cannot run 200 requests at once');
    assert.ok(refused.every((r) => Number(r.headers['retry-after']) >= 1));
    assert.ok(statuses.filter((s) => s === 200).length >= 1);
  });

  it('shows the endpoint in the tree with its address and clients, revokes a token from its command, and writes start and token events to the audit log without the token', async () => {
    const items = await treeItems();
    const section = items.find(({ node }) => node.kind === 'endpoint');
    assert.equal(section?.item.label, 'Local Endpoint');
    const state = items.find(({ node }) => node.kind === 'endpointState')?.item;
    assert.equal(state?.label, url);
    assert.equal(state.description, 'served by this window');
    const clientItem = items.find(({ node }) => node.kind === 'endpointClient')?.item;
    assert.equal(clientItem?.label, 'terminal');

    const { services } = await testApi();
    const session = await services.open();
    const id = session.store.read((r) => r.clients.list(session.userId)).find((c) => c.name === 'terminal')?.id;
    assert.equal(await withAnswers([press('Revoke')], () => vscode.commands.executeCommand('modelManager.revokeClientToken', { id })), true);
    await assert.rejects(openai().models.list(), (error: unknown) => error instanceof OpenAI.AuthenticationError);

    const audit = session.store.read((r) => r.audit.list(session.userId, 500));
    const actions = new Set(audit.map((e) => e.action));
    for (const action of ['endpoint.started', 'endpoint.clientCreated', 'endpoint.clientRevoked']) assert.ok(actions.has(action), `${action} in the audit log`);
    assert.equal(JSON.stringify(audit).includes(token), false);
  });

  it('stops from Stop Local Endpoint: the port closes and the stop is in the audit log', async () => {
    const status = await withAnswers([() => undefined], () => vscode.commands.executeCommand<EndpointStatus>('modelManager.stopEndpoint'));
    assert.deepEqual({ wanted: status.wanted, holder: status.holder }, { wanted: false, holder: undefined });
    await assert.rejects(fetch(`${url}/v1/models`));
    const { services } = await testApi();
    const session = await services.open();
    assert.ok(session.store.read((r) => r.audit.list(session.userId, 50)).some((e) => e.action === 'endpoint.stopped'));
  });

  it('copies the setup lines with a new token to the clipboard only: the command returns them without the token', async () => {
    await vscode.env.clipboard.writeText('');
    const result = await withAnswers([pick(/Create a client token/), type('setup terminal'), pick('Chat')], () => vscode.commands.executeCommand('modelManager.copyEndpointSetup'));
    assert.match(await vscode.env.clipboard.readText(), /mmct_[A-Za-z0-9_-]{43}/);
    assert.equal(typeof result, 'string');
    assert.equal(JSON.stringify(result).includes('mmct_'), false, 'the caller of the command never gets the token');
  });

  it('leaves neither the client token nor a provider key in any file or log the run wrote', async () => {
    const { services } = await testApi();
    await (await services.open()).store.flush();
    const needles = [...canaryForms(token), ...canaryForms(OPENAI_KEY), ...canaryForms(ANTHROPIC_KEY)];
    const hits: string[] = [];
    let scanned = 0;
    for (const file of filesBelow(runsRoot)) {
      if (statSync(file).mtimeMs < startedAt - 1_000) continue;
      scanned++;
      const bytes = readFileSync(file);
      for (const needle of needles) if (bytes.includes(needle.needle)) hits.push(`${file} (${needle.name})`);
    }
    assert.ok(scanned > 0, 'the scan read the run\'s files');
    assert.deepEqual(hits, []);
  });
});

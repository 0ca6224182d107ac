import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPortkeyConfig } from '../../../src/core/gateways';
import { startAnthropicEmulator, startOpenAIEmulator, type AnthropicEmulator, type OpenAIEmulator } from '../../emulators';
import { until } from '../../helpers/until';
import { repoRoot } from '../store/helpers';
import { configuration, group } from './fixtures';

const OPENAI_KEY = 'sk-portkey-engine-openai-5c1e9a7d3b';
const ANTHROPIC_KEY = 'sk-ant-portkey-engine-2f4b6d8a0c';
const gatewayScript = join(repoRoot, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');

/**
 * Loaded into the gateway's process before it starts: its server listens on 127.0.0.1 only, and any connection or
 * name lookup beyond loopback (telemetry, a remote plugin, a provider's real address) is refused and reported on
 * stderr, so the test sees it and the machine never reaches the internet.
 */
const LOOPBACK_ONLY = String.raw`
const net = require('node:net');
const dns = require('node:dns');
const local = (h) => h === undefined || h === null || h === '' || h === 'localhost' || /^127\./.test(h) || h === '::1' || h === '[::1]';
const report = (what) => process.stderr.write('MM-BLOCKED ' + what + '\n');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
  const first = args[0];
  const options = first !== null && typeof first === 'object' ? { ...first, host: '127.0.0.1' } : { port: Number(first ?? 0), host: '127.0.0.1' };
  this.once('listening', () => { const a = this.address(); if (a && typeof a === 'object') process.stderr.write('MM-LISTENING ' + a.port + '\n'); });
  return listen.apply(this, callback ? [options, callback] : [options]);
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first !== null && typeof first === 'object' ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (options.path === undefined && !local(options.host)) {
    report(String(options.host) + ':' + String(options.port));
    process.nextTick(() => this.destroy(new Error('refused: this gateway may reach loopback only')));
    return this;
  }
  return connect.apply(this, args);
};
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  if (local(host)) return lookup.call(this, host, ...rest);
  report('dns ' + host);
  const callback = rest[rest.length - 1];
  const error = Object.assign(new Error('refused: no name lookups beyond loopback'), { code: 'ENOTFOUND' });
  process.nextTick(() => callback(error));
};
dns.promises.lookup = async (host, ...rest) => {
  if (local(host)) return lookup.call(dns, host, ...rest);
  report('dns ' + host);
  throw Object.assign(new Error('refused: no name lookups beyond loopback'), { code: 'ENOTFOUND' });
};
`;

interface Gateway {
  readonly url: string;
  readonly blocked: string[];
  readonly output: () => string;
  stop(): Promise<void>;
}

async function startGateway(folder: string): Promise<Gateway> {
  const preload = join(folder, 'loopback-only.cjs');
  writeFileSync(preload, LOOPBACK_ONLY);
  const child: ChildProcess = spawn(process.execPath, ['--require', preload, gatewayScript, '--port=0', '--headless'], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? '', HOME: folder, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const blocked: string[] = [];
  let port: number | undefined;
  const read = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    output += text;
    for (const line of text.split('\n')) {
      const listening = /^MM-LISTENING (\d+)/.exec(line);
      if (listening) port = Number(listening[1]);
      const refused = /^MM-BLOCKED (.+)/.exec(line);
      if (refused?.[1] !== undefined) blocked.push(refused[1]);
    }
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const listening = await until('the Portkey gateway to listen on loopback', () => port ?? (child.exitCode !== null ? 0 : undefined), { timeoutMs: 60_000 });
  if (listening === 0) throw new Error(`The Portkey gateway exited before listening:\n${output}`);
  return {
    url: `http://127.0.0.1:${String(listening)}`,
    blocked,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One chat completion through the gateway with the exported config; the model names the group to use. */
async function chat(gateway: Gateway, config: string, model: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-portkey-config': config },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16 }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const chatRequests = (requests: readonly { path: string }[]): number => requests.filter((r) => /\/(chat\/completions|messages)$/.test(r.path)).length;

describe('the Portkey export on the real Portkey gateway (@portkey-ai/gateway, on loopback)', function () {
  this.timeout(240_000);
  let folder: string;
  let gateway: Gateway;
  let openai: OpenAIEmulator;
  /** The fallback group's first member: a server of its own that answers 500, so no fault is left for other tests. */
  let failing: OpenAIEmulator;
  let anthropic: AnthropicEmulator;
  let config: string;

  before(async function () {
    if (!existsSync(gatewayScript)) throw new Error(`@portkey-ai/gateway is not installed (${gatewayScript}): it is a dev dependency of this repository`);
    folder = mkdtempSync(join(tmpdir(), 'mm-portkey-'));
    openai = await startOpenAIEmulator({ apiKey: OPENAI_KEY });
    failing = await startOpenAIEmulator({ apiKey: OPENAI_KEY });
    anthropic = await startAnthropicEmulator({ apiKey: ANTHROPIC_KEY });
    const all = [
      configuration('Team GPT', 'openai-compatible', { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, { encryptedApiKey: 'v1:sealed' }),
      configuration('Broken GPT', 'openai-compatible', { model: 'gpt-4o-mini', baseUrl: `${failing.url}/v1` }, { encryptedApiKey: 'v1:sealed' }),
      configuration('Team Claude', 'anthropic', { model: 'claude-haiku-4-5-20251001', baseUrl: anthropic.url, maxTokens: 64 }, { encryptedApiKey: 'v1:sealed' }),
    ];
    const exported = exportPortkeyConfig({
      configurations: [],
      groups: [
        group('Reliable', 'fallback', [{ configurationId: 'id-Broken GPT' }, { configurationId: 'id-Team Claude' }]),
        group('Spread', 'weighted-round-robin', [{ configurationId: 'id-Team GPT', weight: 3 }, { configurationId: 'id-Team Claude', weight: 1 }]),
      ],
      allConfigurations: all,
      now: new Date('2026-12-03T12:00:00Z'),
    });
    assert.deepEqual(exported.variables.map((v) => v.name).sort(), ['BROKEN_GPT_API_KEY', 'TEAM_CLAUDE_API_KEY', 'TEAM_GPT_API_KEY']);
    // What the user does with the file: replace each placeholder with the key.
    config = JSON.stringify(JSON.parse(exported.text.replaceAll('<TEAM_GPT_API_KEY>', OPENAI_KEY).replaceAll('<BROKEN_GPT_API_KEY>', OPENAI_KEY).replaceAll('<TEAM_CLAUDE_API_KEY>', ANTHROPIC_KEY)));
    gateway = await startGateway(folder);
  });

  after(async () => {
    // Whatever the before-all hook got to start, in reverse.
    await (gateway as Gateway | undefined)?.stop();
    await (anthropic as AnthropicEmulator | undefined)?.close();
    await (failing as OpenAIEmulator | undefined)?.close();
    await (openai as OpenAIEmulator | undefined)?.close();
    if ((folder as string | undefined) !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('the fallback group falls back to its second member when the first answers 500', async () => {
    const before = { anthropic: chatRequests(anthropic.requests) };
    // Every attempt at the first member fails, retries included.
    failing.inject({ path: /chat\/completions$/, status: 500 }, 50);
    const answer = await chat(gateway, config, 'Reliable');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.ok(chatRequests(failing.requests) >= 1, 'the first member was tried');
    assert.equal(chatRequests(anthropic.requests), before.anthropic + 1, 'the second member answered');
    assert.equal((answer.body.choices as { message: { content: string } }[] | undefined)?.[0]?.message.content.length !== 0, true);
  });

  it('the weighted group splits traffic 3:1 within 12 percentage points over 300 requests (about 4.5 standard deviations)', async () => {
    const start = { openai: chatRequests(openai.requests), anthropic: chatRequests(anthropic.requests) };
    const total = 300;
    for (let sent = 0; sent < total; sent += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => chat(gateway, config, 'Spread')));
      for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    }
    const toOpenAI = chatRequests(openai.requests) - start.openai;
    const toAnthropic = chatRequests(anthropic.requests) - start.anthropic;
    assert.equal(toOpenAI + toAnthropic, total, 'each request reached exactly one member');
    const share = toOpenAI / total;
    assert.ok(Math.abs(share - 0.75) <= 0.12, `the 3-weight member got ${String(toOpenAI)} of ${String(total)} (${(share * 100).toFixed(1)} %), expected 75 % ± 12`);
  });

  it('never tried to reach beyond loopback (telemetry, plugins, the providers\' real addresses)', () => {
    assert.deepEqual(gateway.blocked, [], gateway.output());
  });
});

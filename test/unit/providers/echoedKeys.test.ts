import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import { HttpClient } from '../../../src/core/http';
import { chatEvents } from '../../../src/core/providers/call';
import { AnthropicConfig, createProvider as anthropic } from '../../../src/core/providers/anthropic';
import { defineProvider } from '../../../src/core/providers/defineProvider';
import { secretHeaderValues } from '../../../src/core/providers/secretHeaders';
import { collectChat, hello, testClient } from './harness';
import type { ChatEvent, OllamaModelDetails } from '../../../src/core/providers';

const CANARY = 'sk-canary-0123456789abcdefXYZ';
const context = { provider: 'Hostile', secrets: [CANARY], extract: () => ({}) };
const usage: ChatEvent = { type: 'usage', usage: { input: 1, output: 1, cached: 0 } };

/** The events a hostile adapter gives, through chatEvents as every caller gets them. */
async function through(events: readonly ChatEvent[]): Promise<ChatEvent[]> {
  async function* source(): AsyncGenerator<ChatEvent> {
    for (const event of events) {
      await Promise.resolve();
      yield event;
    }
  }
  const out: ChatEvent[] = [];
  for await (const event of chatEvents(source(), context)) out.push(event);
  return out;
}

const textOf = (events: readonly ChatEvent[], type: 'text' | 'reasoning' = 'text'): string => events.map((e) => (e.type === type ? e.text : '')).join('');

/** Pieces of `text` of `size` characters. */
const pieces = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe('a key a hostile server echoes, attacked (echoed keys)', () => {
  for (const [what, between] of [
    ['a reasoning delta', { type: 'reasoning', text: '.' }],
    ['a usage event', usage],
  ] as const) {
    it(`never reaches the answer when the server puts ${what} between every few characters of the key`, async () => {
      for (const size of [1, 4, 7]) {
        const events = pieces(`Your key: ${CANARY}. Bye.`, size).flatMap((p): ChatEvent[] => [{ type: 'text', text: p }, between]);
        const out = await through(events);
        const text = textOf(out);
        assert.doesNotMatch(text, /0123456789|abcdefxyz/i, `pieces of ${String(size)}: ${text}`);
        assert.match(text, /^Your key: .*\[redacted\]\. Bye\.$/, text);
        assert.doesNotMatch(text, /canary-0/i, text);
      }
    });
  }

  it('never reaches the reasoning when text deltas come between every few characters of it', async () => {
    const events = pieces(`thinking of ${CANARY} now`, 5).flatMap((p): ChatEvent[] => [{ type: 'reasoning', text: p }, { type: 'text', text: ' ' }]);
    const reasoning = textOf(await through(events), 'reasoning');
    assert.doesNotMatch(reasoning, /0123456789|abcdefxyz/i, reasoning);
    assert.match(reasoning, /^thinking of .*\[redacted\] now$/, reasoning);
  });

  it('never reaches a tool call whose JSON arguments write the key with \\u escapes', async () => {
    const escaped = CANARY.replace(/./g, (c, i: number) => (i % 5 === 4 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c));
    const out = await through([{ type: 'tool-call', call: { id: 'call_1', name: 'lookup', arguments: `{"query":"${escaped}","n":3}` } }]);
    const call = out.find((e) => e.type === 'tool-call');
    assert.ok(call?.type === 'tool-call');
    const parsed = JSON.parse(call.call.arguments) as { query: string; n: number };
    assert.doesNotMatch(parsed.query, /canary|0123456789/i, parsed.query);
    assert.deepEqual(parsed, { query: '[redacted]', n: 3 });
  });

  it('keeps tool-call arguments byte for byte when they hold no key', async () => {
    const args = '{"path": "src/a.ts",\n "note": "caf\\u00e9"}';
    const out = await through([{ type: 'tool-call', call: { id: 'call_1', name: 'read', arguments: args } }]);
    assert.deepEqual(out, [{ type: 'tool-call', call: { id: 'call_1', name: 'read', arguments: args } }]);
  });

  it("never reaches an Ollama model's details (showModel): family, sizes, capabilities, licence, date", async () => {
    const http = new HttpClient();
    try {
      const echoed: OllamaModelDetails = {
        contextLength: 8192,
        family: `llama ${CANARY}`,
        parameterSize: CANARY,
        quantization: `Q4 ${CANARY}`,
        capabilities: ['completion', `tools ${CANARY}`],
        license: `MIT licence for ${CANARY}`,
        modifiedAt: CANARY,
      };
      const Config = z.strictObject({ baseUrl: z.string(), model: z.string() });
      const provider = defineProvider<z.infer<typeof Config>>({ http }, {
        id: 'echo',
        displayName: 'Echo',
        configSchema: Config,
        apiKey: 'optional',
        errorName: 'Echo',
        extract: () => ({}),
        listModels: () => Promise.resolve([]),
        chat: async function* () {
          yield* await Promise.resolve([]);
        },
        showModel: () => Promise.resolve(echoed),
      });
      const details = await provider.showModel?.({ config: { baseUrl: 'http://127.0.0.1:1', model: 'm' }, apiKey: CANARY }, 'm');
      assert.ok(details);
      assert.doesNotMatch(JSON.stringify(details), /canary/i, JSON.stringify(details));
      assert.deepEqual(details, { ...echoed, family: 'llama [redacted]', parameterSize: '[redacted]', quantization: 'Q4 [redacted]', capabilities: ['completion', 'tools [redacted]'], license: 'MIT licence for [redacted]', modifiedAt: '[redacted]' });
    } finally {
      await http.close();
    }
  });

  it("leaves the words of a secret header's JSON value (a Portkey config) alone in an answer, and hides the keys in it", async () => {
    const configKey = 'ant-canaryQe7Uy3Io5Pa1Sd8Fg2Hj6Kl';
    const config = JSON.stringify({ strategy: { mode: 'fallback' }, targets: [{ provider: 'anthropic', api_key: configKey }, { provider: 'openai', virtual_key: 'vk-canary-Lp2Xv8Kd3Tq4' }] });
    const events: ChatEvent[] = pieces(`The provider is anthropic, in fallback mode, with targets. Key: ${configKey} and vk-canary-Lp2Xv8Kd3Tq4.`, 3).map((text) => ({ type: 'text', text }));
    const out: ChatEvent[] = [];
    async function* source(): AsyncGenerator<ChatEvent> {
      for (const event of events) {
        await Promise.resolve();
        yield event;
      }
    }
    for await (const event of chatEvents(source(), { ...context, secrets: [CANARY, config] })) out.push(event);
    assert.equal(textOf(out), 'The provider is anthropic, in fallback mode, with targets. Key: [redacted] and [redacted].');
  });

  it('leaves "Authorization: Bearer sk-..." alone in an answer when a secret header holds "Bearer <key>", and hides the key', async () => {
    const credential = 'sk-litellm-Q7x2Lm9Pz4Rt8Vw1';
    const out: ChatEvent[] = [];
    async function* source(): AsyncGenerator<ChatEvent> {
      await Promise.resolve();
      yield { type: 'text', text: `Send Authorization: Bearer sk-your-key; Bearer tokens expire. Yours: Bearer ${credential}.` };
    }
    for await (const event of chatEvents(source(), { ...context, secrets: [CANARY, `Bearer ${credential}`, credential] })) out.push(event);
    assert.equal(textOf(out), 'Send Authorization: Bearer sk-your-key; Bearer tokens expire. Yours: Bearer [redacted].');
  });

  it('passes on tool-call arguments nested 100,000 levels deep without failing the answer, with an escaped key in them hidden', async () => {
    const deep = (inner: string): string => `${'['.repeat(100_000)}${inner}${']'.repeat(100_000)}`;
    const plain = deep('"x"');
    const escaped = deep(`"${CANARY.replace(/a/g, '\\u0061')}"`);
    const out = await through([
      { type: 'text', text: 'calling' },
      { type: 'tool-call', call: { id: 'call_1', name: 'nest', arguments: plain } },
      { type: 'tool-call', call: { id: 'call_2', name: 'nest', arguments: escaped } },
      { type: 'finish', reason: 'tool-calls', providerReason: 'tool_calls' },
    ]);
    const calls = out.flatMap((e) => (e.type === 'tool-call' ? [e.call.arguments] : []));
    assert.equal(calls.length, 2);
    assert.equal(calls[0], plain);
    assert.doesNotMatch(calls[1] ?? '', /canary|c\\u0061n|0123456789/i);
    assert.equal(out.at(-1)?.type, 'finish');
  });

  it("leaves ordinary words alone when the key is a local server's placeholder word (sk-no-key-required, lm-studio, ollama, EMPTY, test)", async () => {
    const answer = 'This field is required. Use Ollama or LM Studio (lm-studio); run ollama pull; the list is EMPTY; test it.';
    for (const placeholder of ['sk-no-key-required', 'lm-studio', 'ollama', 'EMPTY', 'test', 'not-needed']) {
      const out: ChatEvent[] = [];
      async function* source(): AsyncGenerator<ChatEvent> {
        await Promise.resolve();
        yield { type: 'text', text: answer };
      }
      for await (const event of chatEvents(source(), { ...context, secrets: [placeholder] })) out.push(event);
      assert.equal(textOf(out), answer, placeholder);
    }
  });

  it('gives out no more than the first piece of a key the server deals out between the reasoning and the answer, a few characters each', async () => {
    for (const size of [1, 3, 7]) {
      const events = pieces(CANARY, size).map((p, i): ChatEvent => ({ type: i % 2 === 0 ? 'reasoning' : 'text', text: p }));
      const out = await through([{ type: 'text', text: 'Key: ' }, ...events, { type: 'text', text: ' end' }]);
      const shown = `${textOf(out, 'reasoning')}|${textOf(out)}`;
      // What came before the first switch of streams may show (less than a piece); nothing of the key after it.
      for (const p of pieces(CANARY, size).slice(2)) if (p.length >= 3) assert.ok(!shown.includes(p), `pieces of ${String(size)}: ${p} in ${shown}`);
      assert.doesNotMatch(shown, /0123|abcdef|XYZ/, `pieces of ${String(size)}: ${shown}`);
      assert.match(textOf(out), /^Key: .* end$/);
    }
  });

  it("never reaches the Anthropic adapter's answer, thinking, tool input (partial JSON with \\u escapes) or stop reason, one character per event", async () => {
    const escaped = CANARY.replace(/a/g, '\\u0061');
    const sse = (data: unknown): string => `event: x\ndata: ${JSON.stringify(data)}\n\n`;
    const perChar = (text: string, make: (c: string) => unknown): string[] => Array.from({ length: text.length }, (_, i) => sse(make(text.charAt(i))));
    const body = [
      sse({ type: 'message_start', message: { usage: { input_tokens: 3, output_tokens: 0 } } }),
      sse({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      ...perChar(`I see ${CANARY}.`, (c) => ({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: c } })),
      sse({ type: 'content_block_stop', index: 0 }),
      sse({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      ...perChar(`Your key: ${CANARY}!`, (c) => ({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: c } })),
      sse({ type: 'content_block_stop', index: 1 }),
      sse({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'save', input: {} } }),
      ...perChar(`{"key":"${escaped}"}`, (c) => ({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: c } })),
      sse({ type: 'content_block_stop', index: 2 }),
      sse({ type: 'message_delta', delta: { stop_reason: CANARY }, usage: { output_tokens: 9 } }),
      sse({ type: 'message_stop' }),
    ].join('');
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const http = testClient();
    try {
      const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
      const outcome = await collectChat(anthropic({ http }), { config: z.parse(AnthropicConfig, { baseUrl: url, model: 'claude-test' }), apiKey: CANARY }, hello, { retry: false });
      const seen = JSON.stringify(outcome.events);
      assert.doesNotMatch(seen, /canary|c\\\\u0061n|0123456789|abcdefxyz/i, seen);
      assert.equal(outcome.text, 'Your key: [redacted]!');
      assert.equal(textOf(outcome.events, 'reasoning'), 'I see [redacted].');
      const call = outcome.events.find((e) => e.type === 'tool-call');
      assert.deepEqual(call?.type === 'tool-call' ? JSON.parse(call.call.arguments) : undefined, { key: '[redacted]' });
    } finally {
      await http.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('leaves the names and plain settings of a Cookie header alone in an answer, and hides its session value', async () => {
    const secrets = [CANARY, ...secretHeaderValues({ Cookie: 'sid=Zq9Hm4Tw8Rb2Xn6L; theme=dark-mode-on' })];
    const out: ChatEvent[] = [];
    async function* source(): AsyncGenerator<ChatEvent> {
      await Promise.resolve();
      yield { type: 'text', text: 'Send the sid= cookie; theme=dark-mode-on turns dark mode on. Yours: sid=Zq9Hm4Tw8Rb2Xn6L.' };
    }
    for await (const event of chatEvents(source(), { ...context, secrets })) out.push(event);
    assert.equal(textOf(out), 'Send the sid= cookie; theme=dark-mode-on turns dark mode on. Yours: sid=[redacted].');
  });
});

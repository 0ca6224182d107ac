import * as assert from 'node:assert/strict';
import { HttpClient, HttpError } from '../../../src/core/http';
import { chatEvents, consistentUsage, mapErrors } from '../../../src/core/providers/call';
import type { ErrorContext } from '../../../src/core/providers/errors';
import { imagesChecked } from '../../../src/core/providers/images';
import { openaiChat, openaiErrorInfo } from '../../../src/core/providers/openaiProtocol';
import type { ChatEvent, ChatRequest } from '../../../src/core/providers';
import { startOpenAIEmulator, type Fault, type OpenAIEmulator, type OpenAIRecording } from '../../emulators';

/** The two wrappers chatEvents replaced, as they were: usage kept within its wholes inside, errors mapped outside. */
async function* consistentThenMapped(events: AsyncIterable<ChatEvent>, context: ErrorContext): AsyncGenerator<ChatEvent, void, undefined> {
  async function* withConsistentUsage(inner: AsyncIterable<ChatEvent>): AsyncGenerator<ChatEvent, void, undefined> {
    for await (const event of inner) yield event.type === 'usage' ? { ...event, usage: consistentUsage(event.usage) } : event;
  }
  yield* mapErrors(withConsistentUsage(events), context);
}

/** What an adapter's raw stream gave: its events, then the error it ended with, if any. */
interface Recorded {
  readonly events: readonly ChatEvent[];
  readonly error?: unknown;
}

async function record(events: AsyncIterable<ChatEvent>): Promise<Recorded> {
  const seen: ChatEvent[] = [];
  try {
    for await (const event of events) seen.push(event);
  } catch (error) {
    return { events: seen, error };
  }
  return { events: seen };
}

/** Plays a recording back, an async step per event as a network stream takes. */
async function* replay(recorded: Recorded): AsyncGenerator<ChatEvent, void, undefined> {
  for (const event of recorded.events) {
    await Promise.resolve();
    yield event;
  }
  // A recording may hold a thrown value that is not an Error: the wrappers must treat it alike.
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- replaying exactly what the source threw
  if (recorded.error !== undefined) throw recorded.error;
}

/**
 * The events and the error as a caller sees them (the error by its class, kind, message, hint and status), text and
 * reasoning joined across deltas: chatEvents may hold a delta's last characters back to the next one (a key split
 * across deltas is hidden whole), so where a delta ends is not part of what a caller sees.
 */
async function outcome(events: AsyncIterable<ChatEvent>): Promise<unknown> {
  const { events: recorded, error } = await record(events);
  const seen: ChatEvent[] = [];
  for (const event of recorded) {
    const last = seen.at(-1);
    if ((event.type === 'text' || event.type === 'reasoning') && last?.type === event.type) seen[seen.length - 1] = { type: event.type, text: last.text + event.text };
    else seen.push(event);
  }
  if (error === undefined) return { events: seen };
  const e = error as { name?: unknown; kind?: unknown; message?: unknown; hint?: unknown; status?: unknown; code?: unknown };
  return { events: seen, error: { name: e.name, kind: e.kind, message: e.message, hint: e.hint, status: e.status, code: e.code } };
}

const KEY = 'sk-chat-events-canary-51c9';
const context: ErrorContext = { provider: 'OpenAI', secrets: [KEY], model: 'gpt-4.1-nano', extract: openaiErrorInfo };
const streamed: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }], stream: true };

describe('chatEvents, the one pass around every adapter\'s chat', () => {
  let emulator: OpenAIEmulator;
  const http = new HttpClient({ retry: { maxAttempts: 1 } });

  before(async () => {
    emulator = await startOpenAIEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  /** The OpenAI protocol's own events (no wrapper) for a recording, with a fault when given. */
  function raw(recording: OpenAIRecording, fault?: Fault, request: ChatRequest = streamed): Promise<Recorded> {
    emulator.use(recording);
    if (fault) emulator.inject(fault);
    const settings = { baseUrl: `${emulator.url}/v1`, headers: { authorization: `Bearer ${emulator.apiKey}` }, model: 'gpt-4.1-nano', maxTokensField: 'max_completion_tokens' as const, parameters: {} };
    return record(openaiChat(http, settings, request, {}, { ...context, secrets: [emulator.apiKey] }));
  }

  const cases: Record<string, () => Promise<Recorded>> = {
    'the recorded text stream': () => raw('text'),
    'the recorded tool-call stream': () => raw('tool-calls'),
    'an error sent mid-stream after a 200': () => raw('text', { streamError: { message: `bad key ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } }),
    'an event whose JSON is broken': () => raw('text', { malformedJson: true }),
    'a 429 before any event': () => raw('text', { status: 429 }),
    'an image refused before sending': () => raw('text', undefined, { ...streamed, messages: [{ role: 'user', content: 'look', images: [{ mimeType: 'image/png', data: 'aGVsbG8=' }] }] }),
    'usage whose parts exceed their wholes, then a failure naming the key': () =>
      Promise.resolve({
        events: [
          { type: 'text', text: 'hi' },
          { type: 'usage', usage: { input: 10, output: 4, cached: 50, cacheWrite: 30, reasoning: 9 } },
          { type: 'finish', reason: 'stop', providerReason: 'stop' },
        ],
        error: new HttpError('status', 'refused', { status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}`, code: 'invalid_api_key' } } }),
      }),
    'a thrown value that is not an error': () => Promise.resolve({ events: [{ type: 'text', text: 'x' }], error: `plain ${KEY}` }),
  };

  for (const [name, source] of Object.entries(cases)) {
    it(`gives the same events and the same error as the two wrappers it replaced: ${name}`, async () => {
      const recorded = await source();
      const expected = await outcome(consistentThenMapped(replay(recorded), context));
      assert.deepEqual(await outcome(chatEvents(replay(recorded), context)), expected);
      assert.equal(JSON.stringify(expected).includes(KEY), false, 'the key is scrubbed from what a caller sees');
    });
  }

  it('keeps usage within its wholes: cached and cache-written within the input, reasoning within the output', async () => {
    const { events } = await record(chatEvents(replay({ events: [{ type: 'usage', usage: { input: 10, output: 4, cached: 50, cacheWrite: 30, reasoning: 9 } }] }), context));
    assert.deepEqual(events, [{ type: 'usage', usage: { input: 10, output: 4, cached: 10, cacheWrite: 0, reasoning: 4 } }]);
  });

  it('stops its source when the caller stops reading', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<ChatEvent, void, undefined> {
      try {
        for (;;) {
          await Promise.resolve();
          yield { type: 'text', text: 'more' };
        }
      } finally {
        closed = true;
      }
    }
    for await (const event of chatEvents(source(), context)) if (event.type === 'text') break;
    assert.equal(closed, true);
  });
});

describe('imagesChecked', () => {
  const png = { mimeType: 'image/png', data: 'aGVsbG8=' };
  const request: ChatRequest = { messages: [{ role: 'user', content: 'look', images: [png] }] };

  it('checks the images when the stream is first read, not when it is made, and sends nothing when they are refused', async () => {
    let started = 0;
    // eslint-disable-next-line require-yield -- a source that must never be read
    async function* never(): AsyncGenerator<ChatEvent, void, undefined> {
      started++;
      await Promise.resolve();
    }
    const events = imagesChecked('openai', 'OpenAI', request, never);
    const iterator = events[Symbol.asyncIterator]();
    await assert.rejects(iterator.next(), (error: Error) => error.name === 'ProviderError' && error.message.includes('PNG'));
    assert.deepEqual(await iterator.next(), { done: true, value: undefined }, 'finished after its refusal, as a generator is');
    assert.equal(started, 0);
  });

  it('hands out the events of an accepted request as they are', async () => {
    const accepted: ChatRequest = { messages: [{ role: 'user', content: 'no images' }] };
    async function* source(): AsyncGenerator<ChatEvent, void, undefined> {
      await Promise.resolve();
      yield { type: 'text', text: 'a' };
      yield { type: 'finish', reason: 'stop', providerReason: 'stop' };
    }
    const { events } = await record(imagesChecked('openai', 'OpenAI', accepted, source));
    assert.deepEqual(events, [{ type: 'text', text: 'a' }, { type: 'finish', reason: 'stop', providerReason: 'stop' }]);
  });
});

import * as assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startEndpoint, type RunningEndpoint } from '../../../src/core/endpoint/EndpointServer';
import type { ChatEvent } from '../../../src/core/providers';

const TOKEN = 'stream-writes-token';
const EVENTS = 200;

interface Raw {
  /** The HTTP chunks of the body, in order, as the socket carried them. */
  readonly chunks: string[];
}

/** Parses a chunked HTTP/1.1 response into its chunks (the framing a client's parser sees, one per server write). */
function chunksOf(response: string): string[] {
  const bodyAt = response.indexOf('\r\n\r\n');
  assert.ok(bodyAt > 0, 'the response has headers');
  assert.match(response.slice(0, bodyAt), /transfer-encoding: chunked/i);
  const chunks: string[] = [];
  let at = bodyAt + 4;
  for (;;) {
    const lineEnd = response.indexOf('\r\n', at);
    const size = Number.parseInt(response.slice(at, lineEnd), 16);
    if (size === 0) return chunks;
    const start = lineEnd + 2;
    // Read as latin1, one character per byte: the size counts characters here.
    chunks.push(Buffer.from(response.slice(start, start + size), 'latin1').toString('utf8'));
    at = start + size + 2;
  }
}

/** A streamed chat completion sent on a raw socket, its whole answer read as bytes. */
function streamRaw(port: number, onData?: (soFar: string) => void): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      received += data;
      onData?.(received);
      // The last chunk (size 0) ends the answer; the endpoint keeps the connection open for the next request.
      if (received.endsWith('\r\n0\r\n\r\n')) {
        socket.destroy();
        resolve({ chunks: chunksOf(received) });
      }
    });
    socket.on('end', () => {
      reject(new Error(`the connection ended before the answer did: ${received.slice(-200)}`));
    });
    socket.on('error', reject);
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${String(port)}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`,
    );
  });
}

function texts(chunks: readonly string[]): string[] {
  return chunks
    .join('')
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: {'))
    .map((frame) => JSON.parse(frame.slice(6)) as { choices: { delta: { content?: string } }[] })
    .map((c) => c.choices[0]?.delta.content)
    .filter((t): t is string => t !== undefined && t !== '');
}

describe('the local endpoint writes a stream in as few socket writes as its events allow', () => {
  let endpoint: RunningEndpoint;
  /** What the next request's answer does between its first and second half. */
  let between: () => Promise<void> = () => Promise.resolve();

  before(async () => {
    endpoint = await startEndpoint(
      {
        models: () => [{ id: 'm', groupId: 'g', created: 0 }],
        authenticate: (token) => Promise.resolve(token === TOKEN ? { id: 'c', name: 'raw', scope: 'chat' as const } : undefined),
        async *chat(): AsyncGenerator<ChatEvent> {
          for (let i = 0; i < EVENTS / 2; i++) yield { type: 'text', text: `w${String(i)} ` };
          await between();
          for (let i = EVENTS / 2; i < EVENTS; i++) yield { type: 'text', text: `w${String(i)} ` };
          yield { type: 'finish', reason: 'stop', providerReason: 'stop' };
        },
        countTokens: () => Promise.resolve(1),
      },
      { port: 0 },
    );
  });

  after(async () => {
    await endpoint.close();
  });

  it('sends the events that arrive together (one upstream read) as one chunk, not one write per event', async () => {
    between = () => Promise.resolve();
    const { chunks } = await streamRaw(endpoint.port);
    assert.deepEqual(texts(chunks), Array.from({ length: EVENTS }, (_, i) => `w${String(i)} `));
    // One turn of the event loop produced every event: one chunk carries them (a write per event made 203).
    assert.ok(chunks.length <= 2, `${String(chunks.length)} chunks for ${String(EVENTS)} events`);
    assert.match(chunks.at(-1) ?? '', /data: \[DONE\]\n\n$/);
  });

  it('sends what has arrived before waiting for more: the first half reaches the client while the second is awaited', async () => {
    let firstHalfSeen: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (firstHalfSeen = resolve));
    // The second half is produced only once the client holds the first: a batch that waited for more would hang here.
    between = () => seen;
    const { chunks } = await streamRaw(endpoint.port, (soFar) => {
      if (soFar.includes(`"w${String(EVENTS / 2 - 1)} "`)) firstHalfSeen();
    });
    assert.equal(texts(chunks).length, EVENTS);
    assert.ok(chunks.length >= 2 && chunks.length <= 4, `${String(chunks.length)} chunks`);
  });
});

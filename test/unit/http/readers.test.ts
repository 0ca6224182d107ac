import * as assert from 'node:assert/strict';
import { HttpError, readLines, readNdjson, readSse, type SseEvent } from '../../../src/core/http';

async function* chunksOf(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    await Promise.resolve();
    yield part;
  }
}

/** The bytes cut at every given offset. */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const offset of [...offsets, bytes.length]) {
    parts.push(bytes.subarray(last, offset));
    last = offset;
  }
  return parts;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const encoder = new TextEncoder();

describe('the SSE reader', () => {
  const stream = 'event: message_start\r\ndata: {"a":"héllo 😊"}\r\n\r\n: keep-alive\n\ndata: line one\ndata: line two\n\nid: 7\nevent: done\ndata:[DONE]\r\r';
  const expected: SseEvent[] = [
    { event: 'message_start', data: '{"a":"héllo 😊"}', id: undefined },
    { event: 'message', data: 'line one\nline two', id: undefined },
    { event: 'done', data: '[DONE]', id: '7' },
  ];
  const bytes = encoder.encode(stream);

  it('reads events whole in one chunk', async () => {
    assert.deepEqual(await all(readSse(chunksOf([bytes]), 1024)), expected);
  });

  it('gives the same events whatever the chunk boundaries, mid-line, mid-CRLF and mid-UTF-8 character', async () => {
    for (let i = 1; i < bytes.length; i++) {
      for (const j of [i + 1, i + 3]) {
        if (j >= bytes.length) continue;
        assert.deepEqual(await all(readSse(chunksOf(cut(bytes, [i, j])), 1024)), expected, `cut at ${String(i)} and ${String(j)}`);
      }
    }
  });

  it('gives the same events byte by byte', async () => {
    const single = Array.from(bytes, (b) => Uint8Array.of(b));
    assert.deepEqual(await all(readSse(chunksOf(single), 1024)), expected);
  });

  it('refuses an event larger than its limit instead of buffering it', async () => {
    const huge = encoder.encode(`data: ${'x'.repeat(5000)}\n\n`);
    await assert.rejects(all(readSse(chunksOf(cut(huge, [100, 2000])), 1000)), (e: unknown) => e instanceof HttpError && e.kind === 'too-large');
  });

  it('refuses a line that never ends', async () => {
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        await Promise.resolve();
        yield encoder.encode('data: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
      }
    }
    await assert.rejects(all(readSse(endless(), 10_000)), (e: unknown) => e instanceof HttpError && e.kind === 'too-large');
  });
});

describe('the NDJSON reader', () => {
  const text = '{"a":1}\n{"b":"ü€𝄞"}\r\n\n{"c":[1,2]}';
  const bytes = encoder.encode(text);

  it('parses every line whatever the chunk boundaries', async () => {
    for (let i = 1; i < bytes.length; i++) {
      assert.deepEqual(await all(readNdjson(chunksOf(cut(bytes, [i])), 1024)), [{ a: 1 }, { b: 'ü€𝄞' }, { c: [1, 2] }], `cut at ${String(i)}`);
    }
  });

  it('names a line that is not JSON', async () => {
    await assert.rejects(all(readNdjson(chunksOf([encoder.encode('{"a":1}\n{"b":\n')]), 1024)), /A line of the stream is not valid JSON: "\{\\"b\\":"/);
  });

  it('splits lines on LF, CRLF and a lone CR', async () => {
    assert.deepEqual(await all(readLines(chunksOf([encoder.encode('a\r'), encoder.encode('\nb\rc\n')]), 100)), ['a', 'b', 'c']);
  });
});

import * as assert from 'node:assert/strict';
import { readSse, readSseChunks, type SseEvent } from '../../../src/core/http';
import { chunkLines } from '../../emulators/recordings';

async function* chunksOf(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    await Promise.resolve();
    yield part;
  }
}

/** The events of each step of readSseChunks, one list per step. */
async function steps(parts: readonly Uint8Array[], maxEventBytes = 64 * 1024): Promise<SseEvent[][]> {
  const out: SseEvent[][] = [];
  for await (const events of readSseChunks(chunksOf(parts), maxEventBytes)) {
    const step: SseEvent[] = [];
    for (let event = events.next(); event !== undefined; event = events.next()) step.push(event);
    out.push(step);
  }
  return out;
}

async function all(parts: readonly Uint8Array[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const event of readSse(chunksOf(parts), 64 * 1024)) out.push(event);
  return out;
}

describe('readSseChunks, the SSE reader a read at a time', () => {
  // The recorded OpenAI stream as the emulator frames it.
  const lines = chunkLines('recorded/openai/vercel-ai__openai-text.chunks.txt');
  const bytes = new TextEncoder().encode(`${lines.map((line) => `data: ${line}\n\n`).join('')}data: [DONE]\n\n`);
  const expected: SseEvent[] = [...lines, '[DONE]'].map((data) => ({ event: 'message', data, id: undefined }));

  it('hands back every event of one read in one step', async () => {
    const got = await steps([bytes]);
    assert.deepEqual(got[0], expected);
    assert.deepEqual(got.slice(1).flat(), [], 'nothing is left for the end');
  });

  it('gives the recorded events in order wherever the reads are cut, as readSse does', async () => {
    for (const size of [1, 7, 100, 333, 4096]) {
      const parts: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
      assert.deepEqual((await steps(parts)).flat(), expected, `reads of ${String(size)} bytes`);
      assert.deepEqual(await all(parts), expected, `readSse, reads of ${String(size)} bytes`);
    }
  });

  it('gives the event left unterminated at the end of the stream last, once', async () => {
    const text = new TextEncoder().encode('data: one\n\ndata: two');
    const got = await steps([text]);
    assert.deepEqual(got.flat().map((e) => e.data), ['one', 'two']);
    assert.deepEqual(got.at(-1)?.map((e) => e.data), ['two']);
  });
});

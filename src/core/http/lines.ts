import { HttpError } from './errors';

/**
 * Splits decoded text into lines (LF, CRLF or CR), whatever the chunk boundaries: a line cut mid-way is completed by
 * the next chunk. Lines are cut out one at a time, on demand, so the first event of a large chunk is not held up by
 * the rest of it; and synchronously, since an async step per line would cost more than the parsing itself.
 */
export class LineSplitter {
  private buffer = '';
  private start = 0;
  private hasCr = false;
  // A CR at the very end of a chunk may be the first half of a CRLF.
  private skipLeadingLf = false;

  constructor(private readonly maxLineLength: number) {}

  push(text: string): void {
    if (this.skipLeadingLf && text.length > 0) {
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      this.skipLeadingLf = false;
    }
    this.buffer = this.start < this.buffer.length ? this.buffer.slice(this.start) + text : text;
    this.start = 0;
    this.hasCr = this.buffer.includes('\r');
  }

  /** The next complete line, or undefined until more text arrives; a line longer than the limit is an error. */
  next(): string | undefined {
    const { buffer, start } = this;
    let end = buffer.indexOf('\n', start);
    let next = end + 1;
    if (this.hasCr) {
      const cr = buffer.indexOf('\r', start);
      if (cr !== -1 && (end === -1 || cr < end)) {
        end = cr;
        if (cr + 1 === buffer.length) {
          next = cr + 1;
          this.skipLeadingLf = true;
        } else {
          next = buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
        }
      }
    }
    if (end === -1) {
      if (buffer.length - start > this.maxLineLength) {
        throw new HttpError('too-large', `A line of the response exceeds ${String(this.maxLineLength)} characters.`);
      }
      return undefined;
    }
    this.start = next;
    return buffer.slice(start, end);
  }

  /** What is left when the stream ends: a last line without a line break. */
  flush(): string | undefined {
    const rest = this.buffer.slice(this.start);
    this.buffer = '';
    this.start = 0;
    return rest.length > 0 ? rest : undefined;
  }
}

/**
 * Feeds a splitter from a byte stream, decoding UTF-8 across chunk boundaries (a character cut mid-byte waits for its
 * rest), and hands it back after each chunk to have its complete lines taken; `flush()` it at the end for the last one.
 */
export async function* splitChunks(chunks: AsyncIterable<Uint8Array>, splitter: LineSplitter): AsyncGenerator<LineSplitter, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    splitter.push(decoder.decode(chunk, { stream: true }));
    yield splitter;
  }
  splitter.push(decoder.decode());
  yield splitter;
}

/** The lines of a byte stream, one by one. */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, maxLineLength: number): AsyncGenerator<string, void, undefined> {
  const splitter = new LineSplitter(maxLineLength);
  for await (const ready of splitChunks(chunks, splitter)) {
    for (let line = ready.next(); line !== undefined; line = ready.next()) yield line;
  }
  const last = splitter.flush();
  if (last !== undefined) yield last;
}

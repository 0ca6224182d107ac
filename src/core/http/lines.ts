import { HttpError } from './errors';

/**
 * Splits a byte stream into text lines (LF, CRLF or CR), whatever the chunk boundaries: a line cut mid-way or a
 * UTF-8 character cut mid-byte is completed by the next chunk. A line longer than `maxLineBytes` characters is an error, so a
 * server that never sends a newline cannot make us buffer forever.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  // A CR at the very end of a chunk may be the first half of a CRLF.
  let skipLeadingLf = false;
  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (skipLeadingLf && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      skipLeadingLf = false;
    }
    buffer = buffer.length === 0 ? text : buffer + text;
    let start = 0;
    const hasCr = buffer.includes('\r');
    for (;;) {
      let end = buffer.indexOf('\n', start);
      let next = end + 1;
      if (hasCr) {
        const cr = buffer.indexOf('\r', start);
        if (cr !== -1 && (end === -1 || cr < end)) {
          end = cr;
          if (cr + 1 === buffer.length) {
            next = cr + 1;
            skipLeadingLf = true;
          } else {
            next = buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
          }
        }
      }
      if (end === -1) break;
      yield buffer.slice(start, end);
      start = next;
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
    if (buffer.length > maxLineBytes) {
      throw new HttpError('too-large', `A line of the response exceeds ${String(maxLineBytes)} characters.`);
    }
  }
  buffer += decoder.decode();
  if (buffer.length > 0) yield buffer;
}

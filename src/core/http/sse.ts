import { HttpError } from './errors';
import { readLines } from './lines';

/** One server-sent event (WHATWG HTML "event stream" interpretation). */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/**
 * Reads server-sent events. Comments (keep-alives) are skipped; an event whose data grows beyond `maxEventBytes`
 * is an error. An event left unterminated at the end of the stream is still delivered, as the SDKs do.
 */
export async function* readSse(chunks: AsyncIterable<Uint8Array>, maxEventBytes: number): AsyncGenerator<SseEvent, void, undefined> {
  let data: string | undefined;
  let event = '';
  let id: string | undefined;
  for await (const line of readLines(chunks, maxEventBytes)) {
    if (line.length === 0) {
      if (data !== undefined) yield { event: event === '' ? 'message' : event, data, id };
      data = undefined;
      event = '';
      continue;
    }
    if (line.charCodeAt(0) === 58) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      data = data === undefined ? value : `${data}\n${value}`;
      if (data.length > maxEventBytes) throw new HttpError('too-large', `An event of the stream exceeds ${String(maxEventBytes)} characters.`);
    } else if (field === 'event') {
      event = value;
    } else if (field === 'id' && !value.includes('\0')) {
      id = value;
    }
  }
  if (data !== undefined) yield { event: event === '' ? 'message' : event, data, id };
}

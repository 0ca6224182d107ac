import { HttpError } from './errors';
import { LineSplitter, splitChunks } from './lines';

/** One server-sent event (WHATWG HTML "event stream" interpretation). */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/**
 * Reads server-sent events. Comments (keep-alives) are skipped and, like pings, do not count as progress for the
 * idle timeout; an event whose data grows beyond `maxEventBytes` is an error. An event left unterminated at the end of the stream is still delivered, as the SDKs do.
 * With `progressPerEvent` false the caller calls `progress()` itself, for the events that carried content.
 */
export async function* readSse(
  chunks: AsyncIterable<Uint8Array> & { progress?: () => void },
  maxEventBytes: number,
  progressPerEvent = true,
): AsyncGenerator<SseEvent, void, undefined> {
  const splitter = new LineSplitter(maxEventBytes);
  const event: PendingEvent = { data: undefined, name: '', id: undefined };
  for await (const ready of splitChunks(chunks, splitter)) {
    for (let line = ready.next(); line !== undefined; line = ready.next()) {
      const complete = takeLine(event, line, maxEventBytes);
      if (!complete) continue;
      // A ping event (Anthropic's keep-alive) is no content: a stream of nothing but pings still times out.
      if (progressPerEvent && complete.event !== 'ping') chunks.progress?.();
      yield complete;
    }
  }
  const last = splitter.flush();
  if (last !== undefined) takeLine(event, last, maxEventBytes);
  if (event.data !== undefined) yield { event: event.name === '' ? 'message' : event.name, data: event.data, id: event.id };
}

interface PendingEvent {
  data: string | undefined;
  name: string;
  id: string | undefined;
}

/** Applies one line to the event being built; returns the event when the line (a blank one) completes it. */
function takeLine(event: PendingEvent, line: string, maxEventBytes: number): SseEvent | undefined {
  if (line.length === 0) {
    const done = event.data === undefined ? undefined : { event: event.name === '' ? 'message' : event.name, data: event.data, id: event.id };
    event.data = undefined;
    event.name = '';
    return done;
  }
  if (line.charCodeAt(0) === 58) return undefined;
  const colon = line.indexOf(':');
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? '' : line.slice(colon + 1);
  if (value.charCodeAt(0) === 32) value = value.slice(1);
  if (field === 'data') {
    event.data = event.data === undefined ? value : `${event.data}\n${value}`;
    if (event.data.length > maxEventBytes) throw new HttpError('too-large', `An event of the stream exceeds ${String(maxEventBytes)} characters.`);
  } else if (field === 'event') {
    event.name = value;
  } else if (field === 'id' && !value.includes('\0')) {
    event.id = value;
  }
  return undefined;
}

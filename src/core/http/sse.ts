import { HttpError } from './errors';
import { LineSplitter } from './lines';

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
  for await (const ready of readSseChunks(chunks, maxEventBytes)) {
    for (let complete = ready.next(); complete !== undefined; complete = ready.next()) {
      // A ping event (Anthropic's keep-alive) is no content: a stream of nothing but pings still times out.
      if (progressPerEvent && complete.event !== 'ping' && !ready.ended) chunks.progress?.();
      yield complete;
    }
  }
}

/**
 * The same events a read at a time: the parser is handed back after each chunk of the body to have its complete
 * events taken synchronously (a stream's hundreds of events in one read then cost one async step, not one each), and
 * once more at the end, `ended`, when `next()` also gives the event left unterminated.
 */
export async function* readSseChunks(chunks: AsyncIterable<Uint8Array>, maxEventBytes: number): AsyncGenerator<SseParser, void, undefined> {
  const parser = new SseParser(maxEventBytes);
  // UTF-8 decoded across chunk boundaries, as splitChunks does: a character cut mid-byte waits for its rest.
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    parser.push(decoder.decode(chunk, { stream: true }));
    yield parser;
  }
  parser.push(decoder.decode());
  parser.end();
  yield parser;
}

/** Builds events from the lines of a stream; `next()` gives each complete one, undefined until more text arrives. */
export class SseParser {
  private readonly lines: LineSplitter;
  private readonly pending: PendingEvent = { data: undefined, name: '', id: undefined };
  private finished = false;

  constructor(private readonly maxEventBytes: number) {
    this.lines = new LineSplitter(maxEventBytes);
  }

  /** The stream is over: what `next()` gives now is the last line's event, if it was left unterminated. */
  get ended(): boolean {
    return this.finished;
  }

  push(text: string): void {
    this.lines.push(text);
  }

  next(): SseEvent | undefined {
    for (let line = this.lines.next(); line !== undefined; line = this.lines.next()) {
      const complete = takeLine(this.pending, line, this.maxEventBytes);
      if (complete) return complete;
    }
    if (!this.finished) return undefined;
    const last = this.lines.flush();
    if (last !== undefined) takeLine(this.pending, last, this.maxEventBytes);
    const event = this.pending;
    if (event.data === undefined) return undefined;
    const unterminated = { event: event.name === '' ? 'message' : event.name, data: event.data, id: event.id };
    event.data = undefined;
    return unterminated;
  }

  end(): void {
    this.finished = true;
  }
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

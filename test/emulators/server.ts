import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, constants, createBrotliCompress, createGzip, gzipSync } from 'node:zlib';

/** What to do wrong for one request. Unset fields mean "behave". */
export interface Fault {
  /** Only a request whose path matches takes this fault (default: the next request, whatever it is). */
  readonly path?: RegExp;
  /** Answer with this status and the provider's own error body. */
  readonly status?: number;
  readonly retryAfter?: string;
  /** Replaces the provider's error body for `status`. */
  readonly body?: unknown;
  /** Wait this long before the response headers. */
  readonly delayMs?: number;
  /** Never send headers, or send headers and the first part of the body and then nothing. */
  readonly stall?: 'headers' | 'body';
  /** Send this many stream events, then nothing more with the connection left open (a stream in progress). */
  readonly stallAfterEvents?: number;
  /** Destroy the socket after this many stream events (or half of a JSON body). */
  readonly dropAfterEvents?: number;
  /** Break the JSON of the body, or of the second stream event. */
  readonly malformedJson?: boolean;
  /** Send a body (or one stream event) of this many bytes, as fast as the client takes it. */
  readonly oversizeBytes?: number;
  /** After the recorded events, keep sending valid events until the client goes away. */
  readonly endless?: boolean;
  readonly contentType?: string;
  readonly encoding?: 'gzip' | 'br';
  /** After the first stream event, send `data: {"error": <this>}` and end: an error reported mid-stream after a 200. */
  readonly streamError?: unknown;
  /** Extra response headers (rate-limit headers, for instance), on success and error answers alike. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

export type Reply =
  | { readonly kind: 'json'; readonly status?: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'empty'; readonly status: number }
  | {
      readonly kind: 'stream';
      readonly contentType: string;
      /** Framed text: SSE blocks ending in a blank line, or NDJSON lines ending in a newline. */
      readonly frames: readonly string[];
      /** A valid frame to repeat for an endless stream. */
      readonly filler: string;
      /** A frame whose JSON is broken. */
      readonly malformed: string;
      /** What goes before and after the padding of one oversized frame. */
      readonly oversize: { readonly head: string; readonly tail: string };
    };

export interface EmulatorSpec {
  readonly name: string;
  route(request: ReceivedRequest): Reply;
  /** The provider's error body for a status fault. */
  errorBody(status: number): unknown;
}

/** A loopback server speaking one provider's HTTP API, with per-request fault injection. */
export interface Emulator {
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[];
  /** Paths of responses the client abandoned before they were complete (cancel must close the connection). */
  readonly closedByClient: string[];
  /** Sockets opened so far (keep-alive reuses them). */
  readonly connections: () => number;
  /** Applies `fault` to the next `times` requests. */
  inject(fault: Fault, times?: number): void;
  close(): Promise<void>;
}

function tick(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes and waits for the socket to drain; false when the client is gone. */
function write(res: ServerResponse | NodeJS.WritableStream, chunk: string | Buffer): Promise<boolean> {
  if ('destroyed' in res && res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.removeListener('drain', onDrain);
      res.removeListener('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Streams `head` then `size` bytes of padding, generated as it goes so the emulator itself stays small. */
async function padded(out: ServerResponse | NodeJS.WritableStream, head: string, size: number): Promise<boolean> {
  if (!(await write(out, head))) return false;
  const block = Buffer.alloc(64 * 1024, 'a');
  for (let sent = 0; sent < size; sent += block.length) {
    if (!(await write(out, block))) return false;
  }
  return true;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function startEmulator(spec: EmulatorSpec): Promise<Emulator> {
  const requests: ReceivedRequest[] = [];
  const closedByClient: string[] = [];
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  let opened = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    opened++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: ReceivedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: await readBody(req) };
    requests.push(request);
    let droppedByUs = false;
    res.on('close', () => {
      if (!res.writableEnded && !droppedByUs) closedByClient.push(request.path);
    });
    const drop = (): void => {
      droppedByUs = true;
      res.socket?.destroy();
    };
    // A fault aimed at a path waits for a request to it; the others apply to the next request.
    const index = faults.findIndex((f) => f.path === undefined || f.path.test(request.path));
    const fault = index === -1 ? {} : (faults.splice(index, 1)[0] ?? {});
    if (fault.delayMs) await tick(fault.delayMs);
    if (fault.stall === 'headers') return;
    const reply: Reply = fault.status
      ? { kind: 'json', status: fault.status, body: fault.body ?? spec.errorBody(fault.status), headers: { ...fault.headers, ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) } }
      : spec.route(request);
    if (reply.kind === 'empty') {
      res.writeHead(reply.status).end();
      return;
    }
    if (reply.kind === 'json') {
      await sendJson(res, reply, fault, drop);
      return;
    }
    await sendStream(res, reply, fault, drop);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    requests,
    closedByClient,
    connections: () => opened,
    inject: (fault, times = 1) => {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function sendJson(res: ServerResponse, reply: Extract<Reply, { kind: 'json' }>, fault: Fault, drop: () => void): Promise<void> {
  const status = reply.status ?? 200;
  const headers: Record<string, string> = { 'content-type': fault.contentType ?? 'application/json', ...fault.headers, ...reply.headers };
  if (fault.oversizeBytes) {
    res.writeHead(status, headers);
    if (await padded(res, '{"data":"', fault.oversizeBytes)) res.end('"}');
    return;
  }
  let text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  if (fault.malformedJson) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  if (fault.stall === 'body' || fault.dropAfterEvents !== undefined) {
    res.writeHead(status, headers);
    res.write(text.slice(0, Math.floor(text.length / 2)));
    if (fault.dropAfterEvents !== undefined) setTimeout(drop, 5);
    return;
  }
  let body: Buffer = Buffer.from(text);
  if (fault.encoding === 'gzip') body = gzipSync(body);
  if (fault.encoding === 'br') body = brotliCompressSync(body);
  res.writeHead(status, { ...headers, ...(fault.encoding ? { 'content-encoding': fault.encoding } : {}), 'content-length': String(body.length) });
  res.end(body);
}

async function sendStream(res: ServerResponse, reply: Extract<Reply, { kind: 'stream' }>, fault: Fault, drop: () => void): Promise<void> {
  res.writeHead(200, { 'content-type': fault.contentType ?? reply.contentType, 'cache-control': 'no-cache', ...fault.headers, ...(fault.encoding ? { 'content-encoding': fault.encoding } : {}) });
  // Compressed streams are flushed after every frame, as a streaming server must.
  const compressor = fault.encoding === 'gzip' ? createGzip({ flush: constants.Z_SYNC_FLUSH }) : fault.encoding === 'br' ? createBrotliCompress({ flush: constants.BROTLI_OPERATION_FLUSH }) : undefined;
  compressor?.pipe(res);
  const out = compressor ?? res;
  const frames = [...reply.frames];
  if (fault.malformedJson && frames.length > 1) frames[1] = reply.malformed;
  if (fault.oversizeBytes) {
    if (!(await padded(out, reply.oversize.head, fault.oversizeBytes))) return;
    out.end(reply.oversize.tail);
    return;
  }
  if (fault.streamError !== undefined) frames.splice(1, frames.length - 1, `data: ${JSON.stringify({ error: fault.streamError })}\n\n`);
  // An endless stream never reaches its final event.
  if (fault.endless) frames.pop();
  for (const [index, frame] of frames.entries()) {
    if (fault.dropAfterEvents !== undefined && index >= fault.dropAfterEvents) {
      setTimeout(drop, 5);
      return;
    }
    if (fault.stall === 'body' && index >= 1) return;
    if (fault.stallAfterEvents !== undefined && index >= fault.stallAfterEvents) return;
    if (!(await write(out, frame))) return;
  }
  if (fault.endless) {
    for (;;) {
      if (!(await write(out, reply.filler))) return;
      if (res.destroyed) return;
      await tick(1);
    }
  }
  out.end();
}

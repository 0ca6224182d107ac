import type { LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { classifyNetworkError, HttpError } from './errors';
import { parseJson } from './ndjson';
import { describeUrl, redact } from './redact';
import { defaultRetryPolicy, isRetryable, isSafeToRepeat, parseRetryAfter, withRetry, type RetryPolicy } from './retry';

export interface HttpTimeouts {
  /** TCP + TLS handshake. */
  readonly connectMs: number;
  /** From sending the request to the response headers (a non-streamed completion can take minutes). */
  readonly headersMs: number;
  /**
   * Longest wait for content after the headers: between two whole events of a stream (SSE keep-alive comments and
   * bytes that complete no event do not count), or for the whole of a JSON body.
   */
  readonly bodyMs: number;
  /** The whole exchange, body included: an endless stream ends here. */
  readonly totalMs: number;
}

export interface HttpLimits {
  /** Decoded bytes of one response body, streams included. */
  readonly maxResponseBytes: number;
  /** One SSE event or NDJSON line. */
  readonly maxEventBytes: number;
}

export interface HttpClientOptions {
  readonly timeouts?: Partial<HttpTimeouts>;
  readonly limits?: Partial<HttpLimits>;
  readonly retry?: Partial<RetryPolicy>;
  /** Sockets per origin (default 128): the local endpoint streams many clients' chats to one provider at once. */
  readonly connections?: number;
  /** Replaces DNS resolution (tests use it to simulate a lookup failure without a network). */
  readonly lookup?: LookupFunction;
}

/** `none`: the body is not read (a DELETE's empty answer), so its type is not checked. */
export type ExpectedBody = 'json' | 'sse' | 'ndjson' | 'none';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly expect: ExpectedBody;
  readonly signal?: AbortSignal | undefined;
  readonly timeouts?: Partial<HttpTimeouts> | undefined;
  readonly limits?: Partial<HttpLimits> | undefined;
  /** `false` sends exactly once (connection tests want the first answer, not the third). */
  readonly retry?: Partial<RetryPolicy> | false | undefined;
  /**
   * Whether sending it twice does no harm; default: every method but POST. A POST (a billed chat) is repeated only
   * when the provider cannot have started it (isSafeToRepeat); other requests on any transient failure.
   */
  readonly idempotent?: boolean | undefined;
  /** Values to scrub from any error text: the key in use. */
  readonly secrets?: readonly string[];
  /** Some providers put the wait in the error body (Gemini's google.rpc.RetryInfo). */
  readonly retryAfterFromBody?: (body: unknown) => number | undefined;
  /** Told of every response's headers, error answers and retries included (rate-limit headers for the usage tracker). */
  readonly onHeaders?: ((headers: ResponseHeaders) => void) | undefined;
}

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Body chunks with a way to say that they made up content (a whole event), which resets the idle timeout. */
export interface BodyChunks extends AsyncIterable<Uint8Array> {
  progress(): void;
}

/** A 2xx response whose body has not been read yet. Read it once, with one of the methods. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * Decoded (gzip/br/deflate), size-limited body chunks; breaking out of the loop closes the connection. Only
   * `progress()` (readSse and readNdjson call it per event) resets the idle timeout, never a byte on its own.
   */
  chunks(): BodyChunks;
  json(): Promise<unknown>;
  readonly limits: HttpLimits;
}

export const defaultTimeouts: HttpTimeouts = { connectMs: 10_000, headersMs: 300_000, bodyMs: 120_000, totalMs: 900_000 };
export const defaultLimits: HttpLimits = { maxResponseBytes: 32 * 1024 * 1024, maxEventBytes: 4 * 1024 * 1024 };
const maxErrorBodyBytes = 64 * 1024;

const contentTypes: Record<ExpectedBody, RegExp> = {
  json: /^application\/(?:[\w.+-]+\+)?json\b/i,
  sse: /^text\/event-stream\b/i,
  // Ollama answers `stream: false` requests with application/json on the same endpoints.
  ndjson: /^application\/(?:x-ndjson|jsonl|json)\b/i,
  none: /^/,
};

/** The one HTTP client of the extension: a keep-alive undici Agent with timeouts, limits, decoding and retries. */
export class HttpClient {
  private readonly agent: Agent;
  private readonly timeouts: HttpTimeouts;
  private readonly limits: HttpLimits;
  private readonly retryPolicy: RetryPolicy;

  constructor(options: HttpClientOptions = {}) {
    this.timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.limits = { ...defaultLimits, ...options.limits };
    this.retryPolicy = { ...defaultRetryPolicy, ...options.retry };
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connections: options.connections ?? 128,
      headersTimeout: this.timeouts.headersMs + 1_000,
      bodyTimeout: this.timeouts.bodyMs + 1_000,
      connect: { timeout: this.timeouts.connectMs, ...(options.lookup ? { lookup: options.lookup } : {}) },
    });
  }

  /** Sends a request and resolves with a 2xx response of the expected type; anything else is an HttpError. */
  send(request: HttpRequest): Promise<HttpResponse> {
    if (request.retry === false) return this.attempt(request);
    const policy = { ...this.retryPolicy, ...request.retry };
    const idempotent = request.idempotent ?? request.method !== 'POST';
    return withRetry(() => this.attempt(request), policy, request.signal, Math.random, idempotent ? isRetryable : isSafeToRepeat);
  }

  /** Closes idle sockets and refuses new requests. */
  close(): Promise<void> {
    return this.agent.close();
  }

  private async attempt(request: HttpRequest): Promise<HttpResponse> {
    const where = describeUrl(request.url);
    const timeouts = request.timeouts ? { ...this.timeouts, ...request.timeouts } : this.timeouts;
    const limits = request.limits ? { ...this.limits, ...request.limits } : this.limits;
    const exchange = new Exchange(timeouts, request.signal);
    let data: Dispatcher.ResponseData;
    try {
      data = await this.agent.request({
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers: {
          accept: request.expect === 'sse' ? 'text/event-stream' : request.expect === 'ndjson' ? 'application/x-ndjson' : 'application/json',
          'accept-encoding': 'gzip, br',
          ...(request.json === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.json === undefined ? null : JSON.stringify(request.json),
        signal: exchange.signal,
        // undici's own timers stay as a backstop behind the precise ones of the Exchange.
        headersTimeout: timeouts.headersMs + 1_000,
        bodyTimeout: timeouts.bodyMs + 1_000,
      });
    } catch (error) {
      exchange.done();
      throw exchange.explain(error, where, request.secrets);
    }
    exchange.headersReceived();
    const headers = data.headers;
    request.onHeaders?.(headers);
    const chunks = (max: number): BodyChunks =>
      Object.assign(readBody(data.body, headers, max, exchange, where, request.secrets), {
        progress: () => {
          exchange.touch();
        },
      });
    if (data.statusCode < 200 || data.statusCode >= 300) {
      const body = await readErrorBody(chunks(maxErrorBodyBytes), headers, request.secrets);
      const retryAfterMs = parseRetryAfter(headers) ?? request.retryAfterFromBody?.(body);
      // Redirects are never followed: the next request would carry the key to wherever the server pointed.
      const location = data.statusCode >= 300 && data.statusCode < 400 ? redirectTarget(headerValue(headers.location), request.url, request.secrets) : undefined;
      throw new HttpError('status', `${where} answered HTTP ${String(data.statusCode)}.`, {
        status: data.statusCode,
        body,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        ...(location === undefined ? {} : { location }),
      });
    }
    const contentType = headerValue(headers['content-type']) ?? '';
    if (!contentTypes[request.expect].test(contentType)) {
      discard(data.body);
      exchange.done();
      throw new HttpError('content-type', `${where} answered with ${contentType === '' ? 'no content type' : contentType}, not ${request.expect === 'sse' ? 'an event stream' : request.expect === 'ndjson' ? 'NDJSON' : 'JSON'}: is the base URL right?`);
    }
    return {
      status: data.statusCode,
      headers,
      limits,
      chunks: () => chunks(limits.maxResponseBytes),
      json: async () => parseJson(await collect(chunks(limits.maxResponseBytes)), `The response of ${where}`),
    };
  }
}

/**
 * One request's cancellation: the caller's signal, the total deadline, and the headers and idle-body timeouts (kept
 * here rather than left to undici, whose coarse timer wheel can overshoot a short timeout by a second).
 */
class Exchange {
  private readonly controller = new AbortController();
  private readonly deadline: NodeJS.Timeout;
  private phaseTimer: NodeJS.Timeout | undefined;
  private timedOut: string | undefined;
  private readonly onAbort = (): void => {
    this.controller.abort();
  };

  constructor(
    private readonly timeouts: HttpTimeouts,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    this.deadline = setTimeout(() => {
      this.expire(`did not finish within ${seconds(timeouts.totalMs)}`);
    }, timeouts.totalMs);
    if (callerSignal?.aborted) this.controller.abort();
    else callerSignal?.addEventListener('abort', this.onAbort, { once: true });
    this.arm(timeouts.headersMs, `did not answer within ${seconds(timeouts.headersMs)}`);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Headers arrived: from now on, bodyMs without content (a whole event) is the timeout. */
  headersReceived(): void {
    this.arm(this.timeouts.bodyMs, `sent no content for ${seconds(this.timeouts.bodyMs)}`);
  }

  /** Content arrived: a whole event or line, not a keep-alive comment or a stray byte. */
  touch(): void {
    this.phaseTimer?.refresh();
  }

  done(): void {
    clearTimeout(this.deadline);
    clearTimeout(this.phaseTimer);
    this.callerSignal?.removeEventListener('abort', this.onAbort);
  }

  explain(error: unknown, where: string, secrets: readonly string[] | undefined): HttpError {
    if (this.timedOut !== undefined) return new HttpError('timeout', `${where} ${this.timedOut}.`, { code: 'TIMEOUT' });
    if (this.callerSignal?.aborted) return new HttpError('aborted', `Request to ${where} was cancelled.`);
    const classified = classifyNetworkError(error, where);
    const message = redact(classified.message, secrets);
    return message === classified.message ? classified : new HttpError(classified.kind, message, classified.code === undefined ? {} : { code: classified.code });
  }

  private arm(ms: number, reason: string): void {
    clearTimeout(this.phaseTimer);
    this.phaseTimer = setTimeout(() => {
      this.expire(reason);
    }, ms);
  }

  private expire(reason: string): void {
    this.timedOut ??= reason;
    this.controller.abort();
  }
}

function seconds(ms: number): string {
  return `${String(ms / 1000)} s`;
}

/** Closes a body we will not read; the error that closing may emit has no one left to tell. */
function discard(body: Dispatcher.ResponseData['body']): void {
  // A body read to its end must be left alone: destroying it would close the keep-alive socket.
  if (body.destroyed || body.readableEnded) return;
  body.on('error', () => undefined);
  body.destroy();
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The body, decompressed and counted after decompression (a small gzip bomb must not fill memory). */
async function* readBody(
  body: Dispatcher.ResponseData['body'],
  headers: Readonly<Record<string, string | string[] | undefined>>,
  maxBytes: number,
  exchange: Exchange,
  where: string,
  secrets: readonly string[] | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  const encoding = headerValue(headers['content-encoding'])?.trim().toLowerCase() ?? '';
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'br' ? createBrotliDecompress() : encoding === 'deflate' ? createInflate() : undefined;
  const source: AsyncIterable<Uint8Array> = decoder ? body.pipe(decoder) : body;
  if (decoder) body.once('error', (error) => decoder.destroy(error));
  let total = 0;
  try {
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new HttpError('too-large', `The response of ${where} exceeds ${formatBytes(maxBytes)}.`);
      yield chunk;
    }
  } catch (error) {
    throw error instanceof HttpError ? error : exchange.explain(error, where, secrets);
  } finally {
    exchange.done();
    discard(body);
    decoder?.destroy();
  }
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return Buffer.concat(parts).toString('utf8');
}

/** An error body as JSON when it is JSON, else as (redacted) text; never more than a few KB of it. */
async function readErrorBody(chunks: AsyncIterable<Uint8Array>, headers: Readonly<Record<string, string | string[] | undefined>>, secrets: readonly string[] | undefined): Promise<unknown> {
  let text: string;
  try {
    text = await collect(chunks);
  } catch (error) {
    if (error instanceof HttpError && error.kind === 'too-large') return undefined;
    throw error;
  }
  const type = headerValue(headers['content-type']) ?? '';
  const trimmed = text.trim();
  if (/json|event-stream/i.test(type) || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return redact(trimmed, secrets).slice(0, 500);
    }
  }
  // Redacted before it is cut: a cut through the key would leave a prefix the redaction no longer recognises.
  return redact(trimmed, secrets).slice(0, 500);
}

/** A redirect's target as it may be shown: resolved against the request, origin and path only, keys redacted. */
function redirectTarget(location: string | undefined, base: URL, secrets: readonly string[] | undefined): string | undefined {
  if (location === undefined || location.trim() === '') return undefined;
  try {
    return redact(describeUrl(new URL(location.trim(), base)), secrets).slice(0, 300);
  } catch {
    return undefined;
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${String(Math.round(bytes / (1024 * 1024)))} MB` : `${String(Math.round(bytes / 1024))} KB`;
}

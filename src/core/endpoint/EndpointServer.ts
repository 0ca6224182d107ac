import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import type { ChatEvent, ChatRequest, ChatToolCall, FinishReason, Usage } from '../providers';
import { ClientLimits, type ClientLimitSettings } from './clientLimits';
import { anthropicError, AnthropicEventWriter, anthropicMessage, parseAnthropicMessages, type SseEvent } from './anthropicWire';
import { endpointFailure, type EndpointFailure } from './failures';
import { SseBatch } from './sseBatch';
import { OpenAIChunkWriter, openaiCompletion, openaiError, openaiModelList, parseOpenAIChat } from './openaiWire';
import type { WireParse, WireRequest } from './wireRequest';

/** A model the endpoint serves: its id for clients and the router group (a configuration or a route group) behind it. */
export interface ServedModel {
  readonly id: string;
  readonly groupId: string;
  /** Unix seconds, for `GET /v1/models`. */
  readonly created: number;
}

export interface EndpointClient {
  readonly id: string;
  readonly name: string;
  readonly scope: 'chat' | 'admin';
}

export interface EndpointDeps {
  models(): readonly ServedModel[];
  /** The answer from the router: route notices and any other event the endpoint does not write are skipped. */
  chat(groupId: string, request: ChatRequest, options: { readonly signal: AbortSignal; readonly client: EndpointClient }): AsyncIterable<ChatEvent | { readonly type: string }>;
  /** The client a token belongs to (compared in constant time by the verifier), or undefined. */
  authenticate(token: string): Promise<EndpointClient | undefined>;
  /** The signal aborts when the client goes away, so a count the provider makes is cancelled with it. */
  countTokens(groupId: string, request: ChatRequest, options?: { readonly signal: AbortSignal }): Promise<number>;
  /** Answers the management API under /api/ (see managementApi) once the token is checked; without it /api/ is not served. */
  readonly api?: (req: IncomingMessage, res: ServerResponse, client: EndpointClient) => Promise<void>;
  readonly logger?: Logger;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes?: number;
  /** How long a client has to send its whole body once its headers are in, in milliseconds. */
  readonly bodyTimeoutMs?: number;
  readonly newId?: () => string;
  /** Unix seconds for `created`. */
  readonly nowSeconds?: () => number;
  /** Per-client concurrency and rate limits (DEFAULT_CLIENT_LIMITS when absent). */
  readonly limits?: ClientLimitSettings;
}

export interface RunningEndpoint {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 60_000;
/** Deeper than any tool schema or message a client writes; JSON.stringify overflows the stack long before 100 000. */
const MAX_JSON_DEPTH = 256;

type Api = 'openai' | 'anthropic';

/**
 * The local endpoint: OpenAI's and Anthropic's model APIs on the loopback interface, answered by the router so every
 * request gets the configurations' keys, budgets, fallback and usage tracking. It binds 127.0.0.1 and ::1 only,
 * whatever it is asked, and refuses what a browser page could send it (a foreign Host, any Origin).
 */
export async function startEndpoint(deps: EndpointDeps, options: { readonly port: number }): Promise<RunningEndpoint> {
  const limits = new ClientLimits(deps.limits);
  const v4 = await listen(deps, limits, options.port, '127.0.0.1');
  const { port } = v4.address() as AddressInfo;
  const servers = [v4];
  try {
    // "localhost" may resolve to ::1 first: serve it there too, on the same port.
    servers.push(await listen(deps, limits, port, '::1'));
  } catch (error) {
    // A machine without IPv6 has no ::1 to bind; anything else (the port taken on ::1) must not leave half an endpoint.
    if (!isCodeOf(error, 'EADDRNOTAVAIL') && !isCodeOf(error, 'EAFNOSUPPORT')) {
      await closeServer(v4);
      throw error;
    }
    deps.logger?.info('Local endpoint: IPv6 loopback (::1) is not available here; serving 127.0.0.1 only.');
  }
  return {
    port,
    url: `http://127.0.0.1:${String(port)}`,
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}

function listen(deps: EndpointDeps, limits: ClientLimits, port: number, address: '127.0.0.1' | '::1'): Promise<Server> {
  // Nagle off (Node's default, said here): a stream's batched events must not wait for the client's ACK.
  const server = createServer({ noDelay: true }, (req, res) => {
    void handle(deps, limits, server, req, res).catch((error: unknown) => {
      deps.logger?.error(`Local endpoint: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, openaiError(500, 'Model Manager could not answer this request; its log says why.'));
      else res.destroy();
    });
  });
  server.headersTimeout = 30_000;
  // Node's own limit on receiving a whole request (checked every 30 s) also ends a refused request whose body trickles.
  server.requestTimeout = Math.max(deps.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS, server.headersTimeout + 1);
  return new Promise<Server>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: address, ipv6Only: address === '::1' }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}

function isCodeOf(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

async function handle(deps: EndpointDeps, limits: ClientLimits, server: Server, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const api: Api = path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
  const fail = (status: number, message: string, code?: string): void => {
    send(res, status, api === 'anthropic' ? anthropicError(status, message) : openaiError(status, message, code !== undefined ? { code } : {}));
  };
  const { port } = server.address() as AddressInfo;
  // A page on another site can make the browser send requests here (DNS rebinding, form posts): the Host must be the
  // loopback address the endpoint listens on, and browsers say where they come from in Origin, which no tool sends.
  if (!loopbackHost(req.headers.host, port)) { fail(421, 'This endpoint answers only requests addressed to 127.0.0.1 or localhost.'); return; }
  if (req.headers.origin !== undefined) { fail(403, 'Requests from web pages are refused: the local endpoint serves tools on this machine only.'); return; }

  const token = tokenOf(req);
  const client = token === undefined ? undefined : await deps.authenticate(token);
  if (!client) {
    fail(401, token === undefined ? 'Send a Model Manager client token (Authorization: Bearer … or x-api-key).' : 'This client token is not valid: create one with "Model Manager: Create Client Token".'); return;
  }
  const admission = limits.admit(client.id);
  if (!admission.ok) {
    res.setHeader('retry-after', String(admission.retryAfterSeconds));
    fail(429, admission.message, 'rate_limit_exceeded'); return;
  }
  res.on('close', () => {
    admission.release();
  });

  if (deps.api && (path === '/api' || path.startsWith('/api/'))) { await deps.api(req, res, client); return; }
  if (req.method === 'GET' && path === '/v1/models') { send(res, 200, openaiModelList(deps.models())); return; }
  const route = req.method === 'POST' ? ROUTES[path] : undefined;
  if (!route) { fail(404, `${req.method ?? 'GET'} ${path.slice(0, 200)} is not served here.`); return; }

  const body = await readBody(req, deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, deps.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
  if (body.kind === 'timeout') {
    // Connection: close makes Node close the socket once the answer is written, the rest of the body unread.
    res.setHeader('connection', 'close');
    fail(408, 'The request body did not arrive in time: send the whole body at once.');
    return;
  }
  if (body.kind === 'too-large') {
    fail(413, `The request body is larger than ${String(Math.round((deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) / 1024 / 1024))} MB.`);
    req.destroy();
    return;
  }
  if (body.kind === 'aborted') return;
  let json: unknown;
  try {
    json = JSON.parse(body.text) as unknown;
  } catch {
    fail(400, 'The request body is not valid JSON.'); return;
  }
  if (nestedDeeperThan(json, MAX_JSON_DEPTH)) { fail(400, `The request body is nested more than ${String(MAX_JSON_DEPTH)} levels deep.`); return; }
  const parsed: WireParse = route.parse(json);
  if (!parsed.ok) { send(res, 400, route.api === 'anthropic' ? anthropicError(400, parsed.refusal.message) : openaiError(400, parsed.refusal.message, parsed.refusal.param !== undefined ? { param: parsed.refusal.param } : {})); return; }
  const served = deps.models().find((m) => m.id === parsed.value.model);
  if (!served) { fail(404, `The model "${parsed.value.model.slice(0, 200)}" is not served here: GET /v1/models lists the configurations and route groups you can use.`, 'model_not_found'); return; }

  if (route.kind === 'count') {
    const gone = abortOnClientGone(res);
    let tokens: number;
    try {
      tokens = await deps.countTokens(served.groupId, parsed.value.request, { signal: gone.signal });
    } catch (error) {
      if (gone.signal.aborted) return;
      // A count that cannot be made is told in Anthropic's shape with its own status (a model gone is a 404), as a chat is.
      const failure = endpointFailure(error);
      if (failure.status === 500) deps.logger?.error(`Local endpoint: ${error instanceof Error ? error.message : String(error)}`);
      sendFailure(res, route.api, failure); return;
    }
    if (!gone.signal.aborted) send(res, 200, { input_tokens: tokens });
    return;
  }
  await answer(deps, req, res, route.api, parsed.value, served, client);
}

const ROUTES: Readonly<Record<string, { readonly api: Api; readonly kind: 'chat' | 'count'; parse(body: unknown): WireParse }>> = {
  '/v1/chat/completions': { api: 'openai', kind: 'chat', parse: parseOpenAIChat },
  '/v1/messages': { api: 'anthropic', kind: 'chat', parse: (body) => parseAnthropicMessages(body) },
  '/v1/messages/count_tokens': { api: 'anthropic', kind: 'count', parse: (body) => parseAnthropicMessages(body, { countOnly: true }) },
};

/**
 * Streams or collects the router's answer. The first event is awaited before the status is sent, so a request that
 * fails before any output (a budget stop, every member down) gets its own status; later failures end the stream with
 * the API's error event. A client that goes away cancels the upstream request.
 */
async function answer(deps: EndpointDeps, req: IncomingMessage, res: ServerResponse, api: Api, wire: WireRequest, served: ServedModel, client: EndpointClient): Promise<void> {
  const controller = abortOnClientGone(res);
  const id = deps.newId?.() ?? randomId();
  const created = deps.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
  const collected = { text: '', toolCalls: [] as ChatToolCall[], usage: undefined as Usage | undefined, finish: 'stop' as FinishReason };

  let events: AsyncIterator<ChatEvent | { readonly type: string }>;
  let first: IteratorResult<ChatEvent | { readonly type: string }>;
  try {
    // Inside the try: a router that refuses at once (a budget stop) may throw before it returns an iterable.
    events = deps.chat(served.groupId, wire.request, { signal: controller.signal, client })[Symbol.asyncIterator]();
    first = await nextAnswerEvent(events);
  } catch (error) {
    if (controller.signal.aborted) return;
    const failure = endpointFailure(error);
    sendFailure(res, api, failure); return;
  }

  if (!wire.stream) {
    try {
      for (let step = first; !step.done; step = await nextAnswerEvent(events)) collect(collected, step.value as ChatEvent);
    } catch (error) {
      if (controller.signal.aborted) return;
      sendFailure(res, api, endpointFailure(error)); return;
    }
    const model = wire.model;
    send(res, 200, api === 'anthropic' ? anthropicMessage({ id: `msg_${id}`, model, ...collected }) : openaiCompletion({ id: `chatcmpl-${id}`, model, created, ...collected })); return;
  }

  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const out = new SseBatch(res);
  const writer = api === 'anthropic' ? anthropicStream(out, `msg_${id}`, wire.model) : openaiStream(out, `chatcmpl-${id}`, wire.model, created, wire.includeUsage);
  try {
    let restarted = false;
    // The router's notices are skipped here rather than in nextAnswerEvent: one async step per event, not two.
    for (let step = first; !step.done; step = await events.next()) {
      if (!ANSWER_EVENTS.has(step.value.type)) {
        // A client cannot take back what it was sent: a restart on another member would append a second answer.
        restarted = isRestart(step.value) && (collected.text !== '' || collected.toolCalls.length > 0);
        if (restarted) break;
        continue;
      }
      const event = step.value as ChatEvent;
      collect(collected, event);
      writer.event(event);
      // A client that reads slowly (or not at all) holds the upstream back instead of filling this process's memory.
      if (res.writableNeedDrain) await drained(res);
    }
    if (restarted) {
      await events.return?.(undefined);
      writer.fail(restartRefused);
    } else writer.end(collected.finish, collected.usage);
  } catch (error) {
    if (controller.signal.aborted) return;
    writer.fail(endpointFailure(error));
  }
  out.end();
}

/** Aborts when the connection closes before the whole answer was written: the client went away. */
function abortOnClientGone(res: ServerResponse): AbortController {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller;
}

/** Resolves once the response's buffer has room again, or the client is gone (its close aborts the upstream). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The next event the APIs write (text, tool calls, usage, finish); the router's notices are skipped. */
async function nextAnswerEvent(events: AsyncIterator<ChatEvent | { readonly type: string }>): Promise<IteratorResult<ChatEvent | { readonly type: string }>> {
  for (;;) {
    const step = await events.next();
    if (step.done || ANSWER_EVENTS.has(step.value.type)) return step;
  }
}

const ANSWER_EVENTS = new Set(['text', 'tool-call', 'usage', 'finish']);

/** The router's notice that it starts the answer over on another member (the group allows restarts). */
function isRestart(event: { readonly type: string }): boolean {
  return event.type === 'route' && (event as { readonly kind?: unknown }).kind === 'restarted';
}

const restartRefused: EndpointFailure = {
  status: 502,
  message: 'The model failed after it had started answering. The answer is incomplete; it was not restarted on another model, since part of it was already sent. Send it again.',
};

function collect(into: { text: string; toolCalls: ChatToolCall[]; usage: Usage | undefined; finish: FinishReason }, event: ChatEvent): void {
  if (event.type === 'text') into.text += event.text;
  else if (event.type === 'tool-call') into.toolCalls.push(event.call);
  else if (event.type === 'usage') into.usage = event.usage;
  else if (event.type === 'finish') into.finish = event.reason;
}

interface StreamWriter {
  event(event: ChatEvent): void;
  end(finish: FinishReason, usage: Usage | undefined): void;
  fail(failure: EndpointFailure): void;
}

function openaiStream(out: SseBatch, id: string, model: string, created: number, includeUsage: boolean): StreamWriter {
  const chunks = new OpenAIChunkWriter(id, model, created);
  const data = (value: unknown): void => {
    out.write(`data: ${JSON.stringify(value)}\n\n`);
  };
  data(chunks.start());
  return {
    event(event) {
      if (event.type === 'text') out.write(`data: ${chunks.textJson(event.text)}\n\n`);
      else if (event.type === 'tool-call') data(chunks.toolCall(event.call));
    },
    end(finish, usage) {
      data(chunks.finish(finish));
      if (includeUsage) data(chunks.usage(usage ?? { input: 0, output: 0, cached: 0 }));
      out.write('data: [DONE]\n\n');
    },
    // OpenAI reports an error after the stream began as a data line with an `error` object.
    fail(failure) {
      data(openaiError(failure.status, failure.message, failure.code !== undefined ? { code: failure.code } : {}));
    },
  };
}

function anthropicStream(out: SseBatch, id: string, model: string): StreamWriter {
  const writer = new AnthropicEventWriter(id, model);
  const write = (events: readonly SseEvent[]): void => {
    for (const e of events) out.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
  };
  write(writer.start());
  return {
    event(event) {
      if (event.type === 'text') write(writer.text(event.text));
      else if (event.type === 'tool-call') write(writer.toolCall(event.call));
    },
    end(finish, usage) {
      write(writer.finish(finish, usage));
    },
    fail(failure) {
      write([{ event: 'error', data: anthropicError(failure.status, failure.message) }]);
    },
  };
}

function sendFailure(res: ServerResponse, api: Api, failure: EndpointFailure): void {
  const headers: Record<string, string> = failure.retryAfterMs !== undefined ? { 'retry-after': String(Math.max(1, Math.ceil(failure.retryAfterMs / 1000))) } : {};
  // 499 is nginx's "client closed": nobody reads it, but keep a status a client library knows.
  const status = failure.status === 499 ? 400 : failure.status;
  send(res, status, api === 'anthropic' ? anthropicError(status, failure.message) : openaiError(status, failure.message, failure.code !== undefined ? { code: failure.code } : {}), headers);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function loopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const p = String(port);
  // Host names are case-insensitive (RFC 3986 3.2.2): LOCALHOST is the same host.
  const h = host.toLowerCase();
  return h === `127.0.0.1:${p}` || h === `localhost:${p}` || h === `[::1]:${p}`;
}

/** The client token: `Authorization: Bearer …` (OpenAI clients) or `x-api-key` (Anthropic clients). */
function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+\S/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const key = req.headers['x-api-key'];
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/** Whether `value` holds arrays or objects more than `limit` deep; iterative, so no depth overflows this check itself. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: { readonly value: unknown; readonly depth: number }[] = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= limit) return true;
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return false;
}

type Body = { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'too-large' } | { readonly kind: 'timeout' } | { readonly kind: 'aborted' };

/**
 * Reads the body up to `limit` bytes; past it, stops reading at once (a 50 MB body is not buffered to be refused).
 * A body not whole within `timeoutMs` is given up on: a client that trickles it or never ends it holds nothing for long.
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Body> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const timer = setTimeout(() => {
      req.pause();
      settle({ kind: 'timeout' });
    }, timeoutMs);
    const settle = (body: Body): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(body);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        settle({ kind: 'too-large' });
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      settle({ kind: 'ok', text: Buffer.concat(parts).toString('utf8') });
    });
    req.on('error', () => {
      settle({ kind: 'aborted' });
    });
    req.on('close', () => {
      settle({ kind: 'aborted' });
    });
  });
}

function randomId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 24);
}

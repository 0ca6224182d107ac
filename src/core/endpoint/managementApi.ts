import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import { MAX_MESSAGE_BYTES, tooLarge, type RpcError } from '../../protocol/envelope';
import { printableName } from '../../protocol/names';
import { methods } from '../../protocol/rpc';
import { chartPeriodSchema } from '../../protocol/usage';
import { apiKeySetText, type ConfigurationView } from '../../protocol/views';
import type { Logger } from '../logger';
import { SEALED_HEADER_VALUE } from '../providers/secretHeaders';
import type { EndpointClient } from './EndpointServer';

/** The editor protocol's methods the management API serves: the seed's REST endpoints are these methods. */
export type ManagementMethod =
  | 'configurations.list'
  | 'configurations.get'
  | 'configurations.create'
  | 'configurations.update'
  | 'configurations.delete'
  | 'configurations.test'
  | 'configurations.usage'
  | 'configurations.rotateKey'
  | 'configurations.validate'
  | 'providers.list'
  | 'providers.models'
  | 'providers.schema';

export type ManagementAnswer = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: RpcError };

/** What the management API needs from the session: the editor's own method handlers, and the audit log. */
export interface ManagementDeps {
  /** Runs one method as the editor's handlers do (params validated again there); never throws. */
  call(method: ManagementMethod, params: unknown, signal: AbortSignal): Promise<ManagementAnswer>;
  /** Records what a client changed, with the client as the actor. */
  audit(action: string, targetType: string, targetId: string | null, details: Readonly<Record<string, unknown>>): Promise<void>;
  readonly logger?: Logger;
}

/** The management API's own answer to one request under /api/ (the endpoint has checked Host, Origin and the token). */
export type ManagementHandler = (req: IncomingMessage, res: ServerResponse, client: EndpointClient) => Promise<void>;

type Query = URLSearchParams;
type Params = Readonly<Record<string, string>>;

interface Call {
  readonly client: EndpointClient;
  readonly params: Params;
  readonly query: Query;
  readonly body: Record<string, unknown>;
  readonly signal: AbortSignal;
}

/** A reply: the status and the JSON body. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The configuration a change made, for the audit log (a created one has no id in the path). */
  readonly target?: string;
}

interface Operation {
  /** The audit action of a change; reads are not recorded. */
  readonly audit?: string;
  run(deps: ManagementDeps, call: Call): Promise<Reply>;
}

interface Route {
  readonly pattern: RegExp;
  /** What the path's groups are called, in order. */
  readonly names: readonly string[];
  readonly operations: Readonly<Partial<Record<string, Operation>>>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** HTTP statuses of the editor protocol's error codes. */
const STATUS_OF: Readonly<Record<RpcError['code'], number>> = {
  'invalid-request': 400,
  'unknown-method': 404,
  validation: 400,
  'duplicate-name': 409,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  'key-unavailable': 409,
  'keys-need-reentry': 503,
  budget: 429,
  cancelled: 400,
  provider: 502,
  internal: 500,
};

/**
 * The seed's REST API under /api/, for scripts that manage configurations: JSON in and out, validated with the editor
 * protocol's schemas and answered by the editor's own handlers, so a configuration comes back as the editor sees it —
 * a key only as "set (…abcd)". Only clients whose token has the `admin` scope may use it, and every change is in the
 * audit log under the client's name.
 */
export function managementApi(deps: ManagementDeps): ManagementHandler {
  return async (req, res, client) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    const method = req.method ?? 'GET';
    let operation: Operation | undefined;
    let reply: Reply;
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    // The path is the client's text (a key typed into it by mistake too): answers and the audit log name the route.
    let found: { route: Route; params: Params } | undefined;
    try {
      if (client.scope !== 'admin') {
        throw new Refusal(403, 'scope', `This client token has the "${client.scope}" scope: the management API under /api/ needs a token with the "admin" scope (create one with "Model Manager: Create Client Token").`);
      }
      found = route(path);
      if (!found) throw new Refusal(404, 'not-found', `${method} on this path is not part of the management API. GET /api/configurations lists the configurations.`);
      operation = Object.hasOwn(found.route.operations, method) ? found.route.operations[method] : undefined;
      if (!operation) {
        const allow = Object.keys(found.route.operations).join(', ');
        throw new Refusal(405, 'method-not-allowed', `${method} is not allowed on ${templateOf(found.route)}; use ${allow}.`, {}, { allow });
      }
      const body = method === 'GET' || method === 'DELETE' ? {} : await readJson(req);
      if (body === undefined) return;
      reply = await operation.run(deps, { client, params: found.params, query: url.searchParams, body, signal: controller.signal });
    } catch (error) {
      reply = refusalReply(error, deps.logger);
    }
    if (controller.signal.aborted) return;
    if (method !== 'GET') {
      found ??= quietRoute(path);
      const request = `${method} ${found ? templateOf(found.route) : '(not a route of the management API)'}`;
      await record(deps, client, operation?.audit ?? 'api.refused', reply.target ?? (await targetOf(deps, path, reply, controller.signal)), request, reply.status);
    }
    send(res, reply);
  };
}

/** The route a path takes, or undefined (a path whose percent-encoding is broken too). */
function quietRoute(path: string): { route: Route; params: Params } | undefined {
  try {
    return route(path);
  } catch {
    return undefined;
  }
}

/** "/api/configurations/:id/test": the route as the audit log and the answers name it, never the path's own text. */
function templateOf(r: Route): string {
  const parts = r.pattern.source.replace(/^\^|\$$/g, '').replaceAll('\\/', '/').split(SEGMENT);
  return parts.map((part, i) => (i === 0 ? part : `:${r.names[i - 1] ?? 'value'}${part}`)).join('');
}

/**
 * The configuration a change was aimed at, for the audit log: the id in the path once the change was made (it named
 * one), else only when it names a stored configuration — an id that names none is the client's text, a key perhaps.
 */
async function targetOf(deps: ManagementDeps, path: string, reply: Reply, signal: AbortSignal): Promise<string | null> {
  const raw = /^\/api\/configurations\/([^/]+)/.exec(path)?.[1];
  if (raw === undefined) return null;
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (reply.status < 400 && quietRoute(path) !== undefined) return id;
  return (await deps.call('configurations.get', { id }, signal)).ok ? id : null;
}

function route(path: string): { route: Route; params: Params } | undefined {
  for (const r of ROUTES) {
    const match = r.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    for (const [index, name] of r.names.entries()) {
      const raw = match[index + 1] ?? '';
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        throw new Refusal(400, 'invalid-request', `The ${name} in the path is not valid percent-encoding.`);
      }
    }
    return { route: r, params };
  }
  return undefined;
}

const SEGMENT = '([^/]+)';

const ROUTES: readonly Route[] = [
  {
    pattern: /^\/api\/configurations$/,
    names: [],
    operations: {
      GET: { run: async (deps, c) => ok(200, withKeyText(await answer(deps, 'configurations.list', noQuery(c, {}), c))) },
      POST: {
        audit: 'api.configuration.create',
        run: async (deps, c) => {
          const created = withKeyText(await answer(deps, 'configurations.create', noQuery(c, c.body), c)) as ConfigurationView;
          return { status: 201, body: created, headers: { location: `/api/configurations/${encodeURIComponent(created.id)}` }, target: created.id };
        },
      },
    },
  },
  {
    pattern: new RegExp(`^/api/configurations/${SEGMENT}$`),
    names: ['id'],
    operations: {
      GET: { run: async (deps, c) => ok(200, withKeyText(await answer(deps, 'configurations.get', noQuery(c, { id: c.params.id }), c))) },
      PUT: { audit: 'api.configuration.update', run: update },
      DELETE: { audit: 'api.configuration.delete', run: async (deps, c) => ok(200, await answer(deps, 'configurations.delete', noQuery(c, { id: c.params.id }), c)) },
    },
  },
  {
    pattern: new RegExp(`^/api/configurations/${SEGMENT}/test$`),
    names: ['id'],
    operations: { POST: { audit: 'api.configuration.test', run: async (deps, c) => ok(200, await answer(deps, 'configurations.test', noQuery(c, { ...c.body, id: c.params.id }), c)) } },
  },
  {
    pattern: new RegExp(`^/api/configurations/${SEGMENT}/usage$`),
    names: ['id'],
    operations: { GET: { run: async (deps, c) => ok(200, await answer(deps, 'configurations.usage', { id: c.params.id, ...periodOf(c.query) }, c)) } },
  },
  {
    pattern: new RegExp(`^/api/configurations/${SEGMENT}/rotate-key$`),
    names: ['id'],
    operations: {
      POST: {
        audit: 'api.configuration.rotateKey',
        run: async (deps, c) => ok(200, withKeyText(await answer(deps, 'configurations.rotateKey', noQuery(c, { ...c.body, id: c.params.id }), c))),
      },
    },
  },
  {
    pattern: /^\/api\/providers$/,
    names: [],
    operations: { GET: { run: async (deps, c) => ok(200, await answer(deps, 'providers.list', noQuery(c, {}), c)) } },
  },
  {
    pattern: new RegExp(`^/api/providers/${SEGMENT}/models$`),
    names: ['name'],
    operations: { GET: { run: models } },
  },
  {
    pattern: new RegExp(`^/api/providers/${SEGMENT}/schema$`),
    names: ['name'],
    operations: {
      GET: {
        run: async (deps, c) => {
          await knownProvider(deps, c);
          return ok(200, await answer(deps, 'providers.schema', noQuery(c, { provider: c.params.name }), c));
        },
      },
    },
  },
];

/**
 * `PUT /api/configurations/:id`: the fields sent change, the others stay. `baseUpdatedAt` (the `updatedAt` read) makes
 * a change made meanwhile a 409; without it the last write wins. A new address for a configuration that holds a key
 * needs the key again in the same request: the stored key is never sent anywhere a client chose.
 */
async function update(deps: ManagementDeps, c: Call): Promise<Reply> {
  const id = c.params.id ?? '';
  if ('id' in c.body && c.body.id !== id) throw new Refusal(400, 'invalid-request', 'The id is the one in the path: leave it out of the body.', { issues: [{ path: ['id'], message: 'must match the path' }] });
  const current = (await answer(deps, 'configurations.get', noQuery(c, { id }), c)) as ConfigurationView;
  const { apiKey, ...rest } = c.body;
  const params = { baseUpdatedAt: current.updatedAt, ...rest, id };
  valid('configurations.update', { ...params, ...(apiKey === undefined ? {} : { apiKey }) });
  const settings = typeof rest.settings === 'object' && rest.settings !== null ? (rest.settings as Record<string, unknown>) : undefined;
  // Settings without an address mean the provider's default address, which the stored one may already be.
  const address = settings === undefined ? undefined : settings.baseUrl ?? (await defaultAddress(deps, current.provider, c));
  if (settings && originOf(address) !== originOf(current.baseUrl)) {
    if (current.apiKey.set && typeof apiKey !== 'string') {
      throw new Refusal(400, 'key-required', `A new address for "${printableName(current.name)}" needs its API key again: send "apiKey" with the new settings. The stored key is only ever sent to the address it was saved for.`, {
        issues: [{ path: ['apiKey'], message: 'required when the address changes' }],
      });
    }
    if (keepsSealedHeader(settings)) {
      throw new Refusal(400, 'key-required', `A new address for "${printableName(current.name)}" needs its credential headers again: send their values, not "${SEALED_HEADER_VALUE}".`, {
        issues: [{ path: ['settings', 'headers'], message: 'send the values again when the address changes' }],
      });
    }
    // The settings are checked first, so a refusal names their fields; the key and the address are then saved as one change.
    const check = (await answer(deps, 'configurations.validate', { provider: current.provider, settings }, c)) as { ok: boolean; errors: { field: string; message: string }[] };
    if (!check.ok) {
      throw new Refusal(400, 'validation', `Check the settings: ${check.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`, {
        issues: check.errors.map((e) => ({ path: e.field.split('.'), message: e.message })),
      });
    }
  }
  return ok(200, withKeyText(await answer(deps, 'configurations.update', { ...params, ...(apiKey === undefined ? {} : { apiKey }) }, c)));
}

/**
 * `GET /api/providers/:name/models`: the provider's models at its default address (or `?baseUrl=` for a server that
 * needs no key), or with `?configuration=<id>` at that configuration's own address with its stored key.
 */
async function models(deps: ManagementDeps, c: Call): Promise<Reply> {
  const provider = c.params.name ?? '';
  await knownProvider(deps, c);
  const allowed = new Set(['configuration', 'baseUrl', 'refresh']);
  unknownQuery(c.query, allowed);
  const configurationId = c.query.get('configuration');
  const baseUrl = c.query.get('baseUrl');
  const refresh = c.query.get('refresh');
  if (refresh !== null && refresh !== 'true' && refresh !== 'false') throw new Refusal(400, 'invalid-request', 'refresh is true or false.', { issues: [{ path: ['refresh'], message: 'true or false' }] });
  let settings: Record<string, unknown> = baseUrl === null ? {} : { baseUrl };
  if (configurationId !== null) {
    if (baseUrl !== null) {
      throw new Refusal(400, 'invalid-request', 'A configuration lists its models at its own address: leave out baseUrl (its stored key goes nowhere else).', { issues: [{ path: ['baseUrl'], message: 'not with configuration' }] });
    }
    const configuration = (await answer(deps, 'configurations.get', { id: configurationId }, c)) as ConfigurationView;
    if (configuration.provider !== provider) {
      throw new Refusal(400, 'invalid-request', `"${printableName(configuration.name)}" is a ${configuration.provider} configuration: ask /api/providers/${encodeURIComponent(configuration.provider)}/models for its models.`, {
        issues: [{ path: ['configuration'], message: `a ${configuration.provider} configuration` }],
      });
    }
    settings = configuration.settings;
  }
  const draft = { provider, settings, ...(configurationId === null ? {} : { configurationId }) };
  return ok(200, await answer(deps, 'providers.models', { draft, ...(refresh === null ? {} : { refresh: refresh === 'true' }) }, c));
}

/** The address a provider's settings default to (its JSON Schema's baseUrl default), if it has one. */
async function defaultAddress(deps: ManagementDeps, provider: string, c: Call): Promise<unknown> {
  const schema = (await answer(deps, 'providers.schema', { provider }, c)) as { properties?: { baseUrl?: { default?: unknown } } };
  return schema.properties?.baseUrl?.default;
}

async function knownProvider(deps: ManagementDeps, c: Call): Promise<void> {
  const name = c.params.name ?? '';
  const providers = (await answer(deps, 'providers.list', {}, c)) as readonly { readonly id: string }[];
  if (!providers.some((p) => p.id === name)) {
    const known = [...new Set(providers.map((p) => p.id))].join(', ');
    throw new Refusal(404, 'not-found', `There is no provider "${name.slice(0, 100)}". Known providers: ${known}.`);
  }
}

/** `?period=day|week|month` or `?from=…&to=…` (ISO dates or times, UTC); this month when neither is given. */
function periodOf(query: Query): { period?: unknown } {
  unknownQuery(query, new Set(['period', 'from', 'to']));
  const period = query.get('period');
  const from = query.get('from');
  const to = query.get('to');
  if (period !== null && (from !== null || to !== null)) throw new Refusal(400, 'invalid-request', 'Ask for a period or a range (from and to), not both.', { issues: [{ path: ['period'], message: 'not with from and to' }] });
  if (period !== null) return { period };
  if (from === null && to === null) return {};
  const range = { from: from ?? '', to: to ?? '' };
  const parsed = z.safeParse(chartPeriodSchema, range);
  if (!parsed.success || from === null || to === null) {
    throw new Refusal(400, 'invalid-request', 'A range needs both from and to (ISO dates or times, UTC).', { issues: [{ path: [from === null ? 'from' : 'to'], message: 'required with the other' }] });
  }
  return { period: range };
}

function unknownQuery(query: Query, allowed: ReadonlySet<string>): void {
  const unknown = [...new Set(query.keys())].filter((k) => !allowed.has(k));
  if (unknown.length > 0) {
    throw new Refusal(400, 'invalid-request', `Unknown query parameter ${unknown.map((k) => `"${k.slice(0, 50)}"`).join(', ')}.`, { issues: unknown.map((k) => ({ path: [k.slice(0, 50)], message: 'not a parameter of this route' })) });
  }
}

/** Params for a method that takes no query: a query string there is a mistake worth saying. */
function noQuery<T>(c: Call, params: T): T {
  unknownQuery(c.query, new Set());
  return params;
}

/** Validates with the editor protocol's schema, runs the method and returns its result checked against its schema. */
async function answer(deps: ManagementDeps, method: ManagementMethod, params: unknown, c: Call): Promise<unknown> {
  valid(method, params);
  const reply = await deps.call(method, params, c.signal);
  if (!reply.ok) {
    const { code, fieldErrors } = reply.error;
    // The editor's "The configuration <id> no longer exists" would hand back whatever the client put in the path.
    const message = code === 'not-found' && c.params.id !== undefined ? 'The configuration named in the path no longer exists (or never did): GET /api/configurations lists the configurations.' : reply.error.message;
    throw new Refusal(STATUS_OF[code], code, message, fieldErrors ? { issues: fieldErrors.map((e) => ({ path: e.field.split('.'), message: e.message })) } : {});
  }
  // Only what the editor's schema allows leaves: its views have no field that could hold a key.
  const checked = z.safeParse(methods[method].result, reply.result);
  if (!checked.success) throw new Error(`the answer to ${method} did not match its schema`);
  return checked.data;
}

function valid(method: ManagementMethod, params: unknown): void {
  const parsed = z.safeParse(methods[method].params, params);
  if (parsed.success) return;
  const issues = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path.map(String), key], message: 'not a field of this request' }))
      : [{ path: issue.path.map(String), message: issue.message }],
  );
  const first = issues[0];
  const where = first && first.path.length > 0 ? first.path.join('.') : 'the body';
  throw new Refusal(400, 'invalid-request', `Check ${where}: ${first?.message ?? 'not valid'}.`, { issues });
}

/** The configuration views with their key said as the editor says it: "set (…abcd)". */
function withKeyText(result: unknown): unknown {
  const describe = (view: ConfigurationView) => ({
    ...view,
    apiKey: { ...view.apiKey, description: view.apiKey.set ? (view.apiKey.readable ? apiKeySetText(view.apiKey.lastFour) : 'set, but it cannot be opened: enter it again') : 'not set' },
  });
  return Array.isArray(result) ? (result as ConfigurationView[]).map(describe) : describe(result as ConfigurationView);
}

function ok(status: number, body: unknown): Reply {
  return { status, body };
}

function originOf(url: unknown): string {
  if (typeof url !== 'string' || url === '') return '(default)';
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function keepsSealedHeader(settings: Readonly<Record<string, unknown>>): boolean {
  const headers = settings.headers;
  return typeof headers === 'object' && headers !== null && Object.values(headers).includes(SEALED_HEADER_VALUE);
}

/** The body as JSON: an object, or empty (no fields); anything else is refused with its status. Undefined: the client left. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const text = await readText(req);
  if (text === undefined) return undefined;
  if (text.trim() === '') return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new Refusal(415, 'unsupported-media-type', `Send the body as JSON (Content-Type: application/json)${type ? `, not ${type.slice(0, 100)}` : ''}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, 'invalid-json', 'The request body is not valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Refusal(400, 'invalid-request', 'The request body is a JSON object.', { issues: [{ path: [], message: 'expected an object' }] });
  if (tooLarge(json)) throw new Refusal(413, 'too-large', 'The request body is too large or nested too deeply.');
  return json as Record<string, unknown>;
}

/**
 * The body's text, up to MAX_MESSAGE_BYTES: past it, reading stops and the answer closes the connection (a large body
 * is not buffered to be refused). The endpoint's own request timeout ends a body that never finishes.
 */
function readText(req: IncomingMessage): Promise<string | undefined> {
  const tooBig = (): Refusal => new Refusal(413, 'too-large', `The request body is larger than ${String(MAX_MESSAGE_BYTES / 1_000_000)} MB.`, {}, { connection: 'close' });
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_MESSAGE_BYTES) return Promise.reject(tooBig());
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      done();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_MESSAGE_BYTES) {
        req.pause();
        settle(() => {
          reject(tooBig());
        });
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      settle(() => {
        resolve(Buffer.concat(parts).toString('utf8'));
      });
    });
    req.on('error', () => {
      settle(() => {
        resolve(undefined);
      });
    });
    req.on('close', () => {
      settle(() => {
        resolve(undefined);
      });
    });
  });
}

function refusalReply(error: unknown, logger: Logger | undefined): Reply {
  if (error instanceof Refusal) return { status: error.status, body: { error: { message: error.message, code: error.code, ...error.extra } }, headers: error.headers };
  logger?.error(`Local endpoint management API: ${error instanceof Error ? error.message : String(error)}`);
  return { status: 500, body: { error: { message: 'Model Manager could not answer this request; its log says why.', code: 'internal' } } };
}

async function record(deps: ManagementDeps, client: EndpointClient, action: string, targetId: string | null, request: string, status: number): Promise<void> {
  try {
    await deps.audit(action, targetId === null ? 'endpoint' : 'configuration', targetId, { client: client.name, clientId: client.id, request, status });
  } catch (error) {
    deps.logger?.warn(`Could not record "${action}" by the client "${printableName(client.name)}" in the audit log: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', ...reply.headers });
  res.end(text);
}

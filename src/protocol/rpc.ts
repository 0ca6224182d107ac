// The webview's RPC: the seed's endpoint names as methods, each with a validated request and result.
import * as z from 'zod/mini';
import {
  configurationViewSchema,
  fieldErrorSchema,
  modelViewSchema,
  providerViewSchema,
  settingsSchema,
  templateViewSchema,
  testResultSchema,
  text,
  usageTotalsSchema,
} from './views';
import { routeGroupMethods } from './routeGroups';
import { usageMethods } from './usage';

const id = text(200);
const apiKey = text(1000);
const period = z.enum(['day', 'week', 'month']);

/** A configuration not saved yet (the wizard tests and lists models before saving). */
export const draftSchema = z.strictObject({
  provider: id,
  settings: settingsSchema,
  apiKey: z.optional(apiKey),
  /** Editing an existing configuration: its stored key is used when no new one is typed. */
  configurationId: z.optional(id),
});

/** Every method: its params and its result. The names are the seed's REST endpoints. */
export const methods = {
  'configurations.list': { params: z.strictObject({}), result: z.array(configurationViewSchema) },
  'configurations.get': { params: z.strictObject({ id }), result: configurationViewSchema },
  'configurations.create': {
    params: z.strictObject({ name: text(200), provider: id, settings: settingsSchema, apiKey: z.optional(apiKey) }),
    result: configurationViewSchema,
  },
  'configurations.update': {
    params: z.strictObject({
      id,
      /** The updatedAt of the copy that was edited: a newer one on disk means another window changed it. */
      baseUpdatedAt: text(64),
      name: z.optional(text(200)),
      settings: z.optional(settingsSchema),
      isActive: z.optional(z.boolean()),
      apiKey: z.optional(apiKey),
    }),
    result: configurationViewSchema,
  },
  'configurations.delete': { params: z.strictObject({ id }), result: z.strictObject({ deleted: z.boolean() }) },
  'configurations.test': { params: z.union([z.strictObject({ id }), z.strictObject({ draft: draftSchema })]), result: testResultSchema },
  'configurations.usage': { params: z.strictObject({ id, period: z.optional(period) }), result: usageTotalsSchema },
  'configurations.rotateKey': { params: z.strictObject({ id, apiKey: z.optional(apiKey) }), result: configurationViewSchema },
  'configurations.validate': {
    params: z.strictObject({ provider: id, settings: settingsSchema }),
    result: z.strictObject({ ok: z.boolean(), errors: z.array(fieldErrorSchema) }),
  },
  'providers.list': { params: z.strictObject({}), result: z.array(providerViewSchema) },
  'providers.models': {
    params: z.strictObject({ draft: draftSchema, refresh: z.optional(z.boolean()) }),
    result: z.array(modelViewSchema),
  },
  'providers.schema': { params: z.strictObject({ provider: id }), result: z.record(text(100), z.unknown()) },
  /** Downloads a model into a saved configuration's server (Ollama); each step streams as progress. */
  'providers.pull': { params: z.strictObject({ configurationId: id, model: text(200) }), result: z.strictObject({ status: text(200) }) },
  'templates.list': { params: z.strictObject({}), result: z.array(templateViewSchema) },
  ...routeGroupMethods,
  // The usage dashboard (src/protocol/usage.ts).
  ...usageMethods,
} as const;

export type MethodName = keyof typeof methods;
export type Params<M extends MethodName> = z.infer<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = z.infer<(typeof methods)[M]['result']>;
export const methodNames = Object.keys(methods) as MethodName[];

export const requestSchema = z.strictObject({
  kind: z.literal('request'),
  id: z.int().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER)),
  method: text(100),
  params: z.unknown(),
});
export type RpcRequest = z.infer<typeof requestSchema>;

export const rpcErrorSchema = z.strictObject({
  /** What kind of refusal, so the webview can place it: a field, a conflict banner, a toast. */
  code: z.enum(['invalid-request', 'unknown-method', 'validation', 'duplicate-name', 'not-found', 'conflict', 'rate-limited', 'key-unavailable', 'keys-need-reentry', 'budget', 'cancelled', 'provider', 'internal']),
  message: text(),
  fieldErrors: z.optional(z.array(fieldErrorSchema)),
});
export type RpcError = z.infer<typeof rpcErrorSchema>;

export const responseSchema = z.union([
  z.strictObject({ kind: z.literal('response'), id: z.int(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ kind: z.literal('response'), id: z.int(), ok: z.literal(false), error: rpcErrorSchema }),
]);
export type RpcResponse = z.infer<typeof responseSchema>;

/** Streamed updates under a request's id, e.g. the steps of a connection test. */
export const progressSchema = z.strictObject({ kind: z.literal('progress'), id: z.int(), message: text() });
export type RpcProgress = z.infer<typeof progressSchema>;

/** What the host says unasked. */
export const notificationSchema = z.union([
  z.strictObject({ kind: z.literal('notification'), event: z.literal('configurationsChanged') }),
  z.strictObject({ kind: z.literal('notification'), event: z.literal('routeGroupsChanged') }),
  /** Requests were recorded (at most one notification every two seconds): the usage dashboard reloads. */
  z.strictObject({ kind: z.literal('notification'), event: z.literal('usageChanged') }),
  z.strictObject({ kind: z.literal('notification'), event: z.literal('navigate'), screen: z.enum(['list', 'add', 'usage']), configurationId: z.optional(text(200)) }),
]);
export type RpcNotification = z.infer<typeof notificationSchema>;

export const readySchema = z.strictObject({ kind: z.literal('ready'), protocolVersion: z.int() });

/** Stops a request still running (a connection test, a model list, a pull): it ends with a `cancelled` error. */
export const cancelSchema = z.strictObject({ kind: z.literal('cancel'), id: z.int().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER)) });
export type RpcCancel = z.infer<typeof cancelSchema>;

/** The webview → host direction. */
export const webviewToHostSchema = z.union([requestSchema, readySchema, cancelSchema]);
/** The host → webview direction. */
export const hostToWebviewSchema = z.union([responseSchema, progressSchema, notificationSchema]);

/** Checks a result against its method's schema (the webview does this on arrival). */
export function parseResult<M extends MethodName>(method: M, value: unknown): Result<M> | undefined {
  const parsed = z.safeParse(methods[method].result, value);
  return parsed.success ? (parsed.data as Result<M>) : undefined;
}

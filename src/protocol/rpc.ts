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
import { ollamaMethods } from './ollama';
import { progressSchema, responseSchema, type PageProtocol, type ParamsOf, type ResultOf } from './envelope';

export * from './envelope';

const id = text(200);
const apiKey = text(1000);
/** Today, the last 7 days (today included), this month, or a custom range (ISO times); days and months are UTC. */
export const usagePeriodSchema = z.union([z.enum(['day', 'week', 'month']), z.strictObject({ from: text(64), to: text(64) })]);
export type UsagePeriodView = z.infer<typeof usagePeriodSchema>;

/** One configuration's totals over a period, with the window it stands for (the page states it in local time). */
export const configurationUsageSchema = z.strictObject({
  ...usageTotalsSchema.shape,
  from: text(64),
  to: text(64),
  /** Requests in the window cancelled mid-answer, whose tokens were counted locally (estimated), not reported. */
  estimatedRequests: z.optional(z.number()),
});
export type ConfigurationUsageView = z.infer<typeof configurationUsageSchema>;

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
  /** The host bounds a test itself (the request timeout plus 30 s); the page waits longer than the longest it allows. */
  'configurations.test': { params: z.union([z.strictObject({ id }), z.strictObject({ draft: draftSchema })]), result: testResultSchema, timeoutMs: 660_000 },
  'configurations.usage': { params: z.strictObject({ id, period: z.optional(usagePeriodSchema) }), result: configurationUsageSchema },
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
  /** Downloads a model into a saved configuration's server (Ollama); each step streams as progress. Gigabytes: an hour. */
  'providers.pull': { params: z.strictObject({ configurationId: id, model: text(200) }), result: z.strictObject({ status: text(200) }), timeoutMs: 3_600_000 },
  'templates.list': { params: z.strictObject({}), result: z.array(templateViewSchema) },
  ...ollamaMethods,
  ...routeGroupMethods,
  // The usage dashboard (src/protocol/usage.ts).
  ...usageMethods,
} as const;

export type MethodName = keyof typeof methods;
export type Params<M extends MethodName> = ParamsOf<typeof methods, M>;
export type Result<M extends MethodName> = ResultOf<typeof methods, M>;
export const methodNames = Object.keys(methods) as MethodName[];

/** What the host says unasked. */
export const notificationSchema = z.union([
  z.strictObject({ kind: z.literal('notification'), event: z.literal('configurationsChanged') }),
  z.strictObject({ kind: z.literal('notification'), event: z.literal('routeGroupsChanged') }),
  /** Requests were recorded (at most one notification every two seconds): the usage dashboard reloads. */
  z.strictObject({ kind: z.literal('notification'), event: z.literal('usageChanged') }),
  /** A budget was saved or deleted (the palette, Set Budget, this dashboard): the dashboard's budgets reload. */
  z.strictObject({ kind: z.literal('notification'), event: z.literal('budgetsChanged') }),
  /** A LiteLLM proxy reported a virtual key's budget again (after a health check): the dashboard's budget cards reload. */
  z.strictObject({ kind: z.literal('notification'), event: z.literal('gatewayBudgetsChanged') }),
  z.strictObject({ kind: z.literal('notification'), event: z.literal('navigate'), screen: z.enum(['list', 'add', 'usage']), configurationId: z.optional(text(200)) }),
]);
export type RpcNotification = z.infer<typeof notificationSchema>;

/** The host → webview direction of the Model Manager editor. */
export const hostToWebviewSchema = z.union([responseSchema, progressSchema, notificationSchema]);

/** Bumped whenever a message of the editor changes shape, so a stale webview (restored after an update) is detected. */
export const PROTOCOL_VERSION = 5;

/** The Model Manager editor's protocol: its methods and notifications. */
export const editorProtocol: PageProtocol<typeof methods, RpcNotification> = { version: PROTOCOL_VERSION, methods, notification: notificationSchema };

/** Checks a result against its method's schema (the webview does this on arrival). */
export function parseResult<M extends MethodName>(method: M, value: unknown): Result<M> | undefined {
  const parsed = z.safeParse(methods[method].result, value);
  return parsed.success ? (parsed.data as Result<M>) : undefined;
}

// Route groups as the webview sees and edits them: names and states, never a key.
import * as z from 'zod/mini';
import { text } from './views';

const id = text(200);
const positive = z.number().check(z.positive(), z.maximum(1_000_000));

export const routeStrategySchema = z.enum(['fallback', 'weighted-round-robin', 'least-busy', 'lowest-latency', 'lowest-cost']);
export type RouteStrategyView = z.infer<typeof routeStrategySchema>;

export const routeGroupSettingsSchema = z.strictObject({
  fallbackOnAuthError: z.optional(z.boolean()),
  restartStreamsWithNotice: z.optional(z.boolean()),
  cooldownFailures: z.optional(z.int().check(z.positive(), z.maximum(1_000))),
  cooldownWindowSeconds: z.optional(positive),
  cooldownSeconds: z.optional(positive),
});

/** A member as the form sends it: a configuration, its weight (weighted round-robin). */
export const routeMemberInputSchema = z.strictObject({ configurationId: id, weight: z.optional(positive) });

/** Whether the router would ask a member now. */
export const memberStateSchema = z.enum(['healthy', 'cooling-down', 'probing', 'paused', 'disabled', 'missing', 'key-locked', 'unreachable', 'failed']);

export const routeGroupViewSchema = z.strictObject({
  id,
  name: text(200),
  strategy: routeStrategySchema,
  members: z.array(
    z.strictObject({
      configurationId: id,
      name: text(200),
      provider: text(100),
      model: text(200),
      weight: z.number(),
      state: memberStateSchema,
    }),
  ),
  /** Every setting with its effective value (defaults filled in). */
  settings: z.strictObject({
    fallbackOnAuthError: z.boolean(),
    restartStreamsWithNotice: z.boolean(),
    cooldownFailures: z.number(),
    cooldownWindowSeconds: z.number(),
    cooldownSeconds: z.number(),
  }),
  updatedAt: text(64),
});
export type RouteGroupView = z.infer<typeof routeGroupViewSchema>;

const members = z.array(routeMemberInputSchema).check(z.maxLength(50));

export const routeGroupMethods = {
  'routeGroups.list': { params: z.strictObject({}), result: z.array(routeGroupViewSchema) },
  'routeGroups.create': {
    params: z.strictObject({ name: text(200), strategy: routeStrategySchema, members, settings: z.optional(routeGroupSettingsSchema) }),
    result: routeGroupViewSchema,
  },
  'routeGroups.update': {
    params: z.strictObject({ id, name: z.optional(text(200)), strategy: z.optional(routeStrategySchema), members: z.optional(members), settings: z.optional(routeGroupSettingsSchema) }),
    result: routeGroupViewSchema,
  },
  'routeGroups.delete': { params: z.strictObject({ id }), result: z.strictObject({ deleted: z.boolean() }) },
  /** A short real chat through the group: which member answered and why, or why none could. As slow as a slow model. */
  'routeGroups.test': {
    timeoutMs: 120_000,
    params: z.strictObject({ id }),
    result: z.strictObject({
      ok: z.boolean(),
      answeredBy: z.optional(text(200)),
      model: z.optional(text(200)),
      reason: z.optional(text(2000)),
      attempts: z.int(),
      reply: text(2000),
      error: z.optional(text(4000)),
    }),
  },
} as const;

// The chat panel's messages: fire-and-forget in both directions, each validated with zod on arrival.
import * as z from 'zod/mini';
import { COMPARE_MAX } from './compare';
import { text } from './views';

export { COMPARE_MAX };

/** Bumped whenever a chat message changes shape. */
export const CHAT_PROTOCOL_VERSION = 1;

const id = text(200);
/** A prompt, a selection or an answer: generous, but bounded so a runaway message cannot stall either side. */
const body = text(200_000);

export const chatModelSchema = z.strictObject({ groupId: id, name: text(300), detail: text(300), kind: z.enum(['configuration', 'route-group']) });

export const chatBadgeSchema = z.strictObject({
  configuration: z.optional(text(300)),
  model: z.optional(text(300)),
  inputTokens: z.optional(z.number()),
  outputTokens: z.optional(z.number()),
  costUsd: z.optional(z.number()),
  latencyMs: z.number(),
  fallbackReason: z.optional(text(2000)),
  /** The user stopped the answer: the text is what had arrived. */
  stopped: z.optional(z.boolean()),
  /** The badge as one line, as the host formats it. */
  summary: text(3000),
});

export const chatMessageSchema = z.strictObject({
  id,
  role: z.enum(['user', 'assistant', 'error']),
  content: body,
  groupId: z.nullable(id),
  badge: z.optional(chatBadgeSchema),
});

export const conversationSummarySchema = z.strictObject({ id, title: text(300), updatedAt: text(64) });

/** A selection sent by "Ask Model About Selection": the prompt is pre-filled, the code goes with it. */
export const chatSeedSchema = z.strictObject({
  prompt: body,
  context: z.optional(z.strictObject({ file: text(2000), language: text(100), code: body })),
});

export const chatStateSchema = z.strictObject({
  models: z.array(chatModelSchema),
  conversations: z.array(conversationSummarySchema),
  conversationId: z.nullable(id),
  groupId: z.nullable(id),
  messages: z.array(chatMessageSchema),
});

/**
 * What the page keeps with VS Code (setState) so the panel comes back after a window reload with the conversation
 * that was open. VS Code hands it to the serializer as it was stored: the host validates it like any message.
 */
export const chatWebviewStateSchema = z.strictObject({ conversationId: z.nullable(id) });

/** Webview → host. */
export const chatRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ready'), protocolVersion: z.number() }),
  z.strictObject({ kind: z.literal('send'), turnId: id, groupId: id, prompt: body, context: z.optional(chatSeedSchema.shape.context) }),
  z.strictObject({ kind: z.literal('stop'), turnId: id }),
  z.strictObject({ kind: z.literal('selectModel'), groupId: id }),
  z.strictObject({ kind: z.literal('newConversation') }),
  z.strictObject({ kind: z.literal('openConversation'), conversationId: id }),
  z.strictObject({ kind: z.literal('deleteConversation'), conversationId: id }),
  z.strictObject({ kind: z.literal('copy'), code: body }),
  z.strictObject({ kind: z.literal('insert'), code: body }),
  /** "/compare <prompt>": the picked model and other active configurations answer the same prompt in columns. */
  z.strictObject({ kind: z.literal('compare'), turnId: id, groupId: id, prompt: body }),
]);

/** Host → webview. */
export const chatEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('state'), state: chatStateSchema }),
  z.strictObject({ kind: z.literal('seed'), seed: chatSeedSchema }),
  z.strictObject({ kind: z.literal('turnStarted'), turnId: id, user: chatMessageSchema }),
  z.strictObject({ kind: z.literal('delta'), turnId: id, text: body }),
  z.strictObject({ kind: z.literal('notice'), turnId: id, text: text(2000) }),
  z.strictObject({ kind: z.literal('turnDone'), turnId: id, message: chatMessageSchema }),
  z.strictObject({ kind: z.literal('error'), turnId: z.optional(id), message: text(5000) }),
  z.strictObject({ kind: z.literal('compareStarted'), turnId: id, prompt: body, columns: z.array(z.strictObject({ groupId: id, name: text(300) })).check(z.minLength(2), z.maxLength(COMPARE_MAX)) }),
  z.strictObject({ kind: z.literal('compareDelta'), turnId: id, column: z.number().check(z.int(), z.nonnegative(), z.lt(COMPARE_MAX)), text: body }),
  z.strictObject({ kind: z.literal('compareDone'), turnId: id, column: z.number().check(z.int(), z.nonnegative(), z.lt(COMPARE_MAX)), badge: z.optional(chatBadgeSchema), error: z.optional(text(5000)) }),
]);

export type ChatModelView = z.infer<typeof chatModelSchema>;
export type ChatBadgeView = z.infer<typeof chatBadgeSchema>;
export type ChatMessageView = z.infer<typeof chatMessageSchema>;
export type ChatSeed = z.infer<typeof chatSeedSchema>;
export type ChatState = z.infer<typeof chatStateSchema>;
export type ChatRequestMessage = z.infer<typeof chatRequestSchema>;
export type ChatWebviewState = z.infer<typeof chatWebviewStateSchema>;
export type ChatEventMessage = z.infer<typeof chatEventSchema>;

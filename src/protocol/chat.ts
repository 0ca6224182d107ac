// Model Manager Chat's messages: requests and notifications in the editor's envelope, each validated on arrival.
import * as z from 'zod/mini';
import { COMPARE_MAX } from './compare';
import type { PageProtocol } from './envelope';
import { text } from './views';

export { COMPARE_MAX };

/** Bumped whenever a chat message changes shape. */
export const CHAT_PROTOCOL_VERSION = 3;

/** Image types the chat takes: the four every provider with vision reads (Gemini reads no GIF: it says so when sent one). */
export const CHAT_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
/**
 * Largest image the chat takes: 3.75 MB, whose base64 (5 MB) is what Anthropic, the strictest provider, accepts for
 * one image. Every provider with vision takes an image this size.
 */
export const CHAT_IMAGE_MAX_BYTES = 3_932_160;
export const CHAT_IMAGES_PER_MESSAGE = 4;
/** The most image bytes one conversation keeps (a sql.js store writes the whole file on every save). */
export const CONVERSATION_IMAGE_BYTES = 20 * 1024 * 1024;
/** A data: URL of an allowed type, at most CHAT_IMAGE_MAX_BYTES of image. */
const DATA_URL_MAX = 'data:image/jpeg;base64,'.length + Math.ceil(CHAT_IMAGE_MAX_BYTES / 3) * 4;
/** What a chat page message may carry at most: its images and a prompt. */
export const CHAT_MAX_MESSAGE_BYTES = CHAT_IMAGES_PER_MESSAGE * DATA_URL_MAX + 1_000_000;

/** An image in a user turn, as a base64 data: URL (what an <img> shows and what the host decodes). */
export const chatImageSchema = z.strictObject({
  dataUrl: z.string().check(
    z.maxLength(DATA_URL_MAX, `an image is at most ${String(CHAT_IMAGE_MAX_BYTES / 1024 / 1024)} MB`),
    z.regex(/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/, 'must be a base64 data: URL of a PNG, JPEG, GIF or WebP image'),
  ),
});
const chatImages = z.optional(z.array(chatImageSchema).check(z.maxLength(CHAT_IMAGES_PER_MESSAGE)));

/** A prompt, a selection or an answer: generous, but bounded so a runaway message cannot stall either side. */
export const CHAT_TEXT_MAX = 200_000;
/** A name or a one-line detail: a model, a configuration, a conversation title. */
export const CHAT_LABEL_MAX = 300;
/** A badge as one line. */
export const CHAT_SUMMARY_MAX = 3000;
/** Why a turn fell back, a notice under a turn, a file name. */
export const CHAT_NOTE_MAX = 2000;
/** A failure shown on the page. */
export const CHAT_ERROR_MAX = 5000;

const id = text(200);
const body = text(CHAT_TEXT_MAX);
const label = text(CHAT_LABEL_MAX);

export const chatModelSchema = z.strictObject({ groupId: id, name: label, detail: label, kind: z.enum(['configuration', 'route-group']) });

export const chatBadgeSchema = z.strictObject({
  configuration: z.optional(label),
  model: z.optional(label),
  inputTokens: z.optional(z.number()),
  outputTokens: z.optional(z.number()),
  /** Prompt tokens read from the provider's cache, written to it (Anthropic), and output tokens spent reasoning. */
  cachedTokens: z.optional(z.number()),
  cacheWriteTokens: z.optional(z.number()),
  reasoningTokens: z.optional(z.number()),
  costUsd: z.optional(z.number()),
  latencyMs: z.number(),
  fallbackReason: z.optional(text(CHAT_NOTE_MAX)),
  /** The user stopped the answer: the text is what had arrived. */
  stopped: z.optional(z.boolean()),
  /** The badge as one line, as the host formats it. */
  summary: text(CHAT_SUMMARY_MAX),
});

export const chatMessageSchema = z.strictObject({
  id,
  role: z.enum(['user', 'assistant', 'error']),
  content: body,
  /** On a user turn: the images sent with it. */
  images: chatImages,
  groupId: z.nullable(id),
  badge: z.optional(chatBadgeSchema),
  /** An answer's reasoning, shown collapsed above it. */
  reasoning: z.optional(body),
});

export const conversationSummarySchema = z.strictObject({ id, title: label, updatedAt: text(64) });

/** A selection sent by "Ask Model About Selection": the prompt is pre-filled, the code goes with it. */
export const chatSeedSchema = z.strictObject({
  prompt: body,
  context: z.optional(z.strictObject({ file: text(CHAT_NOTE_MAX), language: text(100), code: body })),
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

const done = z.strictObject({});
const column = z.number().check(z.int(), z.nonnegative(), z.lt(COMPARE_MAX));
/**
 * How long the page waits for an answer or a /compare: the host bounds each provider request itself (up to 15 times
 * the request timeout for an answer that keeps producing), so this only gives up on a host that never answers.
 */
const TURN_TIMEOUT_MS = 3_600_000;

/** Webview → host: the chat page's methods, answered like the editor's (a response per request id). */
export const chatMethods = {
  /** One turn: the answer streams as `delta` notifications under the turn id; the response is the saved answer. */
  'chat.send': { params: z.strictObject({ turnId: id, groupId: id, prompt: body, context: z.optional(chatSeedSchema.shape.context), images: chatImages }), result: chatMessageSchema, timeoutMs: TURN_TIMEOUT_MS },
  /** "/compare <prompt>": the picked model and other active configurations answer the same prompt in columns. */
  'chat.compare': { params: z.strictObject({ turnId: id, groupId: id, prompt: body }), result: done, timeoutMs: TURN_TIMEOUT_MS },
  /** Stops a turn or a comparison: what arrived is kept, marked stopped. */
  'chat.stop': { params: z.strictObject({ turnId: id }), result: done },
  'chat.selectModel': { params: z.strictObject({ groupId: id }), result: done },
  'chat.newConversation': { params: z.strictObject({}), result: done },
  'chat.openConversation': { params: z.strictObject({ conversationId: id }), result: done },
  'chat.deleteConversation': { params: z.strictObject({ conversationId: id }), result: done },
  'chat.copy': { params: z.strictObject({ code: body }), result: done },
  'chat.insert': { params: z.strictObject({ code: body }), result: done },
} as const;

const note = <E extends string, S extends z.core.$ZodLooseShape>(event: E, shape: S) => z.strictObject({ kind: z.literal('notification'), event: z.literal(event), ...shape });

/** Host → webview, unasked: the page's state, a seeded prompt, and each turn's stream under its turn id. */
export const chatNotificationSchema = z.discriminatedUnion('event', [
  note('state', { state: chatStateSchema }),
  note('seed', { seed: chatSeedSchema }),
  note('turnStarted', { turnId: id, user: chatMessageSchema }),
  note('delta', { turnId: id, text: body }),
  /** The model's reasoning as it streams, before (or between) the answer's text. */
  note('reasoning', { turnId: id, text: body }),
  note('notice', { turnId: id, text: text(CHAT_NOTE_MAX) }),
  /** The turn's saved answer, before the state that lists it (the `chat.send` response carries it too). */
  note('turnDone', { turnId: id, message: chatMessageSchema }),
  note('compareStarted', { turnId: id, prompt: body, columns: z.array(z.strictObject({ groupId: id, name: label })).check(z.minLength(2), z.maxLength(COMPARE_MAX)) }),
  note('compareDelta', { turnId: id, column, text: body }),
  note('compareDone', { turnId: id, column, badge: z.optional(chatBadgeSchema), error: z.optional(text(CHAT_ERROR_MAX)) }),
  /** A failure no request is waiting for: the page loaded but its state could not be read. */
  note('error', { message: text(CHAT_ERROR_MAX) }),
]);

/** Model Manager Chat's protocol: the same envelope and handshake as the editor's, its own methods. */
export const chatProtocol: PageProtocol<typeof chatMethods, ChatNotification> = { version: CHAT_PROTOCOL_VERSION, methods: chatMethods, notification: chatNotificationSchema };

export type ChatModelView = z.infer<typeof chatModelSchema>;
export type ChatImageView = z.infer<typeof chatImageSchema>;
export type ChatBadgeView = z.infer<typeof chatBadgeSchema>;
export type ChatMessageView = z.infer<typeof chatMessageSchema>;
export type ChatSeed = z.infer<typeof chatSeedSchema>;
export type ChatState = z.infer<typeof chatStateSchema>;
export type ChatWebviewState = z.infer<typeof chatWebviewStateSchema>;
export type ChatNotification = z.infer<typeof chatNotificationSchema>;
export type ChatMethodName = keyof typeof chatMethods;

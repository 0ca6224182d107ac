// zod/mini: the same validation as classic zod at a fifth of the bundle size, which both bundles feel.
import * as z from 'zod/mini';

/** Bumped whenever a message changes shape, so a stale webview (restored after an update) is detected. */
export const PROTOCOL_VERSION = 1;

/** Hard cap on any string crossing the boundary: a webview message is never a place for megabytes. */
const MAX_STRING = 4096;
const text = z.string().check(z.maxLength(MAX_STRING));

export const readyMessageSchema = z.strictObject({
  type: z.literal('ready'),
  protocolVersion: z.int().check(z.nonnegative()),
});

export const runCommandMessageSchema = z.strictObject({
  type: z.literal('runCommand'),
  command: z.enum(['showLogs']),
});

/** Everything the webview may say to the host. Anything else is rejected before it reaches a handler. */
export const webviewMessageSchema = z.discriminatedUnion('type', [readyMessageSchema, runCommandMessageSchema]);
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

export const initMessageSchema = z.strictObject({
  type: z.literal('init'),
  protocolVersion: z.int().check(z.nonnegative()),
  extensionVersion: text,
});

export const errorMessageSchema = z.strictObject({
  type: z.literal('error'),
  message: text,
});

/** Everything the host may say to the webview; the webview validates it on arrival too. */
export const hostMessageSchema = z.discriminatedUnion('type', [initMessageSchema, errorMessageSchema]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** A human-readable reason a message was refused, naming the offending field but never echoing its value. */
export function describeInvalidMessage(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The message was not valid.';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'message';
  return `Invalid ${where}: ${issue.message}`;
}

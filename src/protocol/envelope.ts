// What every page's RPC shares, whatever its methods: requests with ids, responses, progress, cancel, ready, and the
// shape of a method table (params, result, how long the page waits for it).
import * as z from 'zod/mini';
import { fieldErrorSchema, text } from './views';

/** One method: its validated params and result, and how long the page waits for the answer. */
export interface MethodSpec {
  readonly params: z.ZodMiniType;
  readonly result: z.ZodMiniType;
  /** Milliseconds the page waits before it gives up (and cancels); DEFAULT_TIMEOUT_MS when absent. */
  readonly timeoutMs?: number;
}
export type MethodTable = Readonly<Record<string, MethodSpec>>;
export type ParamsOf<T extends MethodTable, M extends keyof T> = z.infer<T[M]['params']>;
export type ResultOf<T extends MethodTable, M extends keyof T> = z.infer<T[M]['result']>;

/** How long a page waits for a method that names no timeout of its own: a read or a save, answered at once. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A page's protocol: its version (said in `ready`), its methods and what the host may tell it unasked. */
export interface PageProtocol<T extends MethodTable, N> {
  readonly version: number;
  readonly methods: T;
  readonly notification: z.ZodMiniType<N>;
}

/** How long the page waits for a method's answer. */
export function timeoutOf(table: MethodTable, method: string): number {
  return (Object.hasOwn(table, method) ? table[method]?.timeoutMs : undefined) ?? DEFAULT_TIMEOUT_MS;
}

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

/** The page has loaded and listens: the host posts nothing to a page before this. */
export const readySchema = z.strictObject({ kind: z.literal('ready'), protocolVersion: z.int() });

/** Stops a request still running (a connection test, a model list, a pull): it ends with a `cancelled` error. */
export const cancelSchema = z.strictObject({ kind: z.literal('cancel'), id: z.int().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER)) });
export type RpcCancel = z.infer<typeof cancelSchema>;

/** The webview → host direction, for every page. */
export const webviewToHostSchema = z.union([requestSchema, readySchema, cancelSchema]);
/** The answers the host sends a page (its notifications are the page's own protocol's). */
export const answerSchema = z.union([responseSchema, progressSchema]);

/** The most a single message from a page may be before it is dropped unread (a page never needs more). */
export const MAX_MESSAGE_BYTES = 1_000_000;

/** Whether a message is over MAX_MESSAGE_BYTES of text (field names included) and entries, or nested deeper than any page sends. */
export function tooLarge(raw: unknown, maxBytes = MAX_MESSAGE_BYTES): boolean {
  let budget = maxBytes;
  const visit = (value: unknown, depth: number): boolean => {
    if (depth > 32) return true;
    if (typeof value === 'string') {
      budget -= value.length;
      return budget < 0;
    }
    if (typeof value !== 'object' || value === null) return false;
    const entries = Array.isArray(value) ? value : Object.values(value);
    // A field's name is text the validators read and may quote in a refusal: it counts like a value.
    if (!Array.isArray(value)) for (const name of Object.keys(value)) budget -= name.length;
    budget -= entries.length;
    if (budget < 0) return true;
    return entries.some((v) => visit(v, depth + 1));
  };
  return visit(raw, 0);
}

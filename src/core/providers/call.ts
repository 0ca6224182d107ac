import type { HttpClient, HttpRequest, HttpResponse } from '../http';
import { toProviderError, type ErrorContext } from './errors';
import { SecretHider } from './hideSecrets';
import type { ChatEvent, FinishReason, Usage } from './types';

/** Sends one request; any failure comes back as a ProviderError in the provider's own terms. */
export async function send(http: HttpClient, request: HttpRequest, context: ErrorContext): Promise<HttpResponse> {
  try {
    return await http.send({ ...request, secrets: context.secrets });
  } catch (error) {
    throw toProviderError(error, context);
  }
}

/** Reads a JSON response; a broken body becomes a ProviderError too. */
export async function sendJson(http: HttpClient, request: Omit<HttpRequest, 'expect'>, context: ErrorContext): Promise<unknown> {
  const response = await send(http, { ...request, expect: 'json' }, context);
  try {
    return await response.json();
  } catch (error) {
    throw toProviderError(error, context);
  }
}

/** The HTTP retry setting for a call's options: the client's policy unless the caller opted out. */
export function retryOf(options: { readonly retry?: boolean | undefined }): false | undefined {
  return options.retry === false ? false : undefined;
}

/** Re-throws whatever a stream of events throws as a ProviderError. */
export async function* mapErrors<T>(events: AsyncIterable<T>, context: ErrorContext): AsyncGenerator<T, void, undefined> {
  try {
    yield* events;
  } catch (error) {
    throw toProviderError(error, context);
  }
}

/**
 * An adapter's chat events as every caller gets them: the configured secrets hidden wherever the server echoed them
 * (SecretHider), usage with its parts kept within their wholes, whatever the server reported, and anything thrown
 * re-thrown as a ProviderError. One pass, so each event costs one async step here rather than one per wrapper.
 */
export async function* chatEvents(events: AsyncIterable<ChatEvent>, context: ErrorContext): AsyncGenerator<ChatEvent, void, undefined> {
  const hider = new SecretHider(context.secrets);
  try {
    if (!hider.active) {
      for await (const event of events) yield event.type === 'usage' ? { ...event, usage: consistentUsage(event.usage) } : event;
      return;
    }
    for await (const event of events) {
      for (const out of hider.events(event)) yield out.type === 'usage' ? { ...out, usage: consistentUsage(out.usage) } : out;
    }
    yield* hider.held();
  } catch (error) {
    // What was held back of a failed answer still reaches the caller (a fallback keeps what streamed before a failure).
    yield* hider.held();
    throw toProviderError(error, context);
  }
}

/** The base URL with a path appended (the base has no trailing slash: the schema strips it). */
export function endpoint(base: string, path: string): URL {
  return new URL(`${base}${path}`);
}

export function secretsOf(apiKey: string | undefined): readonly string[] {
  return apiKey === undefined || apiKey === '' ? [] : [apiKey];
}

/** Narrowing helpers for untyped JSON: providers' payloads are read defensively, never trusted. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Far beyond any model's window (the largest state ten million tokens): a bigger figure is a server's mistake. */
const MAX_TOKEN_LIMIT = 100_000_000;

/**
 * A context window or output limit a server states: a whole number of tokens from 1 up, else nothing. VS Code's chat
 * budgets every prompt against it, so a zero, negative or fractional figure would refuse or break every request.
 */
export function tokenLimit(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_TOKEN_LIMIT ? (value as number) : undefined;
}

/**
 * A token figure a provider reports for usage: a number from zero up to far beyond any model (rounded), else
 * nothing. A negative, absurd or non-numeric figure would otherwise become usage rows, costs and budget spend.
 */
export function tokenFigure(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TOKEN_LIMIT ? Math.round(value) : undefined;
}

/** Usage whose parts stay within their wholes: cached and cache-written tokens within the input, reasoning within the output. */
export function consistentUsage(usage: Usage): Usage {
  const cached = Math.min(usage.cached, usage.input);
  const cacheWrite = usage.cacheWrite === undefined ? undefined : Math.min(usage.cacheWrite, usage.input - cached);
  const reasoning = usage.reasoning === undefined ? undefined : Math.min(usage.reasoning, usage.output);
  return { ...usage, cached, ...(cacheWrite === undefined ? {} : { cacheWrite }), ...(reasoning === undefined ? {} : { reasoning }) };
}

/** A provider's stop reason in our terms: only the table's own entries, so "constructor" or "__proto__" read as 'other'. */
export function finishReasonOf(table: Readonly<Record<string, FinishReason>>, reason: string): FinishReason {
  return (Object.hasOwn(table, reason) ? table[reason] : undefined) ?? 'other';
}

/** Parses a tool call's JSON arguments text, or stringifies an object some providers send instead. */
export function argumentsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? {});
}

// The data shapes the webview sees. Never a key: only whether one is set and its last four characters.
import * as z from 'zod/mini';

export const MAX_TEXT = 4096;
export const text = (max = MAX_TEXT) => z.string().check(z.maxLength(max));

/**
 * Text cut to a schema's limit with "…": a name damaged in the store (longer than any form lets one be) must still
 * reach the page, which refuses a message beyond the limit. Never splits a surrogate pair.
 */
export function clipText(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}
const id = text(200);
const when = z.nullable(text(64));
/** Provider settings as their JSON Schema describes them: plain JSON, bounded. */
export const settingsSchema = z.record(text(100), z.unknown());

export const apiKeyStateSchema = z.strictObject({
  set: z.boolean(),
  readable: z.boolean(),
  lastFour: z.optional(text(4)),
});

export type ApiKeyStateView = z.infer<typeof apiKeyStateSchema>;

/** "set (…abcd)": what the editor's key field and the management API say about a stored key, never more. */
export function apiKeySetText(lastFour: string | undefined): string {
  return lastFour ? `set (…${lastFour})` : 'set';
}

export const usageTotalsSchema = z.strictObject({
  requestCount: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  totalTokens: z.number(),
  costUsd: z.number(),
  errorCount: z.number(),
  latencyMsSum: z.number(),
  latencyCount: z.number(),
});
export type UsageTotalsView = z.infer<typeof usageTotalsSchema>;

/** One state per configuration, the same in every view: see configurationState in src/core/services. */
export const configurationStateSchema = z.enum(['key-locked', 'unreachable', 'failed', 'passed', 'untested']);
export type ConfigurationStateView = z.infer<typeof configurationStateSchema>;

export const configurationViewSchema = z.strictObject({
  id,
  name: text(200),
  provider: id,
  model: text(300),
  baseUrl: z.nullable(text(2048)),
  settings: settingsSchema,
  isActive: z.boolean(),
  isSelected: z.boolean(),
  createdAt: text(64),
  updatedAt: text(64),
  lastTestedAt: when,
  testStatus: z.nullable(text(32)),
  apiKey: apiKeyStateSchema,
  state: configurationStateSchema,
});
export type ConfigurationView = z.infer<typeof configurationViewSchema>;

export const providerViewSchema = z.strictObject({
  id,
  displayName: text(200),
  apiKey: z.enum(['required', 'optional', 'none']),
  /** For OpenAI-compatible presets: the preset id and the address it fills in. */
  preset: z.optional(id),
  baseUrl: z.optional(text(2048)),
  docs: z.optional(text(2048)),
});
export type ProviderView = z.infer<typeof providerViewSchema>;

export const modelViewSchema = z.strictObject({
  id: text(300),
  displayName: z.optional(text(300)),
  contextWindow: z.optional(z.number()),
  maxOutputTokens: z.optional(z.number()),
});
export type ModelView = z.infer<typeof modelViewSchema>;

export const templateViewSchema = z.strictObject({
  id,
  provider: id,
  name: text(200),
  model: text(300),
  description: text(),
  settings: settingsSchema,
  isBuiltin: z.boolean(),
});
export type TemplateView = z.infer<typeof templateViewSchema>;

export const fieldErrorSchema = z.strictObject({ field: text(200), message: text(1000) });
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const testResultSchema = z.strictObject({
  ok: z.boolean(),
  reachable: z.boolean(),
  authenticated: z.boolean(),
  modelFound: z.optional(z.boolean()),
  streaming: z.optional(z.boolean()),
  latencyMs: z.number(),
  failure: z.optional(
    z.strictObject({
      kind: text(64),
      status: z.optional(z.number()),
      code: z.optional(text(200)),
      message: text(),
      retryAfterMs: z.optional(z.number()),
    }),
  ),
  hint: text(),
});
export type TestResultView = z.infer<typeof testResultSchema>;

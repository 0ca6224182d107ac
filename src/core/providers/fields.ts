import * as z from 'zod/mini';
import { boundText } from '../../protocol/counts';

// Messages are written here because zod/mini ships no locale: a form shows them next to the field.

/** An http(s) URL; trailing slashes are dropped so paths can be appended. */
export function baseUrl(defaultUrl?: string) {
  const url = z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    // The API's paths are appended to the address: a query or fragment would end up in the middle of every request URL.
    .check(z.refine((value) => !/[?#]/.test(value), 'must not have a query (?…) or fragment (#…): enter the address only, e.g. https://api.openai.com/v1'));
  // The default sits inside the pipe so that the JSON Schema (input side) shows it to the form.
  return z.pipe(defaultUrl === undefined ? url : z._default(url, defaultUrl), z.transform((value: string) => value.replace(/\/+$/, '')));
}

/** No model id has line breaks or other control characters; one that does came from a hostile list and would break the hovers it is shown in. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function modelId() {
  return z.string({ error: 'must be a model id' }).check(
    z.trim(),
    z.minLength(1, 'choose a model'),
    z.refine((value) => !CONTROL_CHARACTER.test(value), 'must not contain line breaks or control characters'),
  );
}

export function range(min: number, max: number) {
  return z.optional(
    z.number({ error: `must be a number from ${String(min)} to ${String(max)}` }).check(
      z.gte(min, `must be at least ${String(min)}`),
      z.lte(max, `must be at most ${String(max)}`),
    ),
  );
}

/** A token count: a positive whole number with no arbitrary cap (models differ; the provider says no). */
export function tokenCount() {
  return z.optional(
    z.int({ error: 'must be a whole number of tokens' }).check(z.gte(1, 'must be at least 1 token')),
  );
}

export function headerMap() {
  return z.optional(z.record(z.string().check(z.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid header name')), z.string({ error: 'must be text' })));
}

/** A price in USD per million tokens; empty means the catalog's price. */
function price() {
  return z.optional(z.number({ error: 'must be a price in USD per million tokens' }).check(z.gte(0, 'must be 0 or more')));
}

/**
 * Every provider's own price, for self-hosted models and negotiated prices: when input and output are both set they
 * replace the catalog's (src/core/usage/pricing.ts). Flat fields, so that the generated forms show them.
 */
export const priceFields = {
  inputPricePerMTok: price(),
  outputPricePerMTok: price(),
  cachedInputPricePerMTok: price(),
};

/** A JSON Schema written as JSON text (the form edits text): it must parse to a JSON object. */
export function jsonSchemaText() {
  return z.optional(
    z.string({ error: 'must be a JSON Schema as JSON text' }).check(
      z.refine((value) => {
        try {
          const parsed = JSON.parse(value) as unknown;
          return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        } catch {
          return false;
        }
      }, 'must be a JSON object such as {"type":"object","properties":{…}}'),
    ),
  );
}

/** The parsed JSON Schema of a validated jsonSchemaText field. */
export function parsedSchema(text: string | undefined): Record<string, unknown> | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/** Stop sequences: non-empty strings, at most `max` where the provider documents a limit. */
export function stopSequences(max?: number) {
  const list = z.array(z.string({ error: 'must be text' }).check(z.minLength(1, 'must not be empty')), { error: 'must be a list of strings, e.g. ["END"]' });
  return z.optional(max === undefined ? list : list.check(z.maxLength(max, `at most ${String(max)} stop sequences`)));
}

/** A sampling seed: a whole number (the same seed and settings give the same answer where the provider supports it). */
export function seed(min: number, max: number) {
  return z.optional(z.int({ error: `must be a whole number from ${boundText(min)} to ${boundText(max)}` }).check(z.gte(min, `must be at least ${boundText(min)}`), z.lte(max, `must be at most ${boundText(max)}`)));
}

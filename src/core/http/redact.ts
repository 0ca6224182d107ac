import { matcherFor } from './secretMatcher';
import { secretForms } from './secretForms';

export const REDACTED = '[redacted]';
const secretHeaders = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'proxy-authorization', 'cookie']);
const patterns: readonly RegExp[] = [
  /([?&](?:key|api_key|apikey|access_token|token)=)[^&#\s"']+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g,
  /\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_-]{8,}/g,
  /\b(AIza)[A-Za-z0-9_-]{20,}/g,
];
/** Removes the given secrets (in their common encodings too) and anything that looks like a key from text meant for a log or an error message. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "keys" would shred ordinary words; those are not secrets worth hiding.
    if (secret.length < 4) continue;
    for (const form of secretForms(secret)) out = out.split(form).join(REDACTED);
    out = redactFragments(out, secret);
  }
  for (const pattern of patterns) out = out.replace(pattern, '$1[redacted]');
  return out;
}

/** Replaces every stretch of text made of windows that also occur in one of the secret's forms. */
function redactFragments(text: string, secret: string): string {
  const covered = new Uint8Array(text.length);
  if (!matcherFor(secret).cover(text, covered)) return text;
  return renderCovered(text, covered);
}

/** The text with each covered stretch written as one "[redacted]". */
export function renderCovered(text: string, covered: Uint8Array, from = 0, to = text.length): string {
  let out = '';
  let i = from;
  while (i < to) {
    let j = i;
    while (j < to && !covered[j]) j++;
    out += text.slice(i, j);
    if (j === to) break;
    out += REDACTED;
    while (j < to && covered[j]) j++;
    i = j;
  }
  return out;
}

/** A copy of headers fit for a log: secret-bearing values replaced. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = secretHeaders.has(name.toLowerCase()) ? '[redacted]' : value;
  return out;
}

/** Origin and path only: query strings may carry keys. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

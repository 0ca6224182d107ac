const secretHeaders = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'proxy-authorization', 'cookie']);
const patterns: readonly RegExp[] = [
  /([?&](?:key|api_key|apikey|access_token|token)=)[^&#\s"']+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g,
  /\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_-]{8,}/g,
  /\b(AIza)[A-Za-z0-9_-]{20,}/g,
];
/** Encoded forms shorter than this would match ordinary text by chance. */
const MIN_ENCODED = 8;

/**
 * The forms a secret takes in text a server may echo: as is, percent-encoded, hex, and base64/base64url at each of
 * the three byte alignments (so a key inside an encoded "user:key" is found too), keeping only the base64
 * characters that depend on the secret's bytes alone.
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const forms = new Set([secret, encodeURIComponent(secret), hex, hex.toUpperCase()]);
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((form) => form === secret || form.length >= MIN_ENCODED).sort((a, b) => b.length - a.length);
}

/** Removes the given secrets (in their common encodings too) and anything that looks like a key from text meant for a log or an error message. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "keys" would shred ordinary words; those are not secrets worth hiding.
    if (secret.length < 4) continue;
    for (const form of secretForms(secret)) out = out.split(form).join('[redacted]');
  }
  for (const pattern of patterns) out = out.replace(pattern, '$1[redacted]');
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

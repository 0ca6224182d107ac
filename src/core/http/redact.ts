const secretHeaders = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'proxy-authorization', 'cookie']);
const patterns: readonly RegExp[] = [
  /([?&](?:key|api_key|apikey|access_token|token)=)[^&#\s"']+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g,
  /\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_-]{8,}/g,
  /\b(AIza)[A-Za-z0-9_-]{20,}/g,
];

/** Removes the given secrets and anything that looks like a key from text meant for a log or an error message. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "keys" would shred ordinary words; those are not secrets worth hiding.
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
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

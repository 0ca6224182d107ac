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
    out = redactFragments(out, secret);
  }
  for (const pattern of patterns) out = out.replace(pattern, '$1[redacted]');
  return out;
}

/** A piece of a key this long (in bytes) is hidden too: a server may echo the key without its prefix, split or re-cased. */
const FRAGMENT_BYTES = 8;

interface FragmentForm {
  readonly form: string;
  /** How many characters FRAGMENT_BYTES bytes take in this encoding. */
  readonly window: number;
  /** Compared ignoring ASCII case (plain text, hex, percent-encoding); base64 is case-sensitive. */
  readonly fold: boolean;
}

function fragmentForms(secret: string): FragmentForm[] {
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const forms: FragmentForm[] = [
    { form: secret, window: FRAGMENT_BYTES, fold: true },
    { form: hex, window: FRAGMENT_BYTES * 2, fold: true },
    { form: hex.replace(/(..)/g, '%$1'), window: FRAGMENT_BYTES * 3, fold: true },
  ];
  for (const form of secretForms(secret)) {
    if (form !== secret && /^[A-Za-z0-9+/_-]+$/.test(form) && form !== hex && form !== hex.toUpperCase()) {
      forms.push({ form, window: Math.ceil((FRAGMENT_BYTES * 8) / 6) + 1, fold: false });
    }
  }
  return forms;
}

/** Same length as the input (unlike toLowerCase on some non-ASCII letters), so positions still line up. */
const foldAscii = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Replaces every stretch of text made of windows that also occur in one of the secret's forms. */
function redactFragments(text: string, secret: string): string {
  const covered = new Uint8Array(text.length);
  let any = false;
  for (const { form, window, fold } of fragmentForms(secret)) {
    if (form.length < window) continue;
    const source = fold ? foldAscii(form) : form;
    const windows = new Set<string>();
    for (let i = 0; i + window <= source.length; i++) windows.add(source.slice(i, i + window));
    const haystack = fold ? foldAscii(text) : text;
    for (let i = 0; i + window <= haystack.length; i++) {
      if (!windows.has(haystack.slice(i, i + window))) continue;
      covered.fill(1, i, i + window);
      any = true;
    }
  }
  if (!any) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) out += text.charAt(i);
    else if (i === 0 || !covered[i - 1]) out += '[redacted]';
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

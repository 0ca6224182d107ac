/** Encoded forms shorter than this would match ordinary text by chance. */
export const MIN_ENCODED = 8;

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


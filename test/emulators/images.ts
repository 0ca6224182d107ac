// What the providers check in an image part before a model sees it: valid base64, and bytes that are the image type said.

/** Strict base64 (RFC 4648, padded): what Go's encoding/json, Python's b64decode(validate=True) and the APIs accept. */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

/** The index of the first character a strict base64 decoder stops at (Go reports it: "illegal base64 data at input byte N"). */
export function firstIllegalBase64(text: string): number {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  return bad ? bad.index : text.length - (text.length % 4);
}

/** The image type the bytes are, by their signature (PNG, JPEG, GIF, WebP), or undefined. */
export function sniffImage(base64: string): string | undefined {
  const head = Buffer.from(base64.slice(0, 24), 'base64');
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

/** A 1×1 PNG (a red pixel), the smallest image a test can send. */
export const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';

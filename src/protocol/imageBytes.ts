// What an image's bytes are, by their signature, so a declared type is checked before a provider sees the image (page and host alike).

/** The types whose signatures are known here: the four every provider with vision reads. */
const NAMES: Readonly<Record<string, string>> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The first bytes of base64 text: 24 characters decode to 18 bytes, enough for every signature below. */
function head(base64: string): number[] {
  try {
    return Array.from(atob(base64.slice(0, 24)), (c) => c.charCodeAt(0));
  } catch {
    return [];
  }
}

/** The image type the bytes (base64) are: PNG, JPEG, GIF or WebP by their signature, or undefined for anything else. */
export function imageTypeOfBytes(base64: string): string | undefined {
  const bytes = head(base64);
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.slice(from, to));
  if (PNG.every((value, i) => bytes[i] === value)) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** "PNG" for image/png; another type as it is written. */
export function imageTypeName(mimeType: string): string {
  return NAMES[mimeType] ?? mimeType;
}

/** An image whose bytes are not the type it says (its place among the images, from 1). */
export interface ImageTypeMismatch {
  readonly position: number;
  readonly declared: string;
  /** What the bytes are; undefined when they are none of PNG, JPEG, GIF and WebP. */
  readonly actual: string | undefined;
}

/** The first image declared as PNG, JPEG, GIF or WebP whose bytes are not that type (other types are not checked here). */
export function imageTypeMismatch(images: readonly { readonly mimeType: string; readonly data: string }[]): ImageTypeMismatch | undefined {
  for (const [index, image] of images.entries()) {
    if (!(image.mimeType in NAMES)) continue;
    const actual = imageTypeOfBytes(image.data);
    if (actual !== image.mimeType) return { position: index + 1, declared: image.mimeType, actual };
  }
  return undefined;
}

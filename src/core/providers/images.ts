import { imageTypeMismatch, imageTypeName } from '../../protocol/imageBytes';
import { ProviderError } from './errors';
import type { ChatImage, ChatRequest } from './types';

/** What a provider's API takes in image parts, from its own documentation. */
export interface ImageLimits {
  /** MIME types the API accepts. */
  readonly types: readonly string[];
  /** Largest single image, in bytes of `measuredOn`. */
  readonly maxImageBytes: number;
  /** Anthropic measures an image by its base64 text, the others by the image's own bytes. */
  readonly measuredOn: 'base64' | 'bytes';
  /** Most image bytes one request may carry. */
  readonly maxRequestBytes: number;
  readonly maxImages: number;
  /** Where the figures come from, shown in the error so the user can check. */
  readonly source: string;
}

const MB = 1024 * 1024;
const COMMON = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** Per provider id; an OpenAI-compatible server is held to OpenAI's rules (the shape it claims to speak). */
export const imageLimits: Readonly<Record<string, ImageLimits>> = {
  // developers.openai.com/api/docs/guides/images-vision: PNG, JPEG, WEBP, non-animated GIF; 50 MB and 500 images a request.
  openai: { types: COMMON, measuredOn: 'bytes', maxImageBytes: 50 * MB, maxRequestBytes: 50 * MB, maxImages: 500, source: 'OpenAI vision guide' },
  'openai-compatible': { types: COMMON, measuredOn: 'bytes', maxImageBytes: 50 * MB, maxRequestBytes: 50 * MB, maxImages: 500, source: 'OpenAI vision guide' },
  // platform.claude.com/docs/en/build-with-claude/vision: JPEG, PNG, GIF, WebP; 5 MB an image (its base64 text: the API
  // answers "image exceeds 5 MB maximum: 6275800 bytes > 5242880 bytes" for a 4.7 MB file), 32 MB a request, 100 images.
  anthropic: { types: COMMON, measuredOn: 'base64', maxImageBytes: 5 * MB, maxRequestBytes: 32 * MB, maxImages: 100, source: 'Anthropic vision guide' },
  // ai.google.dev/gemini-api/docs/image-understanding: PNG, JPEG, WEBP, HEIC, HEIF inline, 20 MB a request (inline data).
  gemini: { types: ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'], measuredOn: 'bytes', maxImageBytes: 20 * MB, maxRequestBytes: 20 * MB, maxImages: 3000, source: 'Gemini image understanding guide' },
  // Ollama's /api/chat documents no limit; the model's projector decodes PNG and JPEG (and what its image library reads).
  ollama: { types: COMMON, measuredOn: 'bytes', maxImageBytes: 50 * MB, maxRequestBytes: 50 * MB, maxImages: 500, source: 'Ollama API' },
};

/** Decoded size of base64 text, without decoding it. */
export function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

export function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
}

/** The images of a request, in order. */
export function imagesOf(request: ChatRequest): ChatImage[] {
  return request.messages.flatMap((m) => m.images ?? []);
}

/**
 * Refuses, before anything is sent, an image the provider's API would reject (a type it does not read, one too large,
 * too many), saying which rule and where it is written, rather than letting the request fail on the wire.
 */
export function checkImages(providerId: string, providerName: string, request: ChatRequest): void {
  const images = imagesOf(request);
  if (images.length === 0) return;
  const limits = imageLimits[providerId] ?? imageLimits.openai;
  if (!limits) return;
  const refuse = (message: string): never => {
    throw new ProviderError('bad-request', message, { code: 'image_not_accepted', hint: `Attach a ${limits.types.map((t) => t.replace('image/', '').toUpperCase()).join(', ')} image within these limits (${limits.source}).` });
  };
  if (images.length > limits.maxImages) refuse(`${providerName} takes at most ${String(limits.maxImages)} images in one request; this one has ${String(images.length)}.`);
  let total = 0;
  for (const image of images) {
    if (!limits.types.includes(image.mimeType)) refuse(`${providerName} does not read ${image.mimeType} images.`);
    const bytes = limits.measuredOn === 'base64' ? image.data.length : base64Bytes(image.data);
    const what = limits.measuredOn === 'base64' ? ' in base64' : '';
    if (bytes > limits.maxImageBytes) refuse(`${providerName} takes images of at most ${megabytes(limits.maxImageBytes)}${what}; this one is ${megabytes(bytes)}${what}.`);
    total += bytes;
  }
  if (total > limits.maxRequestBytes) refuse(`${providerName} takes at most ${megabytes(limits.maxRequestBytes)} of images in one request; this one carries ${megabytes(total)}.`);
  const mismatch = imageTypeMismatch(images);
  if (mismatch) throw new ProviderError('bad-request', imageMismatchMessage(mismatch), { code: 'image_not_accepted', hint: 'Save the image again as the type it says (or give the file the ending of what it is), then attach it again.' });
}

/** "Image 2 says it is a PNG (image/png), but its bytes are a JPEG image; it was not sent." */
export function imageMismatchMessage(mismatch: { readonly position: number; readonly declared: string; readonly actual: string | undefined }): string {
  const what = mismatch.actual ? `a ${imageTypeName(mismatch.actual)} image` : 'not a PNG, JPEG, GIF or WebP image';
  return `Image ${String(mismatch.position)} says it is a ${imageTypeName(mismatch.declared)} (${mismatch.declared}), but its bytes are ${what}; it was not sent.`;
}

/**
 * The adapter's events, after its image rules are checked when the stream is first read (a refusal comes out of the
 * stream like any failure). The events' own iterator is handed out, not wrapped: a wrapper would cost every event a step.
 */
export function imagesChecked<T>(providerId: string, providerName: string, request: ChatRequest, events: () => AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      try {
        checkImages(providerId, providerName, request);
      } catch (error) {
        return refused<T>(error);
      }
      return events()[Symbol.asyncIterator]();
    },
  };
}

/** An iterator whose first read fails with `error`, and that is finished after it. */
function refused<T>(error: unknown): AsyncIterator<T> {
  let told = false;
  const finished = (): Promise<IteratorResult<T>> => Promise.resolve({ done: true, value: undefined });
  return {
    next: () => {
      if (told) return finished();
      told = true;
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    return: finished,
  };
}

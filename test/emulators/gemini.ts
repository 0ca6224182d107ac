import { isBase64 } from './images';
import { chunkLines, fixtureJson, genaiResponse, sseBlocks } from './recordings';
import { startEmulator, type Emulator, type ReceivedRequest, type Reply } from './server';

/** Which recorded answer the Gemini emulator replays. */
export type GeminiRecording = 'basic' | 'thinking' | 'max-tokens' | 'cached' | 'function-call' | 'thoughts' | 'function-call-signed';

export interface GeminiEmulator extends Emulator {
  use(recording: GeminiRecording): void;
  readonly apiKey: string;
}

const models = (fixtureJson('docs/gemini/models.json') as { models: { name: string }[] }).models;
const notFound = genaiResponse('recorded/gemini/js-genai__sendMessage_stream_with_error_404.json');

const streams: Record<GeminiRecording, () => string[]> = {
  basic: () => sseBlocks('recorded/gemini/firebase-vertexai-sdk-test-data__googleai__streaming-success-basic-reply-short.txt'),
  // Gemini's own server ends each event with CRLF CRLF.
  thinking: () => chunkLines('recorded/gemini/vercel-ai__google-text.chunks.txt').map((line) => `data: ${line}\r\n\r\n`),
  'max-tokens': () => genaiResponse('recorded/gemini/js-genai__generateContentStream_ML_Dev_specified_parameters.json').segments.map((s) => `data: ${JSON.stringify(s)}\r\n\r\n`),
  cached: () => sseBlocks('recorded/gemini/firebase-vertexai-sdk-test-data__googleai__streaming-success-basic-reply-short.txt'),
  // Gemini streams a function call whole, in one event.
  'function-call': () => [`data: ${JSON.stringify(fixtureJson('docs/gemini/function-call.json'))}\r\n\r\n`],
  // includeThoughts: the thought summary arrives as a part marked thought, before the answer.
  thoughts: () => sseBlocks('docs/gemini/thought-summary-stream.sse'),
  // Gemini 3: the function call part carries its thought signature.
  'function-call-signed': () => [`data: ${JSON.stringify(fixtureJson('docs/gemini/function-call-signed.json'))}\r\n\r\n`],
};

const unary: Record<GeminiRecording, string> = {
  basic: 'recorded/gemini/firebase-vertexai-sdk-test-data__googleai__unary-success-basic-reply-short.json',
  thinking: 'recorded/gemini/vercel-ai__google-text.json',
  'max-tokens': 'recorded/gemini/vercel-ai__google-text.json',
  cached: 'recorded/gemini/firebase-vertexai-sdk-test-data__vertexai__unary-success-implicit-caching.json',
  'function-call': 'docs/gemini/function-call.json',
  thoughts: 'recorded/gemini/vercel-ai__google-text.json',
  'function-call-signed': 'docs/gemini/function-call-signed.json',
};

/** Signatures this emulator hands out, and the two stand-ins the thought-signatures guide documents for a history without them. */
const issuedSignatures = new Set<string>([
  ...(fixtureJson('docs/gemini/function-call-signed.json') as { candidates: { content: { parts: { thoughtSignature?: string }[] } }[] }).candidates.flatMap((c) => c.content.parts.flatMap((p) => (p.thoughtSignature ? [p.thoughtSignature] : []))),
  'skip_thought_signature_validator',
  'context_engineering_is_the_way_to_go',
]);

/**
 * Gemini 3's check of the current turn (https://ai.google.dev/gemini-api/docs/thought-signatures, "Function calling"):
 * after the newest user text, the first functionCall part of each model step must carry its thought signature, and a
 * signature sent must be one the API gave (or a documented stand-in).
 */
function checkSignatures(model: string, body: unknown): Reply | undefined {
  const contents = (body as { contents?: unknown } | undefined)?.contents;
  if (!/^gemini-([3-9]|\d\d)/.test(model) || !Array.isArray(contents)) return undefined;
  const turns = contents as { role?: string; parts?: Record<string, unknown>[] }[];
  for (const turn of turns) {
    for (const part of turn.parts ?? []) {
      if (typeof part.thoughtSignature === 'string' && !issuedSignatures.has(part.thoughtSignature)) return invalidArgument('Corrupted thought signature.');
    }
  }
  const current = turns.findLastIndex((t) => t.role === 'user' && (t.parts ?? []).some((p) => typeof p.text === 'string'));
  for (const [c, turn] of turns.entries()) {
    if (c <= current || turn.role !== 'model') continue;
    const first = (turn.parts ?? []).find((p) => p.functionCall !== undefined);
    if (first && typeof first.thoughtSignature !== 'string') {
      const name = String((first.functionCall as { name?: unknown }).name);
      return invalidArgument(`Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${String(c + 1)}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`);
    }
  }
  return undefined;
}

/** Google's error bodies: recorded where a recording exists, else the documented google.rpc.Status shape. */
export function geminiErrorBody(status: number): unknown {
  if (status === 400) return fixtureJson('recorded/gemini/vercel-ai__issue-8943-gemini-2.5-flash-error.json');
  if (status === 401) return { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } };
  if (status === 403) return fixtureJson('recorded/gemini/firebase-vertexai-sdk-test-data__googleai__unary-failure-generativelanguage-api-not-enabled.json');
  if (status === 404) return notFound.segments[0];
  if (status === 429) return fixtureJson('recorded/gemini/vercel-ai__google-429-retry-info.json');
  if (status === 503) return { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } };
  return { error: { code: status, message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting', status: 'INTERNAL' } };
}

const INLINE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'];

function invalidArgument(message: string): Reply {
  return { kind: 'json', status: 400, body: { error: { code: 400, message, status: 'INVALID_ARGUMENT' } } };
}

/**
 * inlineData parts as generateContent checks them (ai.google.dev/api/caching#Blob, image-understanding guide): bytes
 * as plain base64 (no data: prefix), an image MIME type the API reads (PNG, JPEG, WEBP, HEIC, HEIF).
 */
function checkInlineData(body: unknown): Reply | undefined {
  const contents = (body as { contents?: unknown } | undefined)?.contents;
  if (!Array.isArray(contents)) return undefined;
  for (const [c, content] of (contents as { parts?: unknown }[]).entries()) {
    if (!Array.isArray(content.parts)) continue;
    for (const [p, part] of (content.parts as Record<string, unknown>[]).entries()) {
      const blob = part.inlineData as { mimeType?: unknown; data?: unknown } | undefined;
      if (!blob) continue;
      if (typeof blob.data !== 'string' || !isBase64(blob.data)) {
        return invalidArgument(`Invalid value at 'contents[${String(c)}].parts[${String(p)}].inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${String(blob.data).slice(0, 40)}"`);
      }
      if (!INLINE_TYPES.includes(String(blob.mimeType))) return invalidArgument(`Unsupported MIME type: ${String(blob.mimeType)}`);
    }
  }
  return undefined;
}

function countWords(body: unknown): number {
  return (JSON.stringify(body ?? {}).match(/"text":"([^"]*)"/g) ?? []).reduce((n, m) => n + m.slice(8, -1).split(/\s+/).filter(Boolean).length, 0);
}

/** generativelanguage v1beta as https://ai.google.dev/api describes it (models, generateContent, streamGenerateContent, countTokens). */
export async function startGeminiEmulator(options: { apiKey?: string; pageSize?: number } = {}): Promise<GeminiEmulator> {
  const apiKey = options.apiKey ?? 'AIzaSyTestEmulatorKey0123456789abcdefg';
  // The service may return fewer models than pageSize; a small page makes clients follow nextPageToken.
  const servedPage = options.pageSize ?? 2;
  let recording: GeminiRecording = 'basic';
  const route = (request: ReceivedRequest): Reply => {
    const key = request.headers['x-goog-api-key'] ?? request.query.get('key');
    if (key !== apiKey) return { kind: 'json', status: 400, body: fixtureJson('recorded/gemini/firebase-vertexai-sdk-test-data__googleai__unary-failure-api-key.json') };
    // The service answers on v1 and v1beta alike; SDKs pick one of them.
    const path = request.path.replace(/^\/v1\//, '/v1beta/');
    if (request.method === 'GET' && path === '/v1beta/models') {
      const start = Number(request.query.get('pageToken') ?? '0');
      const size = Math.min(Number(request.query.get('pageSize') ?? '50'), servedPage);
      const page = models.slice(start, start + size);
      const next = start + size < models.length ? { nextPageToken: String(start + size) } : {};
      return { kind: 'json', body: { models: page, ...next } };
    }
    const match = /^\/v1beta\/models\/([^:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(path);
    if (request.method !== 'POST' || !match) return { kind: 'json', status: 404, body: { error: { code: 404, message: `Requested entity was not found: ${request.path}`, status: 'NOT_FOUND' } } };
    const [, model = '', method] = match;
    if (!models.some((m) => m.name === `models/${model}`)) {
      const body = JSON.stringify(notFound.segments[0]).replaceAll('custom-gemini-2.0-flash', model);
      return { kind: 'json', status: 404, body, headers: method === 'streamGenerateContent' ? { 'content-type': 'text/event-stream' } : {} };
    }
    const refused = checkInlineData(method === 'countTokens' ? (request.body as { generateContentRequest?: unknown } | undefined)?.generateContentRequest ?? request.body : request.body);
    if (refused) return refused;
    const unsigned = method === 'countTokens' ? undefined : checkSignatures(model, request.body);
    if (unsigned) return unsigned;
    if (method === 'countTokens') {
      const total = countWords(request.body);
      return { kind: 'json', body: { totalTokens: total, promptTokensDetails: [{ modality: 'TEXT', tokenCount: total }] } };
    }
    if (method === 'generateContent') return { kind: 'json', body: fixtureJson(unary[recording]) };
    return {
      kind: 'stream',
      contentType: 'text/event-stream',
      frames: streams[recording](),
      filler: 'data: {"candidates": [{"content": {"parts": [{"text": "more "}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 7,"totalTokenCount": 7}}\r\n\r\n',
      malformed: 'data: {"candidates": [{"content": {"parts": [{"text": \r\n\r\n',
      oversize: { head: 'data: {"candidates": [{"content": {"parts": [{"text": "', tail: '"}],"role": "model"}}]}\r\n\r\n' },
    };
  };
  const emulator = await startEmulator({ name: 'Gemini', route, errorBody: geminiErrorBody });
  return {
    ...emulator,
    apiKey,
    use: (next) => {
      recording = next;
    },
  };
}

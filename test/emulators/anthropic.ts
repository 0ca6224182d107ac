import { isBase64, sniffImage } from './images';
import { chunkLines, fixtureJson, sseBlocks } from './recordings';
import { startEmulator, type Emulator, type ReceivedRequest, type Reply } from './server';

/** Which documented answer the Anthropic emulator replays. */
export type AnthropicRecording = 'text' | 'tool-use' | 'cached' | 'thinking' | 'cache-hit' | 'thinking-tool-use';

export interface AnthropicEmulator extends Emulator {
  use(recording: AnthropicRecording): void;
  readonly apiKey: string;
}

const errors = fixtureJson('docs/anthropic/errors.json') as Record<string, unknown>;
const models = fixtureJson('docs/anthropic/models.json') as { data: { id: string }[] };

export function anthropicErrorBody(status: number): unknown {
  return errors[String(status)] ?? errors[status >= 500 ? '500' : '400'];
}

const streams: Record<AnthropicRecording, () => string[]> = {
  text: () => sseBlocks('docs/anthropic/messages-stream.sse'),
  'tool-use': () => sseBlocks('docs/anthropic/messages-stream-tool-use.sse'),
  cached: () => sseBlocks('docs/anthropic/messages-stream.sse'),
  // Recorded live (chunk-lines): a thinking block (thinking and signature deltas), then the text.
  thinking: () => recordedFrames('recorded/anthropic/vercel-ai__anthropic-clear-thinking.1.chunks.txt'),
  // Recorded live: a second request reading 6,289 prompt tokens from the cache and writing 3,337.
  'cache-hit': () => recordedFrames('recorded/anthropic/vercel-ai__anthropic-code-execution-20260120-prompt-cache.1.chunks.txt'),
  // A thinking block (text and signature deltas), a redacted_thinking block, text, then a tool_use.
  'thinking-tool-use': () => sseBlocks('docs/anthropic/messages-stream-thinking-tool-use.sse'),
};

const unary: Partial<Record<AnthropicRecording, string>> = {
  cached: 'docs/anthropic/message-cached.json',
  'thinking-tool-use': 'docs/anthropic/message-thinking-tool-use.json',
};

/** The thinking blocks this emulator hands out (in its streams and its whole messages): a block sent back must be one of them, unchanged. */
const issuedThinking: Record<string, unknown>[] = [
  ...(fixtureJson('docs/anthropic/message-thinking-tool-use.json') as { content: Record<string, unknown>[] }).content.filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking'),
  ...Object.values(streams).flatMap((frames) => thinkingOf(frames())),
];

/** The thinking and redacted_thinking blocks a stream's frames build. */
function thinkingOf(frames: readonly string[]): Record<string, unknown>[] {
  const blocks = new Map<number, Record<string, unknown>>();
  for (const frame of frames) {
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (data === undefined) continue;
    const event = JSON.parse(data) as { type?: string; index?: number; content_block?: Record<string, unknown>; delta?: { type?: string; thinking?: string; signature?: string } };
    const index = event.index ?? 0;
    if (event.type === 'content_block_start' && (event.content_block?.type === 'thinking' || event.content_block?.type === 'redacted_thinking')) blocks.set(index, { ...event.content_block });
    const block = blocks.get(index);
    if (event.type === 'content_block_delta' && block) {
      if (event.delta?.type === 'thinking_delta') block.thinking = `${String(block.thinking)}${event.delta.thinking ?? ''}`;
      if (event.delta?.type === 'signature_delta') block.signature = `${String(block.signature)}${event.delta.signature ?? ''}`;
    }
  }
  return [...blocks.values()];
}
const THINKING_DOCS = 'https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

/** A chunk-lines recording framed as the API sends it: each event's type as the SSE event name. */
function recordedFrames(path: string): string[] {
  return chunkLines(path).map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`);
}

function error(status: number, type: string, message: string): Reply {
  return { kind: 'json', status, body: { type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' } };
}

const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
/** The Messages API's cap on one image: its base64 text, 5 MB. */
const MAX_IMAGE_BASE64 = 5_242_880;

/**
 * Image blocks as the Messages API checks them (platform.claude.com/docs/en/build-with-claude/vision and the errors it
 * answers with): a base64 source of JPEG, PNG, GIF or WebP whose bytes are that type, at most 5 MB of base64.
 */
function checkImages(messages: unknown): Reply | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (const [m, message] of (messages as { content?: unknown }[]).entries()) {
    if (!Array.isArray(message.content)) continue;
    for (const [b, block] of (message.content as Record<string, unknown>[]).entries()) {
      if (block.type !== 'image') continue;
      const at = `messages.${String(m)}.content.${String(b)}.image.source`;
      const source = block.source as { type?: unknown; media_type?: unknown; data?: unknown } | undefined;
      if (source?.type !== 'base64' && source?.type !== 'url' && source?.type !== 'file') return error(400, 'invalid_request_error', `${at}: Input tag '${String(source?.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`);
      if (source.type !== 'base64') continue;
      if (!MEDIA_TYPES.includes(String(source.media_type))) return error(400, 'invalid_request_error', `${at}.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
      if (typeof source.data !== 'string' || !isBase64(source.data)) return error(400, 'invalid_request_error', `${at}.base64.data: The image data is not valid base64.`);
      if (source.data.length > MAX_IMAGE_BASE64) return error(400, 'invalid_request_error', `${at}.base64: image exceeds 5 MB maximum: ${String(source.data.length)} bytes > ${String(MAX_IMAGE_BASE64)} bytes`);
      if (sniffImage(source.data) !== source.media_type) return error(400, 'invalid_request_error', `${at}.base64.data: Image does not match the provided media type ${String(source.media_type)}`);
    }
  }
  return undefined;
}

type Block = Record<string, unknown>;

/**
 * Extended thinking's rules on the history (platform.claude.com/docs/en/build-with-claude/extended-thinking, "Preserving
 * thinking blocks"), with the API's own messages: with thinking on, the assistant turn whose tool results end the
 * request must start with its thinking or redacted_thinking block; a thinking block sent back must be unchanged.
 */
function checkThinking(body: { thinking?: { type?: unknown }; messages?: unknown }): Reply | undefined {
  if (!Array.isArray(body.messages)) return undefined;
  const messages = body.messages as { role?: unknown; content?: unknown }[];
  for (const [m, message] of messages.entries()) {
    if (message.role !== 'assistant' || !Array.isArray(message.content)) continue;
    for (const [b, block] of (message.content as Block[]).entries()) {
      if (block.type !== 'thinking' && block.type !== 'redacted_thinking') continue;
      const known = issuedThinking.some((issued) => Object.keys(issued).length === Object.keys(block).length && Object.entries(issued).every(([key, value]) => block[key] === value));
      if (!known) return error(400, 'invalid_request_error', `messages.${String(m)}.content.${String(b)}: Invalid \`signature\` in \`${block.type}\` block`);
    }
  }
  const on = body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';
  const last = messages.at(-1);
  const endsInResults = last?.role === 'user' && Array.isArray(last.content) && (last.content as Block[]).some((b) => b.type === 'tool_result');
  if (!on || !endsInResults) return undefined;
  const turn = messages.length - 2;
  const content = messages[turn]?.content;
  const first = Array.isArray(content) ? (content as Block[])[0]?.type : 'text';
  if (first === 'thinking' || first === 'redacted_thinking') return undefined;
  return error(400, 'invalid_request_error', `messages.${String(turn)}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at ${THINKING_DOCS}`);
}

/** The Messages, Models and Count Tokens APIs as https://platform.claude.com/docs/en/api describes them. */
export async function startAnthropicEmulator(options: { apiKey?: string; pageSize?: number } = {}): Promise<AnthropicEmulator> {
  const apiKey = options.apiKey ?? 'sk-ant-api03-test-emulator-key-0123456789';
  const servedPage = options.pageSize ?? 2;
  let recording: AnthropicRecording = 'text';
  const route = (request: ReceivedRequest): Reply => {
    // The API takes the key as x-api-key; SDK 1.x (API version 2026-10-21) sends it as a bearer token.
    if (request.headers['x-api-key'] !== apiKey && request.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'authentication_error', 'invalid x-api-key');
    if (!request.headers['anthropic-version']) return error(400, 'invalid_request_error', 'anthropic-version: header is required');
    if (request.method === 'GET' && request.path === '/v1/models') {
      const after = request.query.get('after_id');
      const start = after ? models.data.findIndex((m) => m.id === after) + 1 : 0;
      const size = Math.min(Number(request.query.get('limit') ?? '20'), servedPage);
      const page = models.data.slice(start, start + size);
      return { kind: 'json', body: { data: page, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null, has_more: start + size < models.data.length } };
    }
    const body = (request.body ?? {}) as { model?: string; stream?: boolean; max_tokens?: number; messages?: unknown; thinking?: { type?: unknown } };
    if (request.method === 'POST' && (request.path === '/v1/messages' || request.path === '/v1/messages/count_tokens')) {
      if (!models.data.some((m) => m.id === body.model)) return error(404, 'not_found_error', `model: ${String(body.model)}`);
      const refused = checkImages(body.messages);
      if (refused) return refused;
      if (request.path.endsWith('count_tokens')) return { kind: 'json', body: fixtureJson('docs/anthropic/count-tokens.json') };
      if (typeof body.max_tokens !== 'number') return error(400, 'invalid_request_error', 'max_tokens: Field required');
      const unthought = checkThinking(body);
      if (unthought) return unthought;
      if (body.stream !== true) return { kind: 'json', body: fixtureJson(unary[recording] ?? 'docs/anthropic/message.json') };
      return {
        kind: 'stream',
        contentType: 'text/event-stream; charset=utf-8',
        frames: streams[recording](),
        filler: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"more "}}\n\n',
        malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{\n\n',
        oversize: { head: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"', tail: '"}}\n\n' },
      };
    }
    return error(404, 'not_found_error', 'Not Found');
  };
  const emulator = await startEmulator({ name: 'Anthropic', route, errorBody: anthropicErrorBody });
  return {
    ...emulator,
    apiKey,
    use: (next) => {
      recording = next;
    },
  };
}

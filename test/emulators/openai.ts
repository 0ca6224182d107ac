import * as specs from 'gpt-tokenizer/models.gen';
import { isBase64, sniffImage } from './images';
import { chunkLines, dotnetEntry, fixtureJson } from './recordings';
import { startEmulator, type Emulator, type ReceivedRequest, type Reply } from './server';

/** Which recorded chat the OpenAI emulator replays. */
export type OpenAIRecording = 'text' | 'cached' | 'hello' | 'tool-calls';

/** Which recorded Responses API stream `/v1/responses` replays. */
export type OpenAIResponsesRecording = 'reasoning-tools' | 'phase';

export interface OpenAIEmulator extends Emulator {
  /** Replays this recording for the following chats. */
  use(recording: OpenAIRecording): void;
  /** Replays this recording for the following Responses API calls. */
  useResponses(recording: OpenAIResponsesRecording): void;
  /** The following chats answer with this text in the recorded chat's envelope (undefined: the recording's own). */
  answerWith(text: string | undefined): void;
  readonly apiKey: string;
}

const errors = fixtureJson('docs/openai/errors.json') as Record<string, unknown>;
const authFailure = dotnetEntry('recorded/openai/openai-dotnet__ChatTests__AuthFailure.json');
/** Whose model list `/v1/models` answers with: OpenAI's (no window), OpenRouter's (`context_length`) or vLLM's (`max_model_len`). */
export type OpenAIModelList = 'openai' | 'openrouter' | 'vllm';

const modelLists: Record<OpenAIModelList, { data: { id: string }[] }> = {
  openai: dotnetEntry('recorded/openai/openai-dotnet__ModelsTests__ListModels.json').body as { data: { id: string }[] },
  openrouter: fixtureJson('docs/openrouter/models.json') as { data: { id: string }[] },
  vllm: fixtureJson('docs/vllm/models.json') as { data: { id: string }[] },
};
const cached = fixtureJson('recorded/openai/vercel-ai__openai-chat-cached-input-tokens-11178.json') as { attempts: { rawResponseBody: unknown }[] };

const completions: Record<OpenAIRecording, () => unknown> = {
  text: () => fixtureJson('recorded/openai/vercel-ai__openai-text.json'),
  cached: () => cached.attempts[1]?.rawResponseBody,
  hello: () => dotnetEntry('recorded/openai/openai-dotnet__ChatTests__HelloWorldChat.json').body,
  'tool-calls': () => fixtureJson('recorded/openai/vercel-ai__openai-text.json'),
};

const streams: Partial<Record<OpenAIRecording, string>> = {
  text: 'recorded/openai/vercel-ai__openai-text.chunks.txt',
  'tool-calls': 'docs/openai/tool-calls.chunks.txt',
};

/** The error body OpenAI sends with a status (docs/openai/errors.json and the recorded 401). */
export function openaiErrorBody(status: number): unknown {
  if (status === 401) return authFailure.body;
  if (status === 403) return errors.permission_denied;
  if (status === 404) return errors.model_not_found;
  if (status === 429) return errors.rate_limit_exceeded;
  if (status === 400) return fixtureJson('recorded/openai/vercel-ai__reasoning-model-legacy-parameter-error.json');
  return errors.server_error;
}

function invalid(message: string, param: string | null, code: string | null): Reply {
  return { kind: 'json', status: 400, body: { error: { message, type: 'invalid_request_error', param, code } } };
}

/**
 * Whether the served model reads images: the list's own input modalities where it has them (OpenRouter), else OpenAI's
 * model page's (as gpt-tokenizer's specs carry them).
 */
function readsImages(list: { data: { id: string }[] }, model: string): boolean {
  const listed = list.data.find((m) => m.id === model) as { architecture?: { input_modalities?: string[] } } | undefined;
  if (listed?.architecture?.input_modalities) return listed.architecture.input_modalities.includes('image');
  const spec = (specs as unknown as Record<string, { modalities?: { input?: string[] } } | undefined>)[model.replace(/^openai\//, '')];
  return spec?.modalities?.input?.includes('image') ?? false;
}

/**
 * Content parts as the Chat Completions reference describes them: text parts, and image_url parts whose url is an
 * http(s) URL or a base64 data: URL of PNG, JPEG, WEBP or non-animated GIF, with detail auto, low, high or original.
 * A model without vision refuses image parts, and bytes that are not the image type said are refused as the API does.
 */
function checkContent(list: { data: { id: string }[] }, model: string, messages: unknown): Reply | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (const [m, message] of (messages as { content?: unknown }[]).entries()) {
    if (!Array.isArray(message.content)) continue;
    for (const [p, part] of (message.content as Record<string, unknown>[]).entries()) {
      const param = `messages.[${String(m)}].content.[${String(p)}]`;
      if (part.type === 'text') {
        if (typeof part.text !== 'string') return invalid(`Invalid type for '${param}.text': expected a string.`, `${param}.text`, 'invalid_type');
        continue;
      }
      if (part.type !== 'image_url') return invalid(`Invalid value: '${String(part.type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.`, `${param}.type`, 'invalid_value');
      if (!readsImages(list, model)) return invalid('Invalid content type. image_url is only supported by certain models.', `${param}.type`, null);
      const image = part.image_url as { url?: unknown; detail?: unknown } | undefined;
      if (typeof image?.url !== 'string') return invalid(`Missing required parameter: '${param}.image_url.url'.`, `${param}.image_url.url`, 'missing_required_parameter');
      if (image.detail !== undefined && !['auto', 'low', 'high', 'original'].includes(JSON.stringify(image.detail).replaceAll('"', ''))) return invalid(`Invalid value: '${JSON.stringify(image.detail)}'. Supported values are: 'auto', 'low', 'high' and 'original'.`, `${param}.image_url.detail`, 'invalid_value');
      if (/^https?:\/\//.test(image.url)) continue;
      const data = /^data:(image\/[a-z]+);base64,(.*)$/s.exec(image.url);
      if (!data?.[2] || !isBase64(data[2])) return invalid("Invalid 'image_url.url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got a value without the 'data:' prefix.", `${param}.image_url.url`, 'invalid_value');
      const sniffed = sniffImage(data[2]);
      if (!sniffed) return invalid("You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].", null, 'invalid_image_format');
    }
  }
  return undefined;
}

/** A recorded stream's events with their content deltas replaced by `text`, in deltas of 4,000 characters. */
function linesWithText(path: string, text: string | undefined): string[] {
  const lines = chunkLines(path);
  if (text === undefined) return lines;
  const hasContent = (line: string): boolean => Boolean((JSON.parse(line) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content);
  const template = JSON.parse(lines.find(hasContent) ?? '{}') as { choices: { delta: { content: string } }[] };
  const deltas = Array.from({ length: Math.ceil(text.length / 4000) }, (_, i) => {
    const choice = template.choices[0];
    if (choice) choice.delta.content = text.slice(i * 4000, (i + 1) * 4000);
    return JSON.stringify(template);
  });
  const first = lines.findIndex(hasContent);
  const rest = lines.filter((line) => !hasContent(line));
  return [...rest.slice(0, first), ...deltas, ...rest.slice(first)];
}

/** Streams leave out usage unless the request asked for it with stream_options.include_usage. */
function streamFrames(path: string, includeUsage: boolean, text?: string): string[] {
  const frames = linesWithText(path, text).flatMap((line) => {
    const chunk = JSON.parse(line) as { choices: unknown[]; usage?: unknown };
    if (!includeUsage) {
      if (chunk.choices.length === 0) return [];
      delete chunk.usage;
      return [`data: ${JSON.stringify(chunk)}\n\n`];
    }
    return [`data: ${line}\n\n`];
  });
  return [...frames, 'data: [DONE]\n\n'];
}

/**
 * A recorded Responses stream as its responses, each a list of events: the reasoning-tools recording holds four
 * consecutive calls of one tool loop (gpt-5.1-codex-max), the phase one a single answer (gpt-5.3-codex).
 */
const responsesStreams: Record<OpenAIResponsesRecording, string> = {
  'reasoning-tools': 'recorded/openai/vercel-ai__openai-reasoning-encrypted-content.1.chunks.txt',
  phase: 'recorded/openai/vercel-ai__openai-phase.1.chunks.txt',
};

export function responsesSegments(recording: OpenAIResponsesRecording): { type: string; response?: unknown }[][] {
  const segments: { type: string; response?: unknown }[][] = [];
  for (const line of chunkLines(responsesStreams[recording])) {
    const event = JSON.parse(line) as { type: string; response?: unknown };
    if (event.type === 'response.created' || segments.length === 0) segments.push([]);
    segments.at(-1)?.push(event);
  }
  return segments;
}

/** OpenAI's answer on Chat Completions for a model served only on the Responses API. */
export const responsesOnlyError = { error: { message: 'This model is only supported in v1/responses and not in v1/chat/completions.', type: 'invalid_request_error', param: 'model', code: null } };

/** The Responses API: the turn of a tool loop is the number of tool results the input carries. */
function responsesReply(request: ReceivedRequest, recording: OpenAIResponsesRecording, known: (model: string) => boolean): Reply {
  const body = request.body as { model?: unknown; input?: unknown; stream?: boolean } | undefined;
  // `input` is a string (one user message) or a list of items.
  if (typeof body?.model !== 'string' || (typeof body.input !== 'string' && !Array.isArray(body.input))) return { kind: 'json', status: 400, body: { error: { message: "Missing required parameter: 'input'.", type: 'invalid_request_error', param: 'input', code: 'missing_required_parameter' } } };
  const segments = responsesSegments(recording);
  // The recorded models answer too, though the recorded model list predates them.
  const recorded = segments.flat().map((e) => (e.response as { model?: string } | undefined)?.model);
  if (!known(body.model) && !recorded.includes(body.model)) return { kind: 'json', status: 404, body: JSON.stringify(errors.model_not_found).replace('gpt-nonexistent', body.model) };
  const turn = Array.isArray(body.input) ? (body.input as { type?: string }[]).filter((item) => item.type === 'function_call_output').length : 0;
  const events = segments[Math.min(turn, segments.length - 1)] ?? [];
  if (body.stream !== true) return { kind: 'json', body: events.find((e) => e.type === 'response.completed')?.response };
  return {
    kind: 'stream',
    contentType: 'text/event-stream; charset=utf-8',
    frames: events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`),
    filler: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"msg_endless","output_index":0,"content_index":0,"delta":"more ","sequence_number":0}\n\n',
    malformed: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":\n\n',
    oversize: { head: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"msg_big","output_index":0,"content_index":0,"delta":"', tail: '","sequence_number":0}\n\n' },
  };
}

/** Chat Completions and Models as https://platform.openai.com/docs/api-reference describes them. */
export async function startOpenAIEmulator(
  options: {
    apiKey?: string;
    models?: OpenAIModelList;
    responsesOnly?: readonly string[];
    /** Sees each request first and answers it when it returns a reply (a gateway's own routes in front of the OpenAI ones). */
    before?: (request: ReceivedRequest) => Reply | undefined;
  } = {},
): Promise<OpenAIEmulator> {
  const apiKey = options.apiKey ?? 'sk-test-emulator-key-0123456789';
  const models = modelLists[options.models ?? 'openai'];
  let recording: OpenAIRecording = 'text';
  let responsesRecording: OpenAIResponsesRecording = 'phase';
  let answer: string | undefined;
  const route = (request: ReceivedRequest): Reply => {
    const early = options.before?.(request);
    if (early) return early;
    if (request.headers.authorization !== `Bearer ${apiKey}`) return { kind: 'json', status: 401, body: authFailure.body };
    if (request.method === 'GET' && request.path === '/v1/models') return { kind: 'json', body: models };
    if (request.method === 'POST' && request.path === '/v1/responses') return responsesReply(request, responsesRecording, (model) => models.data.some((m) => m.id === model));
    if (request.method === 'POST' && request.path === '/v1/chat/completions') {
      const body = request.body as { model?: string; messages?: unknown; stream?: boolean; stream_options?: { include_usage?: boolean } } | undefined;
      if (body?.model !== undefined && options.responsesOnly?.includes(body.model)) return { kind: 'json', status: 404, body: responsesOnlyError };
      if (!body || !models.data.some((m) => m.id === body.model)) {
        const notFound = JSON.stringify(errors.model_not_found).replace('gpt-nonexistent', String(body?.model));
        return { kind: 'json', status: 404, body: notFound };
      }
      const refused = checkContent(models, String(body.model), body.messages);
      if (refused) return refused;
      const stream = streams[recording];
      if (body.stream === true && stream) {
        return {
          kind: 'stream',
          contentType: 'text/event-stream; charset=utf-8',
          frames: streamFrames(stream, body.stream_options?.include_usage === true, answer),
          filler: 'data: {"id":"chatcmpl-endless","object":"chat.completion.chunk","created":0,"model":"gpt-4.1-nano-2025-04-14","choices":[{"index":0,"delta":{"content":"more "},"finish_reason":null}]}\n\n',
          malformed: 'data: {"id":"chatcmpl-broken","choices":[{"delta":\n\n',
          oversize: { head: 'data: {"id":"chatcmpl-big","choices":[{"index":0,"delta":{"content":"', tail: '"}}]}\n\n' },
        };
      }
      const completion = structuredClone(completions[recording]()) as { choices: { message: { content: string | null } }[] };
      const choice = completion.choices[0];
      if (answer !== undefined && choice) choice.message.content = answer;
      return { kind: 'json', body: completion };
    }
    return { kind: 'json', status: 404, body: { error: { message: `Invalid URL (${request.method} ${request.path})`, type: 'invalid_request_error', param: null, code: null } } };
  };
  const emulator = await startEmulator({ name: 'OpenAI', route, errorBody: openaiErrorBody });
  return {
    ...emulator,
    apiKey,
    use: (next) => {
      recording = next;
    },
    useResponses: (next) => {
      responsesRecording = next;
    },
    answerWith: (text) => {
      answer = text;
    },
  };
}

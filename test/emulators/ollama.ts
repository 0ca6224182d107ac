import { firstIllegalBase64, isBase64 } from './images';
import { fixtureJson, fixtureText, httprrBodies } from './recordings';
import { startEmulator, type Emulator, type ReceivedRequest, type Reply } from './server';

/** Which recorded chat the Ollama emulator replays. */
export type OllamaRecording = 'stream' | 'length' | 'tools' | 'thinking';

export interface OllamaEmulator extends Emulator {
  use(recording: OllamaRecording): void;
}

const tags = fixtureJson('docs/ollama/tags.json') as { models: { name: string; model?: string }[] };
const show = fixtureJson('docs/ollama/show.json') as Record<string, unknown>;
const pullLines = (httprrBodies('recorded/ollama/langchaingo__TestWithPullModel.httprr.txt')[0]?.body ?? '').split('\n').filter(Boolean);

function chatLines(recording: OllamaRecording): string[] {
  if (recording === 'tools') return [JSON.stringify(fixtureJson('docs/ollama/chat-tools.json'))];
  if (recording === 'thinking') return fixtureText('docs/ollama/chat-thinking.ndjson').split('\n').filter(Boolean);
  const file = recording === 'stream' ? 'recorded/ollama/langchaingo__TestClient_GenerateChatStream.httprr.txt' : 'recorded/ollama/langchaingo__TestClient_GenerateChat.httprr.txt';
  return (httprrBodies(file).at(-1)?.body ?? '').split('\n').filter(Boolean);
}

/** `stream: false` answers with the final object carrying the whole message, as the recorded chunks add up to. */
function unary(lines: readonly string[]): unknown {
  const chunks = lines.map((l) => JSON.parse(l) as { message?: { role: string; content: string }; done: boolean });
  const last = chunks.at(-1);
  const content = chunks.map((c) => c.message?.content ?? '').join('');
  return { ...last, message: { role: 'assistant', content } };
}

const notFound = (model: string): unknown => ({ error: `model '${model}' not found` });

/**
 * A message's images are []byte in Ollama's Go API (docs/api.md: "images: a list of images to include in the message,
 * base64-encoded"): encoding/json decodes each as strict base64, and refuses anything else with its own message.
 */
function checkImages(messages: unknown): Reply | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (const message of messages as { images?: unknown }[]) {
    if (message.images === undefined) continue;
    if (!Array.isArray(message.images)) return { kind: 'json', status: 400, body: { error: 'json: cannot unmarshal string into Go struct field Message.messages.images of type []api.ImageData' } };
    for (const image of message.images as unknown[]) {
      if (typeof image !== 'string' || !isBase64(image)) return { kind: 'json', status: 400, body: { error: `illegal base64 data at input byte ${String(typeof image === 'string' ? firstIllegalBase64(image) : 0)}` } };
    }
  }
  return undefined;
}

export function ollamaErrorBody(status: number): unknown {
  if (status === 404) return notFound('missing');
  if (status === 429 || status === 503) return { error: 'server busy, please try again.  maximum pending requests exceeded' };
  if (status === 400) return { error: 'invalid options' };
  return { error: 'llama runner process has terminated: exit status 2' };
}

/** Ollama's native API as https://github.com/ollama/ollama/blob/main/docs/api.md describes it. */
export async function startOllamaEmulator(options: { alsoInstalled?: readonly string[] } = {}): Promise<OllamaEmulator> {
  let recording: OllamaRecording = 'stream';
  // What this server has installed: a delete removes a model, a pull adds one (as a copy of the first listed).
  const first = tags.models[0];
  // alsoInstalled: models that show.json describes but tags.json does not list (gemma3:4b, a vision model).
  const installed = [...tags.models.map((m) => ({ ...m })), ...(first ? (options.alsoInstalled ?? []).map((name) => ({ ...first, name, model: name })) : [])];
  const known = (model: unknown): model is string => installed.some((m) => m.name === model);
  const ndjson = (frames: string[], model = 'gemma3:1b'): Reply => ({
    kind: 'stream',
    contentType: 'application/x-ndjson',
    frames,
    filler: `{"model":"${model}","created_at":"2025-08-20T13:48:24.316155Z","message":{"role":"assistant","content":"more "},"done":false}\n`,
    malformed: `{"model":"${model}","message":{"role":\n`,
    oversize: { head: `{"model":"${model}","message":{"role":"assistant","content":"`, tail: '"},"done":false}\n' },
  });
  const route = (request: ReceivedRequest): Reply => {
    const raw = (request.body ?? {}) as { model?: string; name?: string; stream?: boolean };
    // `name` is the older spelling of `model`, still accepted and still sent by some clients.
    const body = { ...raw, model: raw.model ?? raw.name };
    if (request.method === 'GET' && request.path === '/api/tags') return { kind: 'json', body: { models: installed } };
    if (request.method === 'GET' && request.path === '/api/version') return { kind: 'json', body: { version: '0.11.4' } };
    if (request.method === 'POST' && request.path === '/api/show') {
      return known(body.model) ? { kind: 'json', body: show[body.model] ?? show['gemma3:1b'] } : { kind: 'json', status: 404, body: notFound(String(body.model)) };
    }
    if (request.method === 'POST' && request.path === '/api/chat') {
      if (!known(body.model)) return { kind: 'json', status: 404, body: { error: `model "${String(body.model)}" not found, try pulling it first` } };
      const refused = checkImages((raw as { messages?: unknown }).messages);
      if (refused) return refused;
      const lines = chatLines(recording);
      return body.stream === false ? { kind: 'json', body: unary(lines) } : ndjson(lines.map((l) => `${l}\n`), body.model);
    }
    if (request.method === 'POST' && request.path === '/api/pull') {
      const first = tags.models[0];
      if (typeof body.model === 'string' && !known(body.model) && first) installed.push({ ...first, name: body.model, model: body.model });
      return body.stream === false ? { kind: 'json', body: { status: 'success' } } : ndjson(pullLines.map((l) => `${l}\n`));
    }
    if (request.method === 'DELETE' && request.path === '/api/delete') {
      const index = installed.findIndex((m) => m.name === body.model);
      if (index < 0) return { kind: 'json', status: 404, body: notFound(String(body.model)) };
      installed.splice(index, 1);
      return { kind: 'empty', status: 200 };
    }
    return { kind: 'json', status: 404, body: { error: '404 page not found' } };
  };
  const emulator = await startEmulator({ name: 'Ollama', route, errorBody: ollamaErrorBody });
  return {
    ...emulator,
    use: (next) => {
      recording = next;
    },
  };
}

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** test/fixtures, from the compiled out/test/emulators folder or the source folder alike. */
const root = resolve(__dirname, '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []), 'test', 'fixtures');

export function fixtureText(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

export function fixtureJson(path: string): unknown {
  return JSON.parse(fixtureText(path)) as unknown;
}

/** `chunk-lines`: one JSON chunk per line, SSE framing removed. */
export function chunkLines(path: string): string[] {
  return fixtureText(path).split('\n').filter((line) => line.trim() !== '');
}

/** An SSE file as its events' raw blocks, each ending in a blank line. */
export function sseBlocks(path: string): string[] {
  return fixtureText(path)
    .replace(/\r\n/g, '\n')
    .split(/\n\n+/)
    .filter((block) => block.trim() !== '')
    .map((block) => `${block}\n\n`);
}

export interface RecordedExchange {
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

/** `dotnet-session`: the openai-dotnet test-proxy record. */
export function dotnetEntry(path: string, index = 0): RecordedExchange {
  const session = fixtureJson(path) as { Entries: { StatusCode: number; ResponseHeaders: Record<string, unknown>; ResponseBody: unknown }[] };
  const entry = session.Entries[index];
  if (!entry) throw new Error(`${path} has no entry ${String(index)}`);
  return { status: entry.StatusCode, headers: entry.ResponseHeaders, body: entry.ResponseBody };
}

/** `genai-recording`: js-genai's replay file; for SSE each body segment is one event's parsed data. */
export function genaiResponse(path: string, index = 0): { status: number; headers: Record<string, string>; segments: unknown[] } {
  const file = fixtureJson(path) as { interactions: { response: { statusCode: number; headers: Record<string, string>; bodySegments: unknown[] } }[] };
  const interaction = file.interactions[index];
  if (!interaction) throw new Error(`${path} has no interaction ${String(index)}`);
  return { status: interaction.response.statusCode, headers: interaction.response.headers, segments: interaction.response.bodySegments };
}

/** `httprr`: Go's trace of raw HTTP exchanges; returns each response's de-chunked body. */
export function httprrBodies(path: string): { request: string; body: string }[] {
  const data = readFileSync(join(root, path));
  let offset = data.indexOf('\n') + 1;
  const out: { request: string; body: string }[] = [];
  while (offset < data.length) {
    const lineEnd = data.indexOf('\n', offset);
    if (lineEnd === -1) break;
    const [reqLen, respLen] = data.subarray(offset, lineEnd).toString('latin1').trim().split(' ').map(Number);
    if (reqLen === undefined || respLen === undefined || Number.isNaN(reqLen)) break;
    offset = lineEnd + 1;
    const request = data.subarray(offset, offset + reqLen).toString('utf8');
    offset += reqLen;
    const response = data.subarray(offset, offset + respLen);
    offset += respLen;
    const split = response.indexOf('\r\n\r\n');
    const head = response.subarray(0, split).toString('latin1');
    let body: Buffer = response.subarray(split + 4);
    if (/transfer-encoding:\s*chunked/i.test(head)) body = dechunk(body);
    out.push({ request, body: body.toString('utf8') });
  }
  return out;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd === -1) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

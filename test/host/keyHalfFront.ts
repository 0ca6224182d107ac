import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

/** The file (in the profile, never in the repository) that keeps the server's half of the browser's secret key. */
export const KEY_HALF_FILE = 'serve-web-key-half';
const KEY_BYTES = 32;

export interface KeyHalfFront {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The browser workbench seals its secret storage (where extensions keep secrets, Model Manager its master key) with
 * a key split in two: one half in the browser, the other fetched with `POST /mint-key` from the server that served
 * the page. `code serve-web` and code-server answer that request; the plain VS Code server answers 405, so nothing a
 * window stores survives a reload. This loopback front answers it with a 256-bit half kept in the profile folder
 * and passes every other request and WebSocket through to the VS Code server unchanged.
 */
export async function startKeyHalfFront(options: { readonly port: number; readonly upstreamPort: number; readonly keyFolder: string }): Promise<KeyHalfFront> {
  const keyHalf = loadOrCreateKeyHalf(join(options.keyFolder, KEY_HALF_FILE));
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (isMintKey(req)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store', 'content-length': String(keyHalf.length) });
      res.end(keyHalf);
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: options.upstreamPort, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  // The workbench's remote connection is a WebSocket: forward the upgrade request as it came and splice the sockets.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const upstream = connect(options.upstreamPort, '127.0.0.1', () => {
      upstream.write(rawRequestHead(req));
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    track(sockets, socket);
    track(sockets, upstream);
    const end = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
    socket.on('close', end);
    upstream.on('close', end);
  });
  server.on('connection', (socket) => {
    track(sockets, socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: options.port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      server.close(() => {
        resolve();
      });
    }),
  };
}

function isMintKey(req: IncomingMessage): boolean {
  // The workbench asks at its own path + "/mint-key"; the path is "/" for the URLs npm start and the tests print.
  const path = (req.url ?? '').split('?')[0] ?? '';
  return req.method === 'POST' && /^\/+mint-key$/.test(path);
}

function loadOrCreateKeyHalf(file: string): Buffer {
  if (existsSync(file)) {
    const kept = readFileSync(file);
    if (kept.length === KEY_BYTES) return kept;
    throw new Error(`${file} is not a ${String(KEY_BYTES)}-byte key half (it has ${String(kept.length)} bytes). Move it away to start with a new one; secrets the browser stored under the old one are then lost.`);
  }
  const fresh = randomBytes(KEY_BYTES);
  writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return fresh;
}

function rawRequestHead(req: IncomingMessage): string {
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i] ?? ''}: ${req.rawHeaders[i + 1] ?? ''}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function track(sockets: Set<Socket>, socket: Socket): void {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
}

import { createServer } from 'node:net';

/**
 * Whether nothing listens on 127.0.0.1:`port` now: a probe binds it and lets it go at once. Only EADDRINUSE says
 * "taken"; any other failure (a port out of range) says nothing about a window holding it, so it counts as free.
 */
export function loopbackPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code !== 'EADDRINUSE');
    });
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      probe.close(() => {
        resolve(true);
      });
    });
  });
}

/** The port of a published endpoint address (http://127.0.0.1:PORT); undefined when it names none. */
export function portOfUrl(url: string): number | undefined {
  try {
    const port = Number(new URL(url).port);
    return Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined;
  } catch {
    return undefined;
  }
}

import * as assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../../src/core/http';
import { until } from '../../helpers/until';

describe('the HTTP client under many requests to one origin', () => {
  it('has 100 requests open to one provider at once, as the local endpoint\'s clients stream at once, none queued behind another', async () => {
    const waiting: ServerResponse[] = [];
    // Every request is held until all of them have arrived: a client that queues some never delivers them all.
    const server = createServer((_req, res) => {
      waiting.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const http = new HttpClient({ retry: { maxAttempts: 1 } });
    try {
      const url = new URL(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}/v1/models`);
      const answers = Array.from({ length: 100 }, () => http.send({ method: 'GET', url, expect: 'json' }).then((r) => r.json()));
      await until('all 100 requests to arrive at once', () => waiting.length === 100, { timeoutMs: 5_000 });
      for (const res of waiting) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      assert.equal((await Promise.all(answers)).length, 100);
    } finally {
      for (const res of waiting) if (!res.writableEnded) res.destroy();
      await http.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => {
        resolve();
      }));
    }
  });
});

// The token counter's worker thread: parses o200k's ranks (about a second on a busy machine) and counts, so that the
// extension host's thread never waits for either. Built as its own file (dist/tokenCountWorker.js, see esbuild.mjs).
import { parentPort } from 'node:worker_threads';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { countInRuns } from './countInRuns';

/** A request from the TokenWorker: texts to count, answered with their counts under the same id. */
export interface CountRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

export type WorkerReply = { readonly type: 'ready' } | { readonly type: 'counts'; readonly id: number; readonly counts: readonly number[] };

const port = parentPort;
if (port) {
  port.on('message', (request: CountRequest) => {
    const reply: WorkerReply = { type: 'counts', id: request.id, counts: request.texts.map((text) => countInRuns(countTokens, text)) };
    port.postMessage(reply);
  });
  // The ranks were parsed when the import above ran: counts from now on are exact and take a millisecond.
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
}

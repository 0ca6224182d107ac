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

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'counts'; readonly id: number; readonly counts: readonly number[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/**
 * User text is plain text: `<|endoftext|>` typed or pasted into a chat is the characters, not the special token.
 * gpt-tokenizer's default throws on any special token, which would end the worker (tiktoken's disallowed_special=()).
 */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

function countPlain(text: string): number {
  return countTokens(text, PLAIN_TEXT);
}

const port = parentPort;
if (port) {
  port.on('message', (request: CountRequest) => {
    let reply: WorkerReply;
    try {
      reply = { type: 'counts', id: request.id, counts: request.texts.map((text) => countInRuns(countPlain, text)) };
    } catch (error) {
      // One text the encoder refuses must not end the worker for every later count: that request is estimated.
      reply = { type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
  // The ranks were parsed when the import above ran: counts from now on are exact and take a millisecond.
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
}

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CountRequest, WorkerReply } from './tokenCountWorker';

/** Where the worker's script is: next to this module, in dist/ (the bundles) and in out/ (the tests) alike. */
export const TOKEN_WORKER_FILE = join(__dirname, 'tokenCountWorker.js');

type State = 'idle' | 'loading' | 'ready' | 'failed';

/**
 * Exact o200k counts from a worker thread. Started on the first call of `start`, never before; `ready` stays false
 * while the worker parses the ranks, and the caller answers from an estimate meanwhile instead of waiting.
 */
export class TokenWorker {
  private worker: Worker | undefined;
  private state: State = 'idle';
  private readonly pending = new Map<number, { resolve: (counts: readonly number[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private loaded: Promise<boolean> | undefined;
  private failure: Error | undefined;
  private disposed = false;

  constructor(
    private readonly file = TOKEN_WORKER_FILE,
    private readonly onFailure: (error: Error) => void = () => undefined,
  ) {}

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** Why the worker stopped (counts are estimates from then on), if it did. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Starts the worker if it is not running; resolves true once it counts exactly, false if it could not start. */
  start(): Promise<boolean> {
    // Closed for good: a count after dispose (the extension deactivating) must not spawn a thread nobody stops.
    if (this.disposed) return Promise.resolve(false);
    this.loaded ??= new Promise<boolean>((resolve) => {
      this.state = 'loading';
      let worker: Worker;
      try {
        worker = new Worker(this.file);
      } catch (error) {
        this.fail(error);
        resolve(false);
        return;
      }
      this.worker = worker;
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          this.state = 'ready';
          resolve(true);
          return;
        }
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.type === 'failed') waiting?.reject(new Error(`The token counter could not count this text: ${reply.message}`));
        else waiting?.resolve(reply.counts);
      });
      worker.on('error', (error) => {
        this.fail(error);
        resolve(false);
      });
      worker.on('exit', (code) => {
        if (this.state !== 'failed') this.fail(new Error(`The token counter's worker stopped (exit code ${String(code)}).`));
        resolve(false);
      });
      // Never what keeps a process (a test run, the extension host on its way out) alive; after the listeners, since
      // adding a 'message' listener refs the worker again.
      worker.unref();
    });
    return this.loaded;
  }

  /** Exact counts of `texts`; rejects when the worker is not ready or stops before answering. */
  count(texts: readonly string[]): Promise<readonly number[]> {
    const worker = this.worker;
    if (this.state !== 'ready' || !worker) return Promise.reject(this.failure ?? new Error('The token counter\'s worker is not ready.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, texts } satisfies CountRequest);
    });
  }

  /** Stops the worker (the extension deactivating); later counts are estimates. */
  dispose(): void {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.fail(new Error('The token counter was closed.'), false);
    void worker?.terminate();
  }

  private fail(cause: unknown, report = true): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.failure = cause instanceof Error ? cause : new Error(String(cause));
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
    if (report) this.onFailure(this.failure);
  }
}

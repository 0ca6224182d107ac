import * as z from 'zod/mini';
import { hostToWebviewSchema, parseResult, type MethodName, type Params, type Result, type RpcCancel, type RpcError, type RpcNotification } from '../../src/protocol';

/** How messages leave and arrive; the real one is vscodeApi.ts, a test passes its own. */
export interface Transport {
  send(message: unknown): void;
  listen(listener: (data: unknown) => void): () => void;
}

export interface RequestOptions {
  readonly timeoutMs?: number;
  readonly onProgress?: (message: string) => void;
  /** Stops the request: the host is told to cancel it (closing the provider connection) and it rejects as `cancelled`. */
  readonly signal?: AbortSignal;
}

/** A refusal from the host (or a timeout, or a result that did not match its schema), as a value the UI can place. */
export class RpcRequestError extends Error {
  constructor(readonly error: RpcError) {
    super(error.message);
  }
}

interface Pending {
  readonly method: MethodName;
  resolve(value: unknown): void;
  reject(error: RpcRequestError): void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly onProgress: ((message: string) => void) | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Requests with ids, a pending map, timeouts, progress and notifications; every incoming message is validated first. */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(notification: RpcNotification) => void>();
  private readonly stop: () => void;

  constructor(
    private readonly transport: Transport,
    private readonly log: (message: string) => void = (message) => {
      console.warn(message);
    },
  ) {
    this.stop = transport.listen((data) => {
      this.receive(data);
    });
  }

  request<M extends MethodName>(method: M, params: Params<M>, options: RequestOptions = {}): Promise<Result<M>> {
    const id = this.nextId++;
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new RpcRequestError({ code: 'cancelled', message: 'Stopped.' }));
    return new Promise<Result<M>>((resolve, reject) => {
      // Whoever gives up first, the page or its timer, tells the host, so the provider call stops too.
      const giveUp = (error: RpcError): void => {
        const pending = this.pending.get(id);
        if (!pending) return;
        this.pending.delete(id);
        clearTimeout(pending.timer);
        signal?.removeEventListener('abort', onAbort);
        this.transport.send({ kind: 'cancel', id } satisfies RpcCancel);
        reject(new RpcRequestError(error));
      };
      const onAbort = (): void => {
        giveUp({ code: 'cancelled', message: 'Stopped.' });
      };
      const timer = setTimeout(() => {
        giveUp({ code: 'internal', message: `Model Manager did not answer ${method} in time.` });
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const settle = <T>(fn: (value: T) => void) => (value: T): void => {
        signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      this.pending.set(id, { method, resolve: settle(resolve), reject: settle(reject), timer, onProgress: options.onProgress });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.transport.send({ kind: 'request', id, method, params });
    });
  }

  onNotification(listener: (notification: RpcNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many requests wait for an answer (tests use it). */
  get waiting(): number {
    return this.pending.size;
  }

  /** One raw message from the host: validated, then routed; anything malformed is dropped and logged. */
  receive(data: unknown): void {
    const parsed = z.safeParse(hostToWebviewSchema, data);
    if (!parsed.success) {
      this.log(`Model Manager dropped a malformed message from the host: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
      return;
    }
    const message = parsed.data;
    if (message.kind === 'notification') {
      for (const listener of [...this.listeners]) {
        try {
          listener(message);
        } catch (error) {
          this.log(`A notification listener failed: ${String(error)}`);
        }
      }
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) {
      this.log(`Model Manager dropped a ${message.kind} for unknown request ${String(message.id)}.`);
      return;
    }
    if (message.kind === 'progress') {
      pending.onProgress?.(message.message);
      return;
    }
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (!message.ok) {
      pending.reject(new RpcRequestError(message.error));
      return;
    }
    const result = parseResult(pending.method, message.result);
    if (result === undefined) {
      this.log(`Model Manager dropped a malformed result for ${pending.method}.`);
      pending.reject(new RpcRequestError({ code: 'internal', message: `The answer to ${pending.method} was not valid.` }));
      return;
    }
    pending.resolve(result);
  }

  dispose(): void {
    this.stop();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new RpcRequestError({ code: 'internal', message: 'The panel closed.' }));
      this.pending.delete(id);
    }
    this.listeners.clear();
  }
}

/** The error of a failed request as an RpcError, whatever was thrown. */
export function asRpcError(error: unknown): RpcError {
  if (error instanceof RpcRequestError) return error.error;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

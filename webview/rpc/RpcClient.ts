import * as z from 'zod/mini';
import { answerSchema, timeoutOf, type MethodTable, type PageProtocol, type ParamsOf, type ResultOf, type RpcCancel, type RpcError } from '../../src/protocol/envelope';
import type { methods, RpcNotification } from '../../src/protocol/rpc';

/** How messages leave and arrive; the real one is vscodeApi.ts, a test passes its own. */
export interface Transport {
  send(message: unknown): void;
  listen(listener: (data: unknown) => void): () => void;
}

export interface RequestOptions {
  /** Overrides the method's own timeout from the protocol's table (tests use it). */
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
  readonly method: string;
  resolve(value: unknown): void;
  reject(error: RpcRequestError): void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly onProgress: ((message: string) => void) | undefined;
}

/**
 * Requests with ids, a pending map, timeouts (each method's own, from the protocol's table), progress and
 * notifications; every incoming message is validated first. One class for every page: the editor and the chat pass
 * their own protocol.
 */
export class RpcClient<T extends MethodTable = typeof methods, N extends { readonly kind: 'notification' } = RpcNotification> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(notification: N) => void>();
  private readonly stop: () => void;

  constructor(
    private readonly protocol: PageProtocol<T, N>,
    private readonly transport: Transport,
    private readonly log: (message: string) => void = (message) => {
      console.warn(message);
    },
  ) {
    this.stop = transport.listen((data) => {
      this.receive(data);
    });
  }

  request<M extends keyof T & string>(method: M, params: ParamsOf<T, M>, options: RequestOptions = {}): Promise<ResultOf<T, M>> {
    const id = this.nextId++;
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new RpcRequestError({ code: 'cancelled', message: 'Stopped.' }));
    return new Promise<ResultOf<T, M>>((resolve, reject) => {
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
      }, options.timeoutMs ?? timeoutOf(this.protocol.methods, method));
      const settle = <T>(fn: (value: T) => void) => (value: T): void => {
        signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      this.pending.set(id, { method, resolve: settle(resolve), reject: settle(reject), timer, onProgress: options.onProgress });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.transport.send({ kind: 'request', id, method, params });
    });
  }

  onNotification(listener: (notification: N) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many requests wait for an answer (tests use it). */
  get waiting(): number {
    return this.pending.size;
  }

  /** One raw message from the host: validated, then routed; anything malformed is dropped and logged. */
  receive(data: unknown): void {
    const parsed = z.safeParse(answerSchema, data);
    if (!parsed.success) {
      const notification = z.safeParse(this.protocol.notification, data);
      if (notification.success) this.deliver(notification.data);
      else this.log(`Model Manager dropped a malformed message from the host: ${notification.error.issues[0]?.message ?? 'not valid'}`);
      return;
    }
    const message = parsed.data;
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
    const spec = this.protocol.methods[pending.method];
    const result = spec ? z.safeParse(spec.result, message.result) : undefined;
    if (!result?.success) {
      this.log(`Model Manager dropped a malformed result for ${pending.method}.`);
      pending.reject(new RpcRequestError({ code: 'internal', message: `The answer to ${pending.method} was not valid.` }));
      return;
    }
    pending.resolve(result.data);
  }

  private deliver(notification: N): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(notification);
      } catch (error) {
        this.log(`A notification listener failed: ${String(error)}`);
      }
    }
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

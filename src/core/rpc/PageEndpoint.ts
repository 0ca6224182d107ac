import * as z from 'zod/mini';
import { MAX_MESSAGE_BYTES, tooLarge, webviewToHostSchema, type RpcProgress, type RpcRequest, type RpcResponse } from '../../protocol/envelope';
import { errorMessage } from '../errors';
import { RunningRequests } from './answer';
import { ReadyGate } from './readyGate';

export interface PageEndpointOptions<N> {
  /** The page, as the logs name it: "the Model Manager panel". */
  readonly name: string;
  /** The protocol version this host speaks; a page that says another one is loaded again. */
  readonly version: number;
  /** Posts one message into the page as it is now. */
  readonly post: (message: RpcResponse | RpcProgress | N) => PromiseLike<unknown>;
  /** Answers one request whose envelope is valid; undefined drops it (it was not a request of this page). */
  readonly answer: (request: RpcRequest, requests: RunningRequests, progress: (id: number, message: string) => void) => Promise<RpcResponse | undefined>;
  /** Runs when a page says `ready`, before what waited is delivered: what it notifies goes after that. */
  readonly onReady?: () => Promise<void>;
  /** Loads the page again (its HTML set anew), for a page from another version. */
  readonly reload: () => void;
  readonly log: (message: string) => void;
  /** A page that sends images takes more than MAX_MESSAGE_BYTES a message (its protocol bounds each image). */
  readonly maxMessageBytes?: number;
}

/**
 * The host's end of one webview page, whatever the page: every incoming message is size-bounded and validated here
 * (anything else is dropped with a log line, never thrown), `ready` opens the gate that holds notifications, a
 * `cancel` stops its request, and each request is answered under its id. Plain TypeScript, so the unit tier drives it.
 */
export class PageEndpoint<N> {
  private readonly gate: ReadyGate<N>;
  private readonly requests = new RunningRequests();
  private reloaded = false;
  private disposed = false;

  constructor(private readonly options: PageEndpointOptions<N>) {
    this.gate = new ReadyGate((message) => {
      this.post(message);
    });
  }

  /** Said to the page now if it listens, else as soon as it says `ready`. */
  notify(notification: N): void {
    if (!this.disposed) this.gate.send(notification);
  }

  /** Resolves with the page's protocol version once the current page is ready. */
  whenReady(): Promise<number> {
    return this.gate.whenOpen();
  }

  get isReady(): boolean {
    return this.gate.isOpen;
  }

  /** The page is being replaced (its HTML set, or a hidden page discarded): hold notifications for the next one. */
  pageLoading(): void {
    this.gate.reset();
  }

  /** One raw message from the page. Never throws. */
  async receive(raw: unknown): Promise<void> {
    if (this.disposed) return;
    try {
      await this.route(raw);
    } catch (error) {
      this.options.log(`${this.options.name}: a message could not be handled: ${errorMessage(error)}`);
    }
  }

  private async route(raw: unknown): Promise<void> {
    const { name, log } = this.options;
    if (tooLarge(raw, this.options.maxMessageBytes)) {
      log(`${name} sent a message larger than ${String(this.options.maxMessageBytes ?? MAX_MESSAGE_BYTES)} characters (or nested too deep); it was dropped unread.`);
      return;
    }
    const parsed = z.safeParse(webviewToHostSchema, raw);
    if (!parsed.success) {
      log(`${name} sent a message that is not part of its protocol; it was dropped (${parsed.error.issues[0]?.message ?? 'not valid'}).`);
      return;
    }
    const message = parsed.data;
    if (message.kind === 'ready') {
      await this.ready(message.protocolVersion);
      return;
    }
    if (message.kind === 'cancel') {
      this.requests.cancel(message);
      return;
    }
    const response = await this.options.answer(message, this.requests, (id, text) => {
      this.post({ kind: 'progress', id, message: text });
    });
    if (response) this.post(response);
    else log(`${name}: dropped a message that was not a valid request.`);
  }

  private async ready(version: number): Promise<void> {
    if (version !== this.options.version) {
      this.options.log(`${this.options.name} speaks protocol ${String(version)}, the extension ${String(this.options.version)}; ${this.reloaded ? 'going on with it' : 'reloading it'}.`);
      // Once: a page that still disagrees after a fresh load would reload for ever.
      if (!this.reloaded) {
        this.reloaded = true;
        this.options.reload();
        return;
      }
    }
    try {
      await this.options.onReady?.();
    } catch (error) {
      this.options.log(`${this.options.name}: preparing the page failed: ${errorMessage(error)}`);
    }
    this.gate.open(version);
  }

  private post(message: RpcResponse | RpcProgress | N): void {
    if (this.disposed) return;
    try {
      // A page closed meanwhile refuses the message: nothing is waiting for it any more.
      Promise.resolve(this.options.post(message)).catch(() => undefined);
    } catch {
      // Posting into a disposed webview throws; the same as above.
    }
  }

  /** The page closed: its running requests stop and nothing more is posted. */
  dispose(): void {
    this.disposed = true;
    this.requests.cancelAll();
  }
}

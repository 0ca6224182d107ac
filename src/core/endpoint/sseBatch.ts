import type { ServerResponse } from 'node:http';

/**
 * Collects a stream's server-sent events and writes what one turn of the event loop produced as a single chunk: the
 * events of one upstream read (often hundreds) go out in one write, not one socket write and one HTTP chunk each.
 * The flush runs on process.nextTick, after the turn's promise jobs, so the first event waits for nothing else.
 */
export class SseBatch {
  private pending = '';
  private scheduled = false;

  constructor(private readonly res: ServerResponse) {}

  write(text: string): void {
    this.pending += text;
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(() => {
      this.flush();
    });
  }

  /** Ends the response with whatever is still pending. */
  end(): void {
    const rest = this.take();
    if (rest === '') this.res.end();
    else this.res.end(rest);
  }

  private flush(): void {
    const text = this.take();
    if (text !== '' && !this.res.writableEnded && !this.res.destroyed) this.res.write(text);
  }

  private take(): string {
    const text = this.pending;
    this.pending = '';
    this.scheduled = false;
    return text;
  }
}

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The only place that talks to the host: the RPC client and the ready handshake go through it. */
const api = acquireVsCodeApi();

export function send(message: unknown): void {
  api.postMessage(message);
}

/** Every message the host posts to this page, unvalidated (the RPC client validates each one). */
export function listen(listener: (data: unknown) => void): () => void {
  const handler = (event: MessageEvent<unknown>): void => {
    listener(event.data);
  };
  window.addEventListener('message', handler);
  return () => {
    window.removeEventListener('message', handler);
  };
}

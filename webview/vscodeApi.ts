interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The only place that talks to the host: the RPC client and the ready handshake go through it. */
const api = acquireVsCodeApi();

export function send(message: unknown): void {
  api.postMessage(message);
}

/** Kept by VS Code with the panel and handed back to the extension's serializer after a window reload. */
export function saveState(state: unknown): void {
  api.setState(state);
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

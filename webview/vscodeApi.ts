interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The only place that talks to the host: the RPC client and the ready handshake go through it. */
const api = acquireVsCodeApi();

export function send(message: unknown): void {
  api.postMessage(message);
}

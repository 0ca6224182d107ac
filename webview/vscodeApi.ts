import type { WebviewMessage } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The only place that talks to the host; everything else goes through typed functions. */
const api = acquireVsCodeApi();

export function send(message: WebviewMessage): void {
  api.postMessage(message);
}

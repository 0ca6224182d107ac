// The panel's RPC handler without a webview, for the integration tier: the same messages and answers as the page's.
import type { RpcResponse } from '../protocol';
import type { SessionSource } from '../core/session';
import { handlePanelMessage, PanelRequests, type PanelApiDeps } from './PanelApi';

export interface PanelTestChannel {
  /** One raw message as the page would post it (a request or a cancel); the answer the page would receive. */
  send(raw: unknown): Promise<RpcResponse | undefined>;
}

/** `confirmKeyDestination` is the panel's own question, so the tests answer the modal the user would see. */
export function panelTestChannel(services: SessionSource, confirmKeyDestination?: PanelApiDeps['confirmKeyDestination']): PanelTestChannel {
  const requests = new PanelRequests();
  return {
    send: async (raw) => {
      const session = await services.open();
      return handlePanelMessage({ session, templates: () => Promise.resolve([]), ...(confirmKeyDestination ? { confirmKeyDestination } : {}) }, raw, () => undefined, requests);
    },
  };
}

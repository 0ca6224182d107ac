// The panel's RPC handler without a webview, for the integration tier: the same messages and answers as the page's.
import type { RpcResponse } from '../../protocol';
import type { ServiceHost } from '../ServiceHost';
import type { PanelRequests } from './PanelApi';

export interface PanelTestChannel {
  /** One raw message as the page would post it (a request or a cancel); the answer the page would receive. */
  send(raw: unknown): Promise<RpcResponse | undefined>;
}

export function panelTestChannel(services: ServiceHost): PanelTestChannel {
  let requests: PanelRequests | undefined;
  return {
    send: async (raw) => {
      const session = await services.open();
      const { handlePanelMessage, PanelRequests } = await import('../core');
      requests ??= new PanelRequests();
      return handlePanelMessage({ session, templates: () => Promise.resolve([]) }, raw, () => undefined, requests);
    },
  };
}

// The local endpoint's management API answered by the editor's own handlers: one implementation of each seed method.
import type { ManagementDeps } from '../core/endpoint/managementApi';
import { RunningRequests } from '../core/rpc';
import type { StoreSession } from '../core/session';
import type { Logger } from '../core/logger';
import { handlePanelMessage } from './PanelApi';

/**
 * What `managementApi` needs, from an open session: its methods run through the same handlers, schemas and views as
 * the editor's (so a key is only ever "set (…abcd)"), and its changes are recorded in the session's audit log.
 */
export function managementDeps(session: StoreSession, logger?: Logger): ManagementDeps {
  const requests = new RunningRequests();
  // Templates are not part of the management API; the editor's handler table wants a source for them.
  const panel = { session, templates: () => Promise.resolve([]) };
  let next = 0;
  return {
    async call(method, params, signal) {
      if (signal.aborted) return { ok: false, error: { code: 'cancelled', message: 'The client went away.' } };
      const id = ++next;
      // A client that goes away stops its call (a connection test, a model list) as the editor's cancel does.
      const stop = (): void => {
        requests.cancel({ kind: 'cancel', id });
      };
      signal.addEventListener('abort', stop, { once: true });
      try {
        const response = await handlePanelMessage(panel, { kind: 'request', id, method, params }, () => undefined, requests);
        if (!response) return { ok: false, error: { code: 'invalid-request', message: 'The request is too large or nested too deeply.' } };
        return response.ok ? { ok: true, result: response.result } : { ok: false, error: response.error };
      } finally {
        signal.removeEventListener('abort', stop);
      }
    },
    audit: (action, targetType, targetId, details) => session.configurations.recordAudit(action, targetType, targetId, { ...details }),
    ...(logger ? { logger } : {}),
  };
}

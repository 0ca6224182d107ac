import type { Logger } from '../logger';
import type { SessionSource, StoreSession } from '../session';
import { withConfigurationGroups } from '../routing';
import { sizeFor } from '../routing/facts';
import { RoutingError } from '../routing/errors';
import type { ChatRequest } from '../providers';
import { ClientTokenService } from './ClientTokenService';
import type { EndpointDeps } from './EndpointServer';
import { servedModelsOf } from './servedModelCache';

const tokenServices = new WeakMap<StoreSession, ClientTokenService>();

/** The client tokens of a session (one service per session, so last-use throttling is shared by every caller). */
export function clientTokensOf(session: StoreSession): ClientTokenService {
  let service = tokenServices.get(session);
  if (!service) {
    service = new ClientTokenService({ store: session.store, userId: session.userId, now: session.now });
    tokenServices.set(session, service);
  }
  return service;
}

/**
 * What the endpoint serves, from the window's session (reopened sessions included): the active configurations and
 * route groups as models, chats through the router (so fallback, budgets and usage tracking apply and each row
 * names its client), tokens counted by the first member's provider where it can count them, else estimated. The
 * model list is kept per session until a configuration or route group changes (ServedModelCache).
 */
export function sessionEndpointDeps(sessions: Pick<SessionSource, 'open' | 'current'>, logger: Logger): EndpointDeps {
  // Authentication opens the session, so every later step of the same request finds it open.
  const session = (): StoreSession => {
    const current = sessions.current;
    if (!current) throw new Error('Model Manager closed its store while answering; send the request again.');
    return current;
  };
  const groupsOf = (s: StoreSession) => withConfigurationGroups(s.routeGroups, s.userId, (id) => s.store.read((r) => r.configurations.get(s.userId, id)));
  return {
    logger,
    models: () => servedModelsOf(sessions.current),
    chat: (groupId, request, { signal, client }) => session().router.chat(groupId, request, { signal, clientId: client.id }),
    authenticate: async (token) => clientTokensOf(await sessions.open()).authenticate(token),
    countTokens: async (groupId: string, request: ChatRequest, options) => {
      const s = session();
      const member = groupsOf(s).resolve(groupId)?.members[0];
      const row = member ? s.store.read((r) => r.configurations.get(s.userId, member.configurationId)) : undefined;
      if (!member || !row) throw new RoutingError('unknown-group', 'This model is no longer served: GET /v1/models lists the ones that are.');
      const { provider, target } = await s.providerAccess.targetOf(row);
      return (await sizeFor(member, { adapter: provider, target }, request, options?.signal)).tokens;
    },
  };
}

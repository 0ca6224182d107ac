import type { StoreSession } from '../session';
import type { ServedModel } from './EndpointServer';
import { servedModels } from './servedModels';

/** The parts of a session the served models come from and change with. */
export type ServedModelSource = Pick<StoreSession, 'configurations' | 'routeGroups'> & {
  readonly store: Pick<StoreSession['store'], 'reloadIfSavedElsewhere' | 'onDidReloadFromDisk'>;
};

/**
 * The endpoint's models of one session, listed from the store once and again only after a configuration or route
 * group changed, here or in another window: GET /v1/models and every chat's model lookup read this list, and reading
 * every configuration per request would cost each streamed chat a query of the whole table. Its listeners live as
 * long as the session's services (one cache per session, see servedModelsOf).
 */
export class ServedModelCache {
  private models: readonly ServedModel[] | undefined;

  constructor(private readonly session: ServedModelSource) {
    const stale = (): void => {
      this.models = undefined;
    };
    session.configurations.onDidChange(stale);
    session.routeGroups.onDidChange(stale);
    session.store.onDidReloadFromDisk(stale);
  }

  list(): readonly ServedModel[] {
    // Another window's save is loaded on the next read of the store: look (at the file's identity only) before answering.
    if (this.session.store.reloadIfSavedElsewhere()) this.models = undefined;
    return (this.models ??= servedModels(this.session.configurations.listConfigurations(), this.session.routeGroups.list()));
  }
}

const caches = new WeakMap<ServedModelSource, ServedModelCache>();

/** The served models of a session (one cache per session, shared by every endpoint started on it); none without one. */
export function servedModelsOf(session: ServedModelSource | undefined): readonly ServedModel[] {
  if (!session) return [];
  let cache = caches.get(session);
  if (!cache) {
    cache = new ServedModelCache(session);
    caches.set(session, cache);
  }
  return cache.list();
}

import type { AIConfiguration, Store } from '../store';
import { ConfigurationError } from './errors';

/** A stored row back into the provider's settings shape. */
export function settingsOf(row: AIConfiguration): Record<string, unknown> {
  return { ...row.config, model: row.model, ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}) };
}

export function notFound(id: string): ConfigurationError {
  return new ConfigurationError('not-found', `The configuration ${id} no longer exists (it may have been deleted in another window).`);
}

/** The user's configuration with this id, or a not-found error the user can act on. */
export function configurationRow(store: Store, userId: string, id: string): AIConfiguration {
  const found = store.read((r) => r.configurations.get(userId, id));
  if (!found) throw notFound(id);
  return found;
}

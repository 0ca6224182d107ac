import { hintFor, type ProviderErrorKind } from '../providers/errors';
import { providerDisplayName } from '../providers/displayNames';
import { describeFailure } from '../providers/failureText';
import type { AIConfiguration, Store } from '../store';

/**
 * Why a configuration's last connection test failed, in words, from its audit entry (kept across reloads):
 * "OpenAI rejected the key (401 invalid_api_key). Check the key or its project." Undefined unless the stored
 * status is a failure.
 */
export function lastTestFailure(store: Store, configuration: AIConfiguration): string | undefined {
  if (configuration.testStatus !== 'failed') return undefined;
  const { userId, id, lastTestedAt } = configuration;
  // The status's own test is recorded just after its time is taken; tests of edits that were never saved come later.
  const entry = store.read((r) => (lastTestedAt ? r.audit.firstSince(userId, 'configuration.test', id, lastTestedAt) : undefined) ?? r.audit.latest(userId, 'configuration.test', id));
  const details = entry?.details;
  if (details?.ok !== false || typeof details.failure !== 'string') return undefined;
  const failure = {
    kind: details.failure,
    status: typeof details.status === 'number' ? details.status : undefined,
    code: typeof details.code === 'string' ? details.code : undefined,
  };
  const hint = hintFor(failure.kind as ProviderErrorKind, { model: configuration.model });
  return `${providerDisplayName(configuration.provider, configuration.config.preset)} ${describeFailure(failure, hint)}`;
}

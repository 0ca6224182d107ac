// Answers the webview's requests with the services. Plain TypeScript (no vscode import), so the unit tier fuzzes it.
import { ProviderError, compatiblePresets, type PullProgress, type TestResult } from '../core/providers';
import { ConfigurationError, configurationState, settingsOf, type KeyService } from '../core/services';
import type { AIConfiguration } from '../core/store';
import { answerRequest, RunningRequests, type MethodHandlers } from '../core/rpc';
import { methods, type RpcError, type RpcResponse } from '../protocol/rpc';
import { clipText, type ConfigurationView, type ProviderView, type TemplateView } from '../protocol/views';
import type { StoreSession } from '../core/session';
import { paramRefusal } from './paramErrors';
import { routeGroupHandlers } from './routeGroupHandlers';
import { usageHandlers } from './usageHandlers';
import { ollamaHandlers } from './ollamaHandlers';
import { resolvePeriod, type HealthStatus, type UsagePeriod } from '../core/usage';

/** A model as ollama.com/library names it: llama3.2, qwen2.5-coder:7b, user/model:tag. */
const MODEL_NAME = /^[\w.-]+(\/[\w.-]+)*(:[\w.-]+)?$/;

type Handlers = MethodHandlers<typeof methods>;

/** The most configuration copies a panel remembers having sent (a few versions of every configuration). */
const MAX_SENT_COPIES = 500;

export interface PanelApiDeps {
  readonly session: StoreSession;
  /**
   * The rows this panel sent, by id and updatedAt: the copy the user edited, so a conflict names what another
   * window changed since. The panel keeps it for its lifetime.
   */
  readonly sent?: Map<string, AIConfiguration>;
  /** Built-in and user templates (seeded from the catalog on first use). */
  readonly templates: () => Promise<readonly TemplateView[]>;
  /** Save dialog + write, for the usage dashboard's CSV export (the panel supplies it). */
  readonly saveFile?: (suggestedName: string, content: string) => Promise<string | undefined>;
  /**
   * Asks the user (modal) whether the stored key of a configuration may go to another server its edited address is
   * on. Without it such a save or test is refused with the reason, as the page shows it.
   */
  readonly confirmKeyDestination?: (name: string, server: string) => Promise<boolean>;
}

/** The requests of one panel still running, which the page may cancel by id (the same for every page). */
export { RunningRequests as PanelRequests };

/**
 * Validates one raw message and runs it. Returns the response to post, or undefined when the message is not a
 * request at all (dropped). Never throws: every failure becomes an error response. With `requests`, the page can
 * cancel it while it runs; a cancelled request answers with a `cancelled` error.
 */
export function handlePanelMessage(deps: PanelApiDeps, raw: unknown, progress: (id: number, message: string) => void, requests = new RunningRequests()): Promise<RpcResponse | undefined> {
  return answerRequest(methods, handlers(deps), raw, progress, requests, { refuseParams: paramRefusal, toError: toRpcError });
}

function handlers({ session, templates, saveFile, sent, confirmKeyDestination }: PanelApiDeps): Handlers {
  const service = session.configurations;
  const { providerAccess, keys } = session;
  const nameOf = (id: string): string => service.getConfiguration(id).name;
  const view = (c: AIConfiguration, activeId = service.getActiveConfiguration()?.id): ConfigurationView => {
    remember(sent, c);
    return toView(keys, c, activeId, healthOf(session), providerAccess.isTesting(c.id));
  };
  return {
    'configurations.list': () => {
      const activeId = service.getActiveConfiguration()?.id;
      return Promise.resolve(service.listConfigurations().map((c) => view(c, activeId)));
    },
    'configurations.get': ({ id }) => Promise.resolve(view(service.getConfiguration(id))),
    'configurations.create': async ({ name, provider, settings, apiKey }) =>
      view(await service.createConfiguration({ name, provider, settings, ...(apiKey ? { apiKey } : {}) })),
    'configurations.update': async ({ id, baseUpdatedAt, name, settings, isActive, apiKey }) => {
      // The webview edited a copy this panel sent; the service diffs it against the latest to name what changed.
      const edited = sent?.get(copyKey(id, baseUpdatedAt)) ?? { updatedAt: baseUpdatedAt };
      // A new key is saved with the settings or not at all, so a new address never sits beside the old key.
      const update = {
        ...(name === undefined ? {} : { name }),
        ...(settings === undefined ? {} : { settings }),
        ...(isActive === undefined ? {} : { isActive }),
        ...(apiKey ? { apiKey } : {}),
      };
      return view(await askingForKeyDestination(confirmKeyDestination, id, nameOf, (sendStoredKeyTo) => service.updateConfiguration(id, { ...update, ...sendStoredKeyTo }, edited)));
    },
    'configurations.delete': async ({ id }) => {
      await service.deleteConfiguration(id);
      return { deleted: true };
    },
    'configurations.test': async (params, progress, signal) => {
      if ('id' in params) {
        progress('Testing the saved configuration…');
        return testView(await providerAccess.testConfiguration(params.id, { signal }));
      }
      progress('Testing these settings…');
      const { draft } = params;
      return testView(await askingForKeyDestination(confirmKeyDestination, draft.configurationId, nameOf, (sendStoredKeyTo) => providerAccess.testDraft({ ...draft, ...sendStoredKeyTo }, { signal })));
    },
    'configurations.usage': ({ id, period }) => {
      const configuration = service.getConfiguration(id);
      const chosen: UsagePeriod = period ?? 'month';
      let range;
      try {
        // On the session's clock: days and months are UTC; the page states the window in the user's local time.
        range = resolvePeriod(chosen, session.now());
      } catch (error) {
        throw new ConfigurationError('validation', error instanceof Error ? error.message : String(error), { fieldErrors: [{ field: 'usagePeriod', message: 'Choose a start date before the end date.' }] });
      }
      const [from, to] = [range.from.toISOString(), range.to.toISOString()];
      const estimatedRequests = session.usage.estimatedRequests(from, to, configuration.id);
      return Promise.resolve({ ...session.usage.usageTotals(configuration.id, chosen), from, to, estimatedRequests });
    },
    'configurations.rotateKey': async ({ id, apiKey }) => view(await keys.rotateApiKey(id, apiKey)),
    'configurations.validate': async ({ provider, settings }) => {
      const parsed = await service.validateProvider(provider, settings);
      return parsed.ok ? { ok: true, errors: [] } : { ok: false, errors: parsed.errors.map((e) => ({ field: e.field, message: e.message })) };
    },
    'providers.list': async () => {
      const providers: ProviderView[] = (await service.listProviders()).map((p) => ({ id: p.id, displayName: p.displayName, apiKey: p.apiKey }));
      const presets: ProviderView[] = compatiblePresets.map((p) => ({
        id: 'openai-compatible',
        displayName: p.displayName,
        apiKey: p.apiKey,
        preset: p.id,
        baseUrl: p.baseUrl,
        docs: p.docs,
      }));
      return [...providers, ...presets];
    },
    'providers.models': async ({ draft, refresh }, _progress, signal) => {
      const models = await providerAccess.listDraftModels(draft, { refresh: refresh === true, signal });
      return models.map((m) => ({
        id: m.id,
        ...(m.displayName ? { displayName: m.displayName } : {}),
        ...(m.contextWindow ? { contextWindow: m.contextWindow } : {}),
        ...(m.maxOutputTokens ? { maxOutputTokens: m.maxOutputTokens } : {}),
      }));
    },
    'providers.schema': async ({ provider }) => session.providers.schema(provider),
    'providers.pull': async ({ configurationId, model }, progress, signal) => {
      const name = model.trim();
      if (!MODEL_NAME.test(name)) {
        const message = 'A model name looks like llama3.2 or qwen2.5-coder:7b.';
        throw new ConfigurationError('validation', `"${name.slice(0, 100)}" is not a model name Ollama can pull. ${message}`, { fieldErrors: [{ field: 'pullModel', message }] });
      }
      const configuration = service.getConfiguration(configurationId);
      const { provider, target } = await providerAccess.targetOf(configuration);
      if (!provider.pullModel) throw new ConfigurationError('validation', `${provider.displayName} cannot pull models; only Ollama can.`);
      progress(`Pulling ${name} into "${configuration.name}"…`);
      let status = '';
      for await (const step of provider.pullModel(target, name, { signal })) {
        status = step.status;
        progress(pullStep(step));
      }
      return { status: status.slice(0, 200) };
    },
    'templates.list': async () => [...(await templates())],
    ...ollamaHandlers(session),
    ...routeGroupHandlers(session),
    ...usageHandlers({ session, ...(saveFile ? { saveFile } : {}) }),
  };
}

function copyKey(id: string, updatedAt: string): string {
  return `${id}\u0000${updatedAt}`;
}

function remember(sent: Map<string, AIConfiguration> | undefined, row: AIConfiguration): void {
  if (!sent) return;
  const key = copyKey(row.id, row.updatedAt);
  sent.delete(key);
  sent.set(key, row);
  for (const oldest of sent.keys()) {
    if (sent.size <= MAX_SENT_COPIES) break;
    sent.delete(oldest);
  }
}

/** The health monitor's latest checks; none where the session has no monitor (the panel's own unit tests). */
function healthOf(session: StoreSession): readonly HealthStatus[] {
  try {
    return session.health.summary();
  } catch {
    return [];
  }
}

function toView(keys: KeyService, c: AIConfiguration, activeId: string | undefined, health: readonly HealthStatus[], testing: boolean): ConfigurationView {
  const key = keys.describeApiKey(c.id);
  const state = configurationState({ testStatus: c.testStatus, lastTestedAt: c.lastTestedAt, keyReadable: key.set ? key.readable : undefined, health: health.find((h) => h.configurationId === c.id) });
  return {
    id: c.id,
    // A name or model damaged in the store past the schema is cut, so the list still opens (saving stores the cut one).
    name: clipText(c.name, 200),
    provider: c.provider,
    model: clipText(c.model, 300),
    baseUrl: c.baseUrl,
    settings: settingsOf(c),
    isActive: c.isActive,
    isSelected: activeId === c.id,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastTestedAt: c.lastTestedAt,
    // A test running anywhere (the tree, the palette, another panel) reads `pending` until it ends.
    testStatus: testing ? 'pending' : c.testStatus,
    apiKey: { set: key.set, readable: key.readable, ...(key.lastFour ? { lastFour: key.lastFour } : {}) },
    state,
  };
}

function testView(result: TestResult) {
  return {
    ok: result.ok,
    reachable: result.reachable,
    authenticated: result.authenticated,
    ...(result.modelFound === undefined ? {} : { modelFound: result.modelFound }),
    ...(result.streaming === undefined ? {} : { streaming: result.streaming }),
    latencyMs: result.latencyMs,
    ...(result.failure
      ? {
          failure: {
            kind: result.failure.kind,
            message: result.failure.message.slice(0, 4000),
            ...(result.failure.status === undefined ? {} : { status: result.failure.status }),
            ...(result.failure.code === undefined ? {} : { code: result.failure.code.slice(0, 200) }),
            ...(result.failure.retryAfterMs === undefined ? {} : { retryAfterMs: result.failure.retryAfterMs }),
          },
        }
      : {}),
    hint: result.hint.slice(0, 4000),
  };
}

/** One pull step as the user reads it: "pulling 6a0746a1ec1a — 42% (12.3 MB of 29.1 MB)". */
export function pullStep(step: PullProgress): string {
  if (step.total <= 0) return step.status;
  const percent = Math.min(100, Math.floor((step.completed / step.total) * 100));
  return `${step.status} — ${String(percent)}% (${megabytes(step.completed)} of ${megabytes(step.total)})`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * Runs `attempt`; when it is refused because the stored key would go to another server, asks the user (if the
 * panel can) and tries once more with their yes. The live model list does not ask: it fires while the user types.
 */
async function askingForKeyDestination<T>(
  confirm: PanelApiDeps['confirmKeyDestination'],
  configurationId: string | undefined,
  nameOf: (id: string) => string,
  attempt: (sendStoredKeyTo: { sendStoredKeyTo?: string }) => Promise<T>,
): Promise<T> {
  try {
    return await attempt({});
  } catch (error) {
    const server = error instanceof ConfigurationError ? error.details.keyDestination : undefined;
    if (server === undefined || confirm === undefined || configurationId === undefined) throw error;
    if (!(await confirm(nameOf(configurationId), server))) throw error;
    return attempt({ sendStoredKeyTo: server });
  }
}

function toRpcError(error: unknown): RpcError {
  if (error instanceof ConfigurationError) {
    return {
      code: error.kind,
      message: error.message.slice(0, 4000),
      ...(error.details.fieldErrors ? { fieldErrors: error.details.fieldErrors.map((e) => ({ field: e.field.slice(0, 200), message: e.message.slice(0, 1000) })) } : {}),
    };
  }
  if (error instanceof ProviderError) return { code: 'provider', message: `${error.message} ${error.hint}`.trim().slice(0, 4000) };
  return { code: 'internal', message: `Model Manager could not do that: ${(error instanceof Error ? error.message : String(error)).slice(0, 1000)}` };
}

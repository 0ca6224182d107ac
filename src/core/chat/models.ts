import type { CatalogModel, ModelCatalog } from '../catalog';
import type { AIProvider, ModelInfo, ProviderTarget } from '../providers';
import { takesImages } from './imageInput';
import { configurationGroupId, providerToolSupport } from '../routing';
import type { AIConfiguration, RouteGroup } from '../store';

/** One entry of VS Code's model picker: a configuration (implicit group) or a route group. */
export interface ChatModelInfo {
  /** The router's group id: `configuration:<id>` or the route group's id. */
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  /** The window less the answer's share: VS Code shows input + output as the model's context size. */
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly toolCalling: boolean;
  /** Whether the model reads images (a route group: every member does); see imageInput.ts for the sources. */
  readonly imageInput: boolean;
  /** Whose tokens the model counts in: a configuration's provider and model; a route group's is its first member's. */
  readonly tokens: { readonly provider: string; readonly model: string };
  readonly tooltip: string;
  readonly detail: string;
  readonly kind: 'configuration' | 'route-group';
  /** The whole context window and where that figure came from. */
  readonly contextWindow: number;
  readonly contextSource: ContextSource;
}

/** Where a configuration's context window comes from, in the order they are tried. */
export type ContextSource = 'setting' | 'server' | 'catalog' | 'default';

export interface ModelFactsDeps {
  readonly configurations: readonly AIConfiguration[];
  readonly routeGroups: readonly RouteGroup[];
  readonly catalog: ModelCatalog | undefined;
  readonly targetOf: (row: AIConfiguration) => Promise<{ provider: AIProvider; target: ProviderTarget<unknown> }>;
  /** The configuration's model list as the service caches it (an OpenAI-compatible server's own window per model). */
  readonly listModels?: (row: AIConfiguration, signal: AbortSignal) => Promise<readonly ModelInfo[]>;
}

/** When neither the catalog, the provider nor the configuration says: a window every current chat model has. */
export const DEFAULT_CONTEXT_WINDOW = 8192;
/** How long the picker waits for a provider's own facts (Ollama's /api/show, a model list) before it lists the model without them. */
export const FACTS_TIMEOUT_MS = 1500;

/** When the configuration sets no max tokens: what most current chat models can write in one answer. */
export const DEFAULT_MAX_OUTPUT = 4096;

interface Facts {
  readonly window: number;
  readonly source: ContextSource;
  readonly maxInput: number;
  readonly maxOutput: number;
  readonly tools: boolean;
  readonly images: boolean;
}

function numberSetting(row: AIConfiguration, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = row.config[key];
    if (typeof value === 'number' && value > 0) return value;
  }
  return undefined;
}

/** The catalog's entry for the configuration's provider, else (OpenAI-compatible) for whoever makes the model. */
function catalogEntry(row: AIConfiguration, catalog: ModelCatalog | undefined): CatalogModel | undefined {
  const preset = typeof row.config.preset === 'string' ? row.config.preset : undefined;
  const own = catalog?.lookup(row.provider, row.model, { preset, baseUrl: row.baseUrl });
  if (own?.contextWindow !== undefined || row.provider !== 'openai-compatible') return own;
  return catalog?.lookupByModelId(row.model);
}

/** The server's own figure from its model list (OpenRouter's context_length, vLLM's max_model_len), if it lists one. */
async function serverList(row: AIConfiguration, deps: ModelFactsDeps): Promise<readonly ModelInfo[] | undefined> {
  // OpenAI's list says nothing the specs do not (no window, no modalities): no request for it.
  if (!deps.listModels || row.provider === 'openai') return undefined;
  return deps.listModels(row, AbortSignal.timeout(FACTS_TIMEOUT_MS)).catch(() => undefined);
}

async function factsOf(row: AIConfiguration, deps: ModelFactsDeps): Promise<Facts> {
  let server: number | undefined;
  let tools = false;
  let images = false;
  try {
    const { provider, target } = await deps.targetOf(row);
    if (provider.showModel) {
      // One /api/show gives every fact; a server that is down must not hold up the picker (no retries, a short limit).
      const details = await provider.showModel(target, row.model, { retry: false, signal: AbortSignal.timeout(FACTS_TIMEOUT_MS) }).catch(() => undefined);
      tools = details?.capabilities.includes('tools') ?? false;
      server = details?.contextLength;
      images = details ? await takesImages({ provider: row.provider, model: row.model, details }) : false;
    } else {
      // The adapter's cached list: the server's own window (OpenAI-compatible) and what the model takes.
      const [supportsTools, listed] = await Promise.all([providerToolSupport(provider, target, row.model).catch(() => false), serverList(row, deps)]);
      tools = supportsTools;
      server = row.provider === 'openai-compatible' ? listed?.find((m) => m.id === row.model)?.contextWindow : undefined;
      images = await takesImages({ provider: row.provider, model: row.model, listed });
    }
  } catch {
    // A key that cannot be opened still lists the model; the request will say what is wrong.
  }
  const setting = numberSetting(row, 'contextWindow', 'numCtx');
  const catalog = setting === undefined && server === undefined ? catalogEntry(row, deps.catalog)?.contextWindow : undefined;
  const [window, source]: [number, ContextSource] =
    setting !== undefined ? [setting, 'setting']
    : server !== undefined ? [server, 'server']
    : catalog !== undefined ? [catalog, 'catalog']
    : [DEFAULT_CONTEXT_WINDOW, 'default'];
  // The answer is written into the same window; keep at least half of it for the prompt.
  const maxOutput = Math.min(numberSetting(row, 'maxTokens', 'numPredict', 'maxOutputTokens') ?? DEFAULT_MAX_OUTPUT, Math.floor(window / 2));
  return { window, source, maxInput: window - maxOutput, maxOutput, tools, images };
}

/** "128K" as VS Code's picker writes sizes. */
export function formatWindow(tokens: number): string {
  if (tokens >= 1_000_000) return `${String(Math.round(tokens / 100_000) / 10)}M`;
  if (tokens >= 1000) return `${String(Math.round(tokens / 1000))}K`;
  return String(tokens);
}

/** The tooltip's line about the window: how big, and where that figure came from. */
export function contextLine(window: number, source: ContextSource, provider: string): string {
  const size = `context ${formatWindow(window)}`;
  if (source === 'setting') return `${size}: your setting`;
  if (source === 'server') return `${size} from the server`;
  if (source === 'catalog') return `${size} from the catalog`;
  const setting = provider === 'ollama' ? 'Context window (num_ctx)' : 'Context window';
  return `${size}: a default; set ${setting} in the configuration to override`;
}

/**
 * The picker's entries: every active configuration under its own name, and every route group with the smallest
 * window and output of its members and tool calling only when every member has it (any member may answer).
 */
export async function describeModels(deps: ModelFactsDeps): Promise<ChatModelInfo[]> {
  const active = deps.configurations.filter((c) => c.isActive);
  const facts = new Map<string, Facts>();
  await Promise.all(active.map(async (row) => facts.set(row.id, await factsOf(row, deps))));
  const fallback: Facts = { window: DEFAULT_CONTEXT_WINDOW, source: 'default', maxInput: DEFAULT_CONTEXT_WINDOW - DEFAULT_MAX_OUTPUT, maxOutput: DEFAULT_MAX_OUTPUT, tools: false, images: false };
  const out: ChatModelInfo[] = active.map((row) => {
    const f = facts.get(row.id) ?? fallback;
    const tools = f.tools ? '' : ' · no tool calling (Ask mode only)';
    return {
      id: configurationGroupId(row.id),
      name: row.name,
      family: row.model,
      version: row.model,
      maxInputTokens: f.maxInput,
      maxOutputTokens: f.maxOutput,
      toolCalling: f.tools,
      imageInput: f.images,
      tokens: { provider: row.provider, model: row.model },
      tooltip: `${row.name}: ${row.model} through Model Manager · ${contextLine(f.window, f.source, row.provider)}${tools}`,
      detail: row.model,
      kind: 'configuration',
      contextWindow: f.window,
      contextSource: f.source,
    };
  });
  const byId = new Map(active.map((c) => [c.id, c]));
  for (const group of deps.routeGroups) {
    const members = group.members.map((m) => byId.get(m.configurationId)).filter((c): c is AIConfiguration => c !== undefined);
    if (members.length === 0) continue;
    const memberFacts = await Promise.all(members.map(async (m) => facts.get(m.id) ?? factsOf(m, deps)));
    const smallest = memberFacts.reduce((a, b) => (b.window < a.window ? b : a));
    out.push({
      id: group.id,
      name: group.name,
      family: `route-group:${group.strategy}`,
      version: group.updatedAt,
      maxInputTokens: Math.min(...memberFacts.map((f) => f.maxInput)),
      maxOutputTokens: Math.min(...memberFacts.map((f) => f.maxOutput)),
      toolCalling: memberFacts.every((f) => f.tools),
      imageInput: memberFacts.every((f) => f.images),
      tokens: { provider: members[0]?.provider ?? 'route-group', model: members[0]?.model ?? '' },
      tooltip: `Route group "${group.name}" (${group.strategy}): ${members.map((m) => m.name).join(', ')} · context ${formatWindow(smallest.window)}, its smallest member's`,
      detail: `route group, ${group.strategy}`,
      kind: 'route-group',
      contextWindow: smallest.window,
      contextSource: smallest.source,
    });
  }
  return out;
}

import type { ModelCatalog } from '../catalog';
import type { AIProvider, ProviderTarget } from '../providers';
import { configurationGroupId, providerToolSupport } from '../routing';
import type { AIConfiguration, RouteGroup } from '../store';

/** One entry of VS Code's model picker: a configuration (implicit group) or a route group. */
export interface ChatModelInfo {
  /** The router's group id: `configuration:<id>` or the route group's id. */
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly toolCalling: boolean;
  readonly tooltip: string;
  readonly detail: string;
  readonly kind: 'configuration' | 'route-group';
}

export interface ModelFactsDeps {
  readonly configurations: readonly AIConfiguration[];
  readonly routeGroups: readonly RouteGroup[];
  readonly catalog: ModelCatalog | undefined;
  readonly targetOf: (row: AIConfiguration) => Promise<{ provider: AIProvider; target: ProviderTarget<unknown> }>;
}

/** When neither the catalog, the provider nor the configuration says: a window every current chat model has. */
export const DEFAULT_CONTEXT_WINDOW = 8192;
/** How long the picker waits for a provider's own facts (Ollama's /api/show) before it lists the model without them. */
export const FACTS_TIMEOUT_MS = 1500;

/** When the configuration sets no max tokens: what most current chat models can write in one answer. */
export const DEFAULT_MAX_OUTPUT = 4096;

interface Facts {
  readonly maxInput: number;
  readonly maxOutput: number;
  readonly tools: boolean;
}

function numberSetting(row: AIConfiguration, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = row.config[key];
    if (typeof value === 'number' && value > 0) return value;
  }
  return undefined;
}

async function factsOf(row: AIConfiguration, deps: ModelFactsDeps): Promise<Facts> {
  const preset = typeof row.config.preset === 'string' ? row.config.preset : undefined;
  let window = deps.catalog?.lookup(row.provider, row.model, { preset, baseUrl: row.baseUrl })?.contextWindow;
  let tools = false;
  try {
    const { provider, target } = await deps.targetOf(row);
    if (provider.showModel) {
      // One /api/show gives both facts; a server that is down must not hold up the picker (no retries, a short limit).
      const details = await provider.showModel(target, row.model, { retry: false, signal: AbortSignal.timeout(FACTS_TIMEOUT_MS) }).catch(() => undefined);
      tools = details?.capabilities.includes('tools') ?? false;
      window = numberSetting(row, 'numCtx') ?? details?.contextLength ?? window;
    } else {
      tools = await providerToolSupport(provider, target, row.model).catch(() => false);
    }
  } catch {
    // A key that cannot be opened still lists the model; the request will say what is wrong.
  }
  const maxInput = window ?? DEFAULT_CONTEXT_WINDOW;
  const maxOutput = Math.min(numberSetting(row, 'maxTokens', 'numPredict', 'maxOutputTokens') ?? DEFAULT_MAX_OUTPUT, maxInput);
  return { maxInput, maxOutput, tools };
}

/**
 * The picker's entries: every active configuration under its own name, and every route group with the smallest
 * window and output of its members and tool calling only when every member has it (any member may answer).
 */
export async function describeModels(deps: ModelFactsDeps): Promise<ChatModelInfo[]> {
  const active = deps.configurations.filter((c) => c.isActive);
  const facts = new Map<string, Facts>();
  await Promise.all(active.map(async (row) => facts.set(row.id, await factsOf(row, deps))));
  const out: ChatModelInfo[] = active.map((row) => {
    const f = facts.get(row.id) ?? { maxInput: DEFAULT_CONTEXT_WINDOW, maxOutput: DEFAULT_MAX_OUTPUT, tools: false };
    return {
      id: configurationGroupId(row.id),
      name: row.name,
      family: row.model,
      version: row.model,
      maxInputTokens: f.maxInput,
      maxOutputTokens: f.maxOutput,
      toolCalling: f.tools,
      tooltip: `${row.name}: ${row.model} (${row.provider}) through Model Manager`,
      detail: row.model,
      kind: 'configuration',
    };
  });
  const byId = new Map(active.map((c) => [c.id, c]));
  for (const group of deps.routeGroups) {
    const members = group.members.map((m) => byId.get(m.configurationId)).filter((c): c is AIConfiguration => c !== undefined);
    if (members.length === 0) continue;
    const memberFacts = await Promise.all(members.map(async (m) => facts.get(m.id) ?? factsOf(m, deps)));
    out.push({
      id: group.id,
      name: group.name,
      family: `route-group:${group.strategy}`,
      version: group.updatedAt,
      maxInputTokens: Math.min(...memberFacts.map((f) => f.maxInput)),
      maxOutputTokens: Math.min(...memberFacts.map((f) => f.maxOutput)),
      toolCalling: memberFacts.every((f) => f.tools),
      tooltip: `Route group "${group.name}" (${group.strategy}): ${members.map((m) => m.name).join(', ')}`,
      detail: `route group, ${group.strategy}`,
      kind: 'route-group',
    });
  }
  return out;
}

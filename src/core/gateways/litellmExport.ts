import { defaultRetryPolicy } from '../http/retry';
import { defaultSettings } from '../routing/types';
import type { AIConfiguration, RouteGroup } from '../store/types';
import { keyVariables } from './envNames';
import { litellmDeployment, type LiteLLMDeployment } from './litellmDeployment';
import { litellmStrategies } from './litellmParams';
import { configurationsToExport, groupsWithMembers } from './members';
import type { GatewayExport, GatewayExportInput, ResolvedMember } from './types';
import { countOf } from '../../protocol/counts';

const strategyWords: Readonly<Record<string, string>> = {
  fallback: 'fallback',
  'weighted-round-robin': 'weighted round-robin',
  'least-busy': 'least busy',
  'lowest-latency': 'lowest latency',
  'lowest-cost': 'lowest cost',
};

/** LiteLLM's router settings are one for the whole proxy: the first group's win, the others are named. */
function routerSettings(groups: readonly { group: RouteGroup; members: ResolvedMember[] }[], fallbacks: Record<string, string[]>[], notCarried: string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = { num_retries: defaultRetryPolicy.maxAttempts - 1 };
  const balanced = groups.filter((g) => g.group.strategy !== 'fallback');
  const first = balanced[0];
  if (first !== undefined) {
    const strategy = litellmStrategies[first.group.strategy as keyof typeof litellmStrategies];
    settings.routing_strategy = strategy;
    for (const other of balanced.slice(1)) {
      if (other.group.strategy !== first.group.strategy) {
        notCarried.push(`Route group "${other.group.name}" uses ${strategyWords[other.group.strategy] ?? other.group.strategy}, but LiteLLM has one routing_strategy for the whole proxy: this file sets ${strategy} (from "${first.group.name}").`);
      }
    }
    if (strategy !== 'simple-shuffle' && balanced.some((g) => g.group.strategy === 'weighted-round-robin')) notCarried.push(`Weights are written, but LiteLLM uses them only with routing_strategy simple-shuffle; this file sets ${strategy}.`);
  }
  if (groups.length > 0) {
    const resolved = groups.map((g) => ({ name: g.group.name, settings: { ...defaultSettings, ...g.group.settings } }));
    const lead = resolved[0];
    if (lead !== undefined) {
      settings.allowed_fails = lead.settings.cooldownFailures;
      settings.cooldown_time = lead.settings.cooldownSeconds;
      for (const r of resolved) {
        if (r !== lead && (r.settings.cooldownFailures !== lead.settings.cooldownFailures || r.settings.cooldownSeconds !== lead.settings.cooldownSeconds)) {
          notCarried.push(`Route group "${r.name}" cools a member down after ${String(r.settings.cooldownFailures)} failures for ${String(r.settings.cooldownSeconds)} s; LiteLLM's cooldown is one for the whole proxy, taken from "${lead.name}".`);
        }
        if (r.settings.cooldownWindowSeconds !== 60) notCarried.push(`Route group "${r.name}" counts failures over ${String(r.settings.cooldownWindowSeconds)} s; LiteLLM counts allowed_fails per minute.`);
        if (r.settings.fallbackOnAuthError) notCarried.push(`Route group "${r.name}" moves on after a rejected key (401/403); LiteLLM decides that itself.`);
        if (r.settings.restartStreamsWithNotice) notCarried.push(`Route group "${r.name}" restarts a stream on the next member with a notice; LiteLLM has no such notice.`);
      }
    }
  }
  if (fallbacks.length > 0) settings.fallbacks = fallbacks;
  return settings;
}

function header(input: GatewayExportInput, configurations: number, groups: number, variables: readonly { name: string; configuration: string }[], notCarried: readonly string[]): string {
  const lines = [
    ` LiteLLM Proxy config written by Model Manager on ${input.now.toISOString()}: ${countOf(configurations, 'configuration')}, ${countOf(groups, 'route group')}.`,
    ' Start it with: litellm --config config.yaml',
    '',
    variables.length === 0 ? ' No API key is needed.' : ' No API key is in this file. Set these environment variables where the proxy runs:',
    ...variables.map((v) => `   ${v.name}  (the key of "${v.configuration}")`),
    '',
    notCarried.length === 0 ? ' Everything selected is carried over.' : ' Not carried over (LiteLLM cannot express it in this file):',
    ...notCarried.map((n) => `   - ${n}`),
  ];
  return lines.map(commentText).join('\n');
}

/**
 * A line of the comment with every control and line separator written as its code point: LiteLLM reads the file with
 * PyYAML (YAML 1.1), where U+0085, U+2028 and U+2029 end a comment, so a setting's value could start a line it obeys.
 */
function commentText(line: string): string {
  return line.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * The picked configurations and route groups as a LiteLLM proxy config.yaml: one deployment per configuration (named
 * after it), each group under its own name (weighted and balanced groups as deployments sharing that name, fallback
 * groups as its first member plus `fallbacks`), keys as `os.environ/NAME` only.
 */
export async function exportLiteLLMConfig(input: GatewayExportInput): Promise<GatewayExport> {
  const { configurations, members, missing } = configurationsToExport(input);
  const notCarried = [...missing];
  const variables = keyVariables(configurations);
  const modelList: LiteLLMDeployment[] = [];
  const add = (c: AIConfiguration, modelName: string, model: string, weight?: number): void => {
    const { deployment, notCarried: lost } = litellmDeployment(c, modelName, model, variables.get(c.id)?.name, weight);
    modelList.push(deployment);
    for (const line of lost) if (!notCarried.includes(line)) notCarried.push(line);
  };
  const names = new Set<string>();
  for (const c of configurations) {
    add(c, c.name, c.model);
    names.add(c.name);
  }
  /** A member that uses another model than its configuration gets a deployment of its own to fall back to. */
  const nameFor = (m: ResolvedMember): string => {
    if (m.model === m.configuration.model) return m.configuration.name;
    const name = `${m.configuration.name} ${m.model}`;
    if (!names.has(name)) {
      add(m.configuration, name, m.model);
      names.add(name);
    }
    return name;
  };
  const groups = groupsWithMembers(input.groups, members);
  const fallbacks: Record<string, string[]>[] = [];
  for (const { group, members: list } of groups) {
    if (group.strategy === 'fallback') {
      const [head, ...rest] = list;
      if (head === undefined) continue;
      add(head.configuration, group.name, head.model);
      if (rest.length > 0) fallbacks.push({ [group.name]: rest.map(nameFor) });
    } else {
      for (const m of list) add(m.configuration, group.name, m.model, group.strategy === 'weighted-round-robin' ? m.weight : undefined);
    }
  }
  const router = routerSettings(groups, fallbacks, notCarried);
  const { Document } = await import('yaml');
  const doc = new Document({ model_list: modelList, router_settings: router });
  const list = [...variables.values()];
  doc.commentBefore = header(input, configurations.length, groups.length, list, notCarried);
  return { text: doc.toString({ lineWidth: 0 }), variables: list, notCarried, configurations: configurations.length, groups: groups.length };
}

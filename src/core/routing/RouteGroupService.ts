import type { ConfigFieldError } from '../providers';
import { ConfigurationError } from '../services/errors';
import { Emitter } from '../events';
import { checkName, nameProblemPhrase } from '../../protocol/names';
import type { Repositories, RouteGroup, RouteGroupMember, RouteGroupSettings, RouteStrategy, Store } from '../store';
import { defaultSettings, type ResolvedGroup, type RouteMember } from './types';

export const routeStrategies: readonly RouteStrategy[] = ['fallback', 'weighted-round-robin', 'least-busy', 'lowest-latency', 'lowest-cost'];

export interface RouteGroupInput {
  readonly name: string;
  readonly strategy: RouteStrategy;
  readonly members: readonly RouteGroupMember[];
  readonly settings?: RouteGroupSettings;
}

export interface RouteGroupChange {
  readonly kind: 'created' | 'updated' | 'deleted';
  readonly id: string;
}

export interface RouteGroupServiceDeps {
  readonly store: Store;
  readonly userId: string;
}


/** Every read and change of a user's route groups: validated, audited, announced. The router reads groups through `resolve`. */
export class RouteGroupService {
  private readonly changes = new Emitter<RouteGroupChange>();
  readonly onDidChange = this.changes.event;

  constructor(private readonly deps: RouteGroupServiceDeps) {}

  list(): RouteGroup[] {
    return this.deps.store.read((r) => r.routeGroups.list(this.deps.userId));
  }

  get(id: string): RouteGroup {
    const group = this.deps.store.read((r) => r.routeGroups.get(this.deps.userId, id));
    if (!group) throw notFound(id);
    return group;
  }

  async create(input: RouteGroupInput): Promise<RouteGroup> {
    const { userId } = this.deps;
    const created = await this.deps.store.write((r) => {
      const clean = validate(r, userId, input, undefined);
      const group = r.routeGroups.create(userId, clean);
      r.audit.record(userId, 'routeGroup.create', 'routeGroup', group.id, { name: group.name, strategy: group.strategy, members: group.members.length });
      return group;
    });
    this.changes.fire({ kind: 'created', id: created.id });
    return created;
  }

  /** Replaces what `patch` names; the result is validated as a whole. */
  async update(id: string, patch: Partial<RouteGroupInput>): Promise<RouteGroup> {
    const { userId } = this.deps;
    const updated = await this.deps.store.write((r) => {
      const current = r.routeGroups.get(userId, id);
      if (!current) throw notFound(id);
      const clean = validate(r, userId, { ...current, ...patch }, id);
      const group = r.routeGroups.update(userId, id, clean);
      if (!group) throw notFound(id);
      r.audit.record(userId, 'routeGroup.update', 'routeGroup', id, { fields: Object.keys(patch) });
      return group;
    });
    this.changes.fire({ kind: 'updated', id });
    return updated;
  }

  async delete(id: string): Promise<void> {
    const { userId } = this.deps;
    await this.deps.store.write((r) => {
      const group = r.routeGroups.get(userId, id);
      if (!group) throw notFound(id);
      r.routeGroups.delete(userId, id);
      r.audit.record(userId, 'routeGroup.delete', 'routeGroup', id, { name: group.name });
    });
    this.changes.fire({ kind: 'deleted', id });
  }

  /**
   * The group as the router uses it: each member with its configuration's name, provider and model (or the member's
   * own model), settings with defaults. Members whose configuration was deleted or switched off are left out.
   */
  resolve(id: string): ResolvedGroup | undefined {
    const { userId } = this.deps;
    return this.deps.store.read((r) => {
      const group = r.routeGroups.get(userId, id);
      if (!group) return undefined;
      const members: RouteMember[] = [];
      for (const member of group.members) {
        const configuration = r.configurations.get(userId, member.configurationId);
        if (!configuration?.isActive) continue;
        const preset = configuration.config.preset;
        members.push({
          configurationId: configuration.id,
          name: configuration.name,
          provider: configuration.provider,
          model: member.model ?? configuration.model,
          weight: member.weight ?? 1,
          baseUrl: configuration.baseUrl,
          ...(typeof preset === 'string' ? { preset } : {}),
        });
      }
      return { id: group.id, userId, name: group.name, strategy: group.strategy, members, settings: { ...defaultSettings, ...group.settings } };
    });
  }

  dispose(): void {
    this.changes.dispose();
  }
}

function notFound(id: string): ConfigurationError {
  return new ConfigurationError('not-found', `No route group with id ${id}. It may have been deleted in another window.`);
}

function positiveNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Refuses, with every problem named by field, a group the router could not use. */
function validate(r: Repositories, userId: string, input: RouteGroupInput, id: string | undefined): Required<RouteGroupInput> {
  const errors: ConfigFieldError[] = [];
  const checkedName = checkName(input.name);
  const name = checkedName.ok ? checkedName.name : input.name.trim();
  if (!checkedName.ok) errors.push({ field: 'name', message: nameProblemPhrase(checkedName.problem) });
  if (!routeStrategies.includes(input.strategy)) errors.push({ field: 'strategy', message: `must be one of ${routeStrategies.join(', ')}` });
  if (input.members.length === 0) errors.push({ field: 'members', message: 'add at least one configuration' });
  const seen = new Set<string>();
  input.members.forEach((member, index) => {
    const field = `members.${String(index)}`;
    const configuration = r.configurations.get(userId, member.configurationId);
    if (!configuration) errors.push({ field: `${field}.configurationId`, message: 'no such configuration' });
    if (member.weight !== undefined && !positiveNumber(member.weight)) errors.push({ field: `${field}.weight`, message: 'must be a positive number' });
    if (member.model?.trim() === '') errors.push({ field: `${field}.model`, message: 'choose a model or leave it unset' });
    const key = `${member.configurationId}\u0000${member.model ?? configuration?.model ?? ''}`;
    if (seen.has(key)) errors.push({ field, message: 'this configuration and model are already a member' });
    seen.add(key);
  });
  const settings = input.settings ?? {};
  for (const field of ['cooldownFailures', 'cooldownWindowSeconds', 'cooldownSeconds'] as const) {
    if (settings[field] !== undefined && !positiveNumber(settings[field])) errors.push({ field: `settings.${field}`, message: 'must be a positive number' });
  }
  if (errors.length > 0) {
    throw new ConfigurationError('validation', `Check the route group: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`, { fieldErrors: errors });
  }
  const taken = r.routeGroups.list(userId).some((g) => g.id !== id && g.name.toLowerCase() === name.toLowerCase());
  if (taken) throw new ConfigurationError('duplicate-name', `A route group named "${name}" already exists. Choose another name.`, { fieldErrors: [{ field: 'name', message: 'already taken' }] });
  // Chat picks a group and a configuration by name (`@models /use <name>`): the two must not share one.
  const configuration = r.configurations.list(userId).find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (configuration) {
    throw new ConfigurationError('duplicate-name', `A configuration is named "${configuration.name}". Give the route group another name.`, { fieldErrors: [{ field: 'name', message: 'a configuration has this name' }] });
  }
  const members = input.members.map((m) => ({ configurationId: m.configurationId, ...(m.weight === undefined ? {} : { weight: m.weight }), ...(m.model === undefined ? {} : { model: m.model.trim() }) }));
  return { name, strategy: input.strategy, members, settings };
}

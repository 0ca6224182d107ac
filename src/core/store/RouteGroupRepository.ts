import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { parseArray, parseObject } from './json';
import type { Row, Sql } from './sql';
import { text } from './sql';
import type { RouteGroup, RouteGroupMember, RouteGroupSettings, RouteStrategy } from './types';

const memberSchema = z.object({ configurationId: z.string(), weight: z.optional(z.number()), model: z.optional(z.string()) });
const settingsSchema = z.object({
  fallbackOnAuthError: z.optional(z.boolean()),
  restartStreamsWithNotice: z.optional(z.boolean()),
  cooldownFailures: z.optional(z.number()),
  cooldownWindowSeconds: z.optional(z.number()),
  cooldownSeconds: z.optional(z.number()),
});

export interface NewRouteGroup {
  readonly id?: string;
  readonly name: string;
  readonly strategy: RouteStrategy;
  readonly members: readonly RouteGroupMember[];
  readonly settings?: RouteGroupSettings;
}

/** route_groups, scoped by user like every user-owned table. */
export class RouteGroupRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  create(userId: string, input: NewRouteGroup): RouteGroup {
    const at = this.now();
    const id = input.id ?? randomUUID();
    this.sql.run('INSERT INTO route_groups (id, user_id, name, strategy, members, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      id, userId, input.name, input.strategy, JSON.stringify(input.members), JSON.stringify(input.settings ?? {}), at, at,
    ]);
    const created = this.get(userId, id);
    if (!created) throw new Error('RouteGroupRepository.create: the new row was not found');
    return created;
  }

  list(userId: string): RouteGroup[] {
    return this.sql.all('SELECT * FROM route_groups WHERE user_id = ? ORDER BY name, id', [userId]).map(toRouteGroup);
  }

  get(userId: string, id: string): RouteGroup | undefined {
    const row = this.sql.get('SELECT * FROM route_groups WHERE user_id = ? AND id = ?', [userId, id]);
    return row ? toRouteGroup(row) : undefined;
  }

  update(userId: string, id: string, patch: Partial<Omit<NewRouteGroup, 'id'>>): RouteGroup | undefined {
    const current = this.get(userId, id);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    this.sql.run('UPDATE route_groups SET name = ?, strategy = ?, members = ?, settings = ?, updated_at = ? WHERE user_id = ? AND id = ?', [
      next.name, next.strategy, JSON.stringify(next.members), JSON.stringify(next.settings), this.now(), userId, id,
    ]);
    return this.get(userId, id);
  }

  delete(userId: string, id: string): boolean {
    return this.sql.run('DELETE FROM route_groups WHERE user_id = ? AND id = ?', [userId, id]) > 0;
  }
}

function toRouteGroup(row: Row): RouteGroup {
  const members: RouteGroupMember[] = [];
  for (const candidate of parseArray(text(row.members))) {
    const parsed = memberSchema.safeParse(candidate);
    if (!parsed.success) continue;
    const { configurationId, weight, model } = parsed.data;
    members.push({ configurationId, ...(weight === undefined ? {} : { weight }), ...(model === undefined ? {} : { model }) });
  }
  const settings = settingsSchema.safeParse(parseObject(text(row.settings)));
  return {
    id: text(row.id),
    userId: text(row.user_id),
    name: text(row.name),
    strategy: text(row.strategy) as RouteStrategy,
    members,
    settings: settings.success ? withoutUndefined(settings.data) : {},
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
  };
}

function withoutUndefined(settings: Record<string, boolean | number | undefined>): RouteGroupSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

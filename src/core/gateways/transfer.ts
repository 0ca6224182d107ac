import { errorMessage } from '../errors';
import { providerIds } from '../providers';
import type { StoreSession } from '../session';
import type { AIConfiguration, RouteGroup } from '../store';
import { importLiteLLMConfig, type LiteLLMImportReport } from './litellmImport';
import { exportLiteLLMConfig } from './litellmExport';
import { exportPortkeyConfig } from './portkeyExport';
import type { GatewayExport } from './types';

export type GatewayEngine = 'litellm' | 'portkey';

export interface GatewaySelection {
  readonly configurationIds: readonly string[];
  readonly groupIds: readonly string[];
}

/** The picked configurations and groups as the engine's file; recordGatewayExport() once it is written. */
export async function exportForGateway(session: StoreSession, engine: GatewayEngine, selection: GatewaySelection): Promise<GatewayExport> {
  const all = session.configurations.listConfigurations();
  const groups = session.routeGroups.list();
  const input = {
    configurations: all.filter((c) => selection.configurationIds.includes(c.id)),
    groups: groups.filter((g) => selection.groupIds.includes(g.id)),
    allConfigurations: all,
    now: session.now(),
  };
  return engine === 'litellm' ? exportLiteLLMConfig(input) : exportPortkeyConfig(input);
}

/** The audit entry names the engine, how much went out and which variables the user must set: never a key. */
export async function recordGatewayExport(session: StoreSession, engine: GatewayEngine, exported: GatewayExport): Promise<void> {
  await session.configurations.recordAudit('configurations.export', engine, null, {
    configurations: exported.configurations,
    groups: exported.groups,
    variables: exported.variables.map((v) => v.name),
    notCarried: exported.notCarried.length,
  });
}

export interface GatewayImportOutcome {
  readonly created: readonly AIConfiguration[];
  readonly groups: readonly RouteGroup[];
  readonly rejected: LiteLLMImportReport['rejected'];
  readonly failed: readonly string[];
  readonly notes: readonly string[];
  /** Per created configuration: what the user should do next (enter the key, ...). */
  readonly configurationNotes: ReadonlyMap<string, readonly string[]>;
}

/**
 * Imports a LiteLLM proxy config.yaml: configurations are created like ones entered by hand (keys left to enter later
 * unless written literally in the file), then the route groups over them; the import is recorded in the audit log.
 */
export async function importLiteLLMUserData(session: StoreSession, text: string): Promise<GatewayImportOutcome> {
  const report = await importLiteLLMConfig(text, {
    providers: providerIds,
    validateConfig: (id: string, config: unknown) => session.providers.parseConfig(id, config),
    existingNames: session.configurations.listConfigurations().map((c) => c.name),
    existingGroupNames: session.routeGroups.list().map((g) => g.name),
  });
  const created: AIConfiguration[] = [];
  const failed: string[] = [];
  const configurationNotes = new Map<string, readonly string[]>();
  for (const draft of report.imported) {
    try {
      const c = await session.configurations.createConfiguration({ name: draft.name, provider: draft.provider, settings: draft.config, ...(draft.apiKey ? { apiKey: draft.apiKey.reveal() } : { keyLater: true }) });
      created.push(c);
      configurationNotes.set(c.name, draft.notes);
    } catch (error) {
      failed.push(`"${draft.name}": ${errorMessage(error)}`);
    }
  }
  const ids = new Map(created.map((c) => [c.name, c.id]));
  const groups: RouteGroup[] = [];
  for (const g of report.groups) {
    const members = g.members.flatMap((m) => {
      const id = ids.get(m.configuration);
      return id === undefined ? [] : [{ configurationId: id, ...(m.weight === undefined ? {} : { weight: m.weight }) }];
    });
    if (members.length < g.members.length) failed.push(`Route group "${g.name}": ${g.members.length - members.length === 1 ? '1 member was not imported and is left out' : `${String(g.members.length - members.length)} members were not imported and are left out`}.`);
    if (members.length === 0) continue;
    try {
      groups.push(await session.routeGroups.create({ name: g.name, strategy: g.strategy, members, settings: g.settings }));
    } catch (error) {
      failed.push(`Route group "${g.name}": ${errorMessage(error)}`);
    }
  }
  await session.configurations.recordAudit('configurations.import', 'file', null, { format: 'litellm', imported: created.length, groups: groups.length, rejected: report.rejected.length + failed.length });
  return { created, groups, rejected: report.rejected, failed, notes: report.notes, configurationNotes };
}

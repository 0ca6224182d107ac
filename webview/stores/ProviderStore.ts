import type { ProviderView } from '../../src/protocol';
import type { RpcClient } from '../rpc/RpcClient';

/** A provider's JSON Schema, as much of it as the forms read. */
export interface PropertySchema {
  readonly type?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly string[];
  readonly format?: string;
  /** A list's entries (e.g. Gemini's safetySettings: {category, threshold} with their enums). */
  readonly items?: { readonly properties?: Readonly<Record<string, PropertySchema>> };
}

export interface ProviderSchema {
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly required: readonly string[];
}

/** The providers and their schemas: fetched once per panel, shared by every form. */
export class ProviderStore {
  private list: Promise<readonly ProviderView[]> | undefined;
  private readonly schemas = new Map<string, Promise<ProviderSchema>>();

  constructor(private readonly rpc: RpcClient) {}

  providers(): Promise<readonly ProviderView[]> {
    this.list ??= this.rpc.request('providers.list', {}).catch((error: unknown) => {
      this.list = undefined;
      throw error;
    });
    return this.list;
  }

  schema(provider: string): Promise<ProviderSchema> {
    let schema = this.schemas.get(provider);
    if (!schema) {
      schema = this.rpc.request('providers.schema', { provider }).then(toProviderSchema, (error: unknown) => {
        this.schemas.delete(provider);
        throw error;
      });
      this.schemas.set(provider, schema);
    }
    return schema;
  }
}

function toProviderSchema(raw: Record<string, unknown>): ProviderSchema {
  const properties: Record<string, PropertySchema> = {};
  const source = raw.properties;
  if (source && typeof source === 'object') {
    for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
      if (value && typeof value === 'object') properties[name] = value;
    }
  }
  const required = Array.isArray(raw.required) ? raw.required.filter((r): r is string => typeof r === 'string') : [];
  return { properties, required };
}

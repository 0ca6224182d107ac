import * as z from 'zod/mini';
import type { HttpClient } from '../../../src/core/http';
import type { AIProvider, ProviderTarget } from '../../../src/core/providers';
import type { Emulator } from '../../emulators';
import { testClient } from '../providers/harness';

/** What the shared adapter contract needs to know about one adapter and its emulator. */
export interface Subject<C> {
  readonly name: string;
  start(): Promise<{ emulator: Emulator; provider: AIProvider<C>; target: ProviderTarget<C>; http: HttpClient }>;
  /** The same target with another base URL, key or model. */
  withBaseUrl(target: ProviderTarget<C>, baseUrl: string): ProviderTarget<C>;
  withModel(target: ProviderTarget<C>, model: string): ProviderTarget<C>;
  /** Undefined when the provider takes no key. */
  withKey?(target: ProviderTarget<C>, key: string): ProviderTarget<C>;
  /** The adapter over another HTTP client (a test with limits of its own). */
  readonly createProvider: (deps: { readonly http: HttpClient }) => AIProvider<C>;
  /** The path the chat request goes to on the emulator. */
  readonly chatPath: RegExp;
  /** The text the recorded stream replays. */
  readonly streamedText: string;
  /** Where the base URL's path begins (e.g. "/v1"). */
  readonly basePath: string;
}

/** One adapter under test: how to start its emulator, build it, and point a configuration at the emulator. */
export interface ProviderSpec<C extends { readonly baseUrl: string; readonly model: string }, E extends Emulator> {
  readonly name: string;
  readonly startEmulator: () => Promise<E>;
  readonly createProvider: (deps: { readonly http: HttpClient }) => AIProvider<C>;
  /** The adapter's settings schema: targets are parsed by it, as the product parses a saved configuration. */
  readonly schema: z.ZodMiniType<C>;
  /** The settings of a configuration on this emulator (base URL, default model, …). */
  readonly settings: (emulator: E) => Record<string, unknown>;
  /** The key the emulator accepts; absent for a provider that takes none. */
  readonly apiKey?: (emulator: E) => string;
  readonly chatPath: RegExp;
  readonly streamedText: string;
  readonly basePath: string;
}

export interface ProviderSubject<C, E extends Emulator> extends Subject<C> {
  /** A target on `emulator`; a string changes the model, an object any settings. */
  readonly target: (emulator: E, overrides?: string | Record<string, unknown>) => ProviderTarget<C>;
  readonly startEmulator: () => Promise<E>;
}

/** The one way the provider and routing tests build an adapter, its emulator and a target between them. */
export function providerSubject<C extends { readonly baseUrl: string; readonly model: string }, E extends Emulator>(spec: ProviderSpec<C, E>): ProviderSubject<C, E> {
  const target = (emulator: E, overrides: string | Record<string, unknown> = {}): ProviderTarget<C> => {
    const settings = { ...spec.settings(emulator), ...(typeof overrides === 'string' ? { model: overrides } : overrides) };
    const config = z.parse(spec.schema, settings);
    return spec.apiKey ? { config, apiKey: spec.apiKey(emulator) } : { config };
  };
  return {
    name: spec.name,
    target,
    createProvider: spec.createProvider,
    startEmulator: spec.startEmulator,
    async start() {
      const emulator = await spec.startEmulator();
      const http = testClient();
      return { emulator, http, provider: spec.createProvider({ http }), target: target(emulator) };
    },
    withBaseUrl: (t, baseUrl) => ({ ...t, config: { ...t.config, baseUrl } }),
    withModel: (t, model) => ({ ...t, config: { ...t.config, model } }),
    ...(spec.apiKey ? { withKey: (t: ProviderTarget<C>, apiKey: string) => ({ ...t, apiKey }) } : {}),
    chatPath: spec.chatPath,
    streamedText: spec.streamedText,
    basePath: spec.basePath,
  };
}

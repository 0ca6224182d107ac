import type { ConfigurationView, ProviderView } from '../../src/protocol';

/** The provider entry a configuration belongs to (a preset of the OpenAI-compatible provider when it names one). */
export function providerOf(providers: readonly ProviderView[], provider: string, settings: Readonly<Record<string, unknown>>): ProviderView | undefined {
  const preset = typeof settings.preset === 'string' ? settings.preset : undefined;
  return (
    (preset ? providers.find((p) => p.id === provider && p.preset === preset) : undefined) ??
    providers.find((p) => p.id === provider && !p.preset) ??
    providers.find((p) => p.id === provider)
  );
}

export function providerName(providers: readonly ProviderView[], c: ConfigurationView): string {
  return providerOf(providers, c.provider, c.settings)?.displayName ?? c.provider;
}

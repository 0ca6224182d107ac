import { strings } from '../../strings';
import { GenericConfig } from './GenericConfig';
import type { ProviderFormProps } from './types';

/** Gemini: the generic form, with where its keys come from and how its model ids look. */
export function GeminiConfig(props: ProviderFormProps) {
  return <GenericConfig {...props} hint={strings.geminiHint} />;
}

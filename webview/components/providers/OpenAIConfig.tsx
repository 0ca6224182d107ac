import { strings } from '../../strings';
import { GenericConfig } from './GenericConfig';
import type { ProviderFormProps } from './types';

/** OpenAI: organization and project sit with the connection, since they choose which account is billed. */
export function OpenAIConfig(props: ProviderFormProps) {
  return <GenericConfig {...props} hint={strings.openaiHint} connectionFields={['baseUrl', 'organization', 'project']} />;
}

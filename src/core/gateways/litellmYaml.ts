import { ImportFileError } from '../importExport/types';
import { isRecord, megabytes } from '../importExport/safeInput';

/** A proxy config with hundreds of deployments is still well under this. */
export const MAX_LITELLM_BYTES = 2 * 1024 * 1024;
export const MAX_DEPLOYMENTS = 500;

function firstLine(message: string): string {
  return message.split('\n')[0]?.slice(0, 200) ?? '';
}

/** The parsed file, checked to be a LiteLLM proxy config; anything else is an ImportFileError the user can act on. */
export async function readLiteLLMYaml(content: string): Promise<{ modelList: unknown[]; root: Record<string, unknown> }> {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_LITELLM_BYTES) throw new ImportFileError(`The file is ${megabytes(bytes)}; a LiteLLM config.yaml is at most ${megabytes(MAX_LITELLM_BYTES)} here. Choose the proxy's config.yaml.`);
  // Loaded on first import only: the parser is large for the extension's bundle.
  const { parse } = await import('yaml');
  let value: unknown;
  try {
    // Core schema, no custom tags (no !!python objects), aliases capped (an alias bomb stops early); warnings off so a
    // key on the offending line is never printed.
    value = parse(content, { schema: 'core', customTags: [], merge: true, maxAliasCount: 100, uniqueKeys: true, prettyErrors: true, logLevel: 'error' });
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/alias/i.test(message)) throw new ImportFileError('The file uses too many YAML aliases (&anchor / *alias) to be read safely. Write the entries out and import again.');
    // The parser recurses per level: a file nested thousands deep ends its stack (a RangeError, whatever it wraps it in).
    if (error instanceof RangeError || /call stack/i.test(message)) throw new ImportFileError('The file nests lists or mappings too deeply to be a LiteLLM config (thousands of levels). Choose the proxy\'s config.yaml.');
    const where = error instanceof Error && 'linePos' in error && Array.isArray(error.linePos) ? ` (${firstLine(message)})` : '';
    throw new ImportFileError(`The file is not valid YAML${where}. Fix it (litellm --config checks it too), then import again.`);
  }
  if (!isRecord(value)) throw new ImportFileError('The file is not a LiteLLM proxy config: expected a mapping with a "model_list".');
  const list = value.model_list;
  if (list === undefined) throw new ImportFileError('The file has no "model_list". Choose the LiteLLM proxy\'s config.yaml with at least one model.');
  if (!Array.isArray(list)) throw new ImportFileError('"model_list" must be a list of models (each with model_name and litellm_params).');
  if (list.length > MAX_DEPLOYMENTS) throw new ImportFileError(`The file lists ${String(list.length)} models; at most ${String(MAX_DEPLOYMENTS)} can be imported at once.`);
  return { modelList: list, root: value };
}

/** The edit screen's own strings (its chunk loads them, not the list's first paint), in one place for translation. */
export const editStrings = {
  // Enable / disable
  enabledLabel: 'Enabled',
  enabledHelp: 'A disabled configuration is kept but not offered in chat, route groups or the model picker.',
  // Test status
  testingNow: 'A connection test of this configuration is running…',
  // Rotate key
  rotateKey: 'Rotate key…',
  rotateLegend: 'Rotate the API key',
  rotateHelp: 'The new key replaces the stored one at once and is stored encrypted; it never comes back to this page. The change is recorded in the audit log.',
  rotateLabel: 'New API key',
  rotateButton: 'Rotate',
  rotating: 'Rotating…',
  rotated: (state: string) => `Key rotated. The stored key is now ${state}.`,
  rotateEmpty: 'Enter the new API key.',
  // Changed elsewhere
  changedElsewhereKept:
    'This configuration was saved in another window or from the palette while you were editing it. Fields you had not changed now show the saved values; your unsaved edits are kept. Save to apply them over the saved version, or discard them.',
  changedElsewhere: 'This configuration was changed in another window or from the palette; the form shows the saved version.',
  discardEdits: 'Discard my edits',
  // Ollama models
  installedLegend: 'Installed models',
  installedHelp: 'The models on this Ollama server, as it lists them now.',
  installedNone: 'No models are installed on this server. Pull one below.',
  installedLabel: 'Models installed on this server',
  sizeUnknown: 'size not stated',
  usedBy: (names: string) => `used by ${names}`,
  details: 'Details',
  hideDetails: 'Hide details',
  deleteModel: 'Delete',
  actionLabel: (action: string, model: string) => `${action} ${model}`,
  confirmDeleteModel: (model: string) => `Delete ${model} from this server?`,
  frees: (size: string) => `This frees ${size} of disk.`,
  freesUnknown: 'The server did not say how much disk this frees.',
  stopsWorking: (names: string) => `Used by ${names}: they stop working until the model is pulled again.`,
  deleteModelConfirm: 'Delete model',
  deletedModel: (model: string, size: string | undefined) => (size ? `Deleted ${model}, freeing ${size}.` : `Deleted ${model}.`),
  detailsOf: (model: string) => `Details of ${model}`,
  family: 'Family',
  parameters: 'Parameters',
  quantisation: 'Quantisation',
  contextLength: 'Context length',
  contextTokens: (n: string) => `${n} tokens`,
  capabilities: 'Capabilities',
  licence: 'Licence',
  sizeOnDisk: 'Size on disk',
  modified: 'Modified',
  notStated: 'not stated',
  refreshModels: 'Refresh',
};

/** Bytes as Ollama's own `ollama list` shows them: decimal units, one decimal place. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${String(bytes)} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

import { CONTROL_CHARACTER } from './fields';
import type { ModelInfo } from './types';

/**
 * Ids of models that answer no chat: images, speech, transcription, embeddings, moderation, realtime and
 * audio-only models, and the legacy completion-only ones. Checked only where the list itself says nothing.
 */
const NOT_CHAT: readonly RegExp[] = [
  /dall-e/i,
  /(^|[-_/.:])tts([-_/.:]|$)/i,
  /whisper/i,
  /transcribe/i,
  /embed/i,
  /moderation/i,
  /(^|[-_/.:])image([-_/.:]|$)/i,
  /imagen/i,
  /(^|[-_/.:])(veo|sora)([-_/.:]|$)/i,
  /realtime/i,
  /(^|[-_/.:])audio([-_/.:]|$)/i,
  /native-audio/i,
  /(^|\/)(davinci|babbage)-00\d$/i,
  /(^|\/)gpt-3\.5-turbo-instruct/i,
  /(^|\/)computer-use/i,
];

/** Whether the model can answer a chat: the list's own word where it has one (capabilities, modalities), else its id. */
export function isChatModel(model: ModelInfo): boolean {
  // Ollama's /api/show: "completion" is what chat needs ("embedding" alone is an embedding model).
  if (model.capabilities && model.capabilities.length > 0) return model.capabilities.includes('completion');
  // OpenRouter's architecture.output_modalities: a chat answers in text.
  if (model.outputModalities && model.outputModalities.length > 0 && !model.outputModalities.includes('text')) return false;
  return !NOT_CHAT.some((pattern) => pattern.test(model.id));
}

/** The models a chat model picker offers: chat models only, sorted by id as a person reads them (llama3.2:3b before llama3.2:11b). */
export function chatModelsOf(models: readonly ModelInfo[]): ModelInfo[] {
  return models.filter((m) => isUsableId(m.id) && isChatModel(m)).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true, sensitivity: 'base' }));
}

/** An id a configuration could be saved with: not blank, no line breaks or control characters (see modelId). */
function isUsableId(id: string): boolean {
  return id.trim() !== '' && !CONTROL_CHARACTER.test(id);
}

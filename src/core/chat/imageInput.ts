import { isChatModel } from '../providers/chatModels';
import { openaiTakesImages } from '../providers/openaiSpecs';
import type { ModelInfo, OllamaModelDetails } from '../providers';

/** What is known about one configuration's model when the picker lists it: its server's details and list entry. */
export interface ImageFacts {
  readonly provider: string;
  readonly model: string;
  /** Ollama's /api/show, when the provider has it. */
  readonly details?: OllamaModelDetails | undefined;
  /** The provider's model list (cached by the adapter), when it could be read. */
  readonly listed?: readonly ModelInfo[] | undefined;
}

/**
 * Whether the model reads images, from the maintained source each provider has: Ollama's /api/show capabilities
 * ("vision"), the model list's own input modalities (Anthropic's capabilities.image_input, OpenRouter's
 * architecture.input_modalities), gpt-tokenizer's OpenAI model specs, and for Gemini its documentation's rule that
 * every Gemini chat model is multimodal. Unknown is false: a model that says nothing is not sent images.
 */
export async function takesImages(facts: ImageFacts): Promise<boolean> {
  if (facts.details) return facts.details.capabilities.includes('vision');
  const entry = facts.listed?.find((m) => m.id === facts.model);
  if (entry?.inputModalities && entry.inputModalities.length > 0) return entry.inputModalities.includes('image');
  switch (facts.provider) {
    case 'openai':
    case 'openai-compatible':
      return (await openaiTakesImages(facts.model).catch(() => undefined)) ?? false;
    case 'gemini':
      // ai.google.dev/gemini-api/docs/image-understanding: Gemini models are multimodal; image, speech and embedding models are not chat models.
      return /^gemini-/i.test(facts.model) && isChatModel({ id: facts.model }) && (facts.listed === undefined || entry !== undefined);
    default:
      return false;
  }
}

export { startAnthropicEmulator } from './anthropic';
export type { AnthropicEmulator, AnthropicRecording } from './anthropic';
export { startGeminiEmulator } from './gemini';
export type { GeminiEmulator, GeminiRecording } from './gemini';
export { startOllamaEmulator } from './ollama';
export type { OllamaEmulator, OllamaRecording } from './ollama';
export { startOpenAIEmulator } from './openai';
export type { OpenAIEmulator, OpenAIModelList, OpenAIRecording, OpenAIResponsesRecording } from './openai';
export type { Emulator, Fault, ReceivedRequest } from './server';

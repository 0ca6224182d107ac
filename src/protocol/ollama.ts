// The editor's Ollama screen: the models installed on a saved server, their details, and deleting one. Never a key.
import * as z from 'zod/mini';
import { text } from './views';

const id = text(200);
const model = text(300);

export const installedModelSchema = z.strictObject({
  id: model,
  /** Bytes on disk, where the server says. */
  sizeBytes: z.optional(z.number()),
  /** The configurations that run on this model (on this server): they stop working if it is deleted. */
  usedBy: z.array(text(200)).check(z.maxLength(2000)),
});
export type InstalledModelView = z.infer<typeof installedModelSchema>;

export const ollamaModelDetailsSchema = z.strictObject({
  model,
  family: z.optional(text(200)),
  parameterSize: z.optional(text(100)),
  quantization: z.optional(text(100)),
  contextLength: z.optional(z.number()),
  capabilities: z.array(text(100)).check(z.maxLength(100)),
  /** The licence's first line (its name); the whole text is long. */
  license: z.optional(text(300)),
  modifiedAt: z.optional(text(64)),
  sizeBytes: z.optional(z.number()),
});
export type OllamaModelDetailsView = z.infer<typeof ollamaModelDetailsSchema>;

/** Spread into `methods` in rpc.ts. */
export const ollamaMethods = {
  'ollama.installed': { params: z.strictObject({ configurationId: id }), result: z.array(installedModelSchema).check(z.maxLength(2000)) },
  'ollama.details': { params: z.strictObject({ configurationId: id, model }), result: ollamaModelDetailsSchema },
  /** The page asked first (saying how much disk it frees); the host deletes the model and records it in the audit log. */
  'ollama.delete': { params: z.strictObject({ configurationId: id, model }), result: z.strictObject({ deleted: z.boolean(), sizeBytes: z.optional(z.number()) }) },
} as const;

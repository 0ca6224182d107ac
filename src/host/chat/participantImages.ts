import * as vscode from 'vscode';
import type { ChatImage } from '../../core/providers';
import type { StoreSession } from '../../core/session';
import { configurationIdOf } from '../../core/chat/targets';

/** Image files a chat reference may name, by extension (what the providers' image parts take). */
const IMAGE_FILES: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/**
 * The largest image @models sends: OpenAI's and Ollama's per-image limit, the highest of any provider (Anthropic's and
 * Gemini's lower ones are checked by their adapters). Anything larger no provider takes, so it is refused before its
 * bytes are read into the extension host.
 */
export const PARTICIPANT_IMAGE_BYTES = 50 * 1024 * 1024;

/**
 * A pasted or attached image as VS Code hands it to a participant (ChatReferenceBinaryData, proposed in 1.104 and
 * 1.139); `reference`, where present, is the file it was read from.
 */
interface BinaryReference {
  readonly mimeType: string;
  readonly reference?: unknown;
  data(): Thenable<Uint8Array>;
}

function isBinary(value: unknown): value is BinaryReference {
  const candidate = value as Partial<BinaryReference> | undefined;
  return typeof candidate?.mimeType === 'string' && typeof candidate.data === 'function';
}

/**
 * The images of a chat request: pasted or attached images arrive in `request.references` as binary data (its class,
 * ChatReferenceBinaryData, is proposed API, so it is recognised by shape), image files attached from the workspace as
 * their Uri. Other references (files, selections) are not images and are left as they were.
 */
export async function referencedImages(references: readonly vscode.ChatPromptReference[]): Promise<ChatImage[]> {
  const images: ChatImage[] = [];
  for (const reference of references) {
    const value = reference.value;
    const position = images.length + 1;
    if (isBinary(value)) {
      if (!value.mimeType.startsWith('image/')) continue;
      // Sized by its file when it names one, so its bytes are never read; otherwise as they arrive, before encoding.
      if (value.reference instanceof vscode.Uri) await refuseLargeFile(value.reference, position);
      const bytes = await value.data();
      refuseLarge(bytes.byteLength, vscode.l10n.t('Image {0}', position));
      images.push({ mimeType: value.mimeType, data: Buffer.from(bytes).toString('base64') });
    } else if (value instanceof vscode.Uri) {
      const mimeType = IMAGE_FILES[value.path.split('.').pop()?.toLowerCase() ?? ''];
      if (!mimeType) continue;
      await refuseLargeFile(value, position);
      images.push({ mimeType, data: Buffer.from(await vscode.workspace.fs.readFile(value)).toString('base64') });
    }
  }
  return images;
}

async function refuseLargeFile(file: vscode.Uri, position: number): Promise<void> {
  const { size } = await vscode.workspace.fs.stat(file);
  const name = file.path.split('/').pop() ?? '';
  refuseLarge(size, name === '' ? vscode.l10n.t('Image {0}', position) : name);
}

function refuseLarge(bytes: number, name: string): void {
  if (bytes <= PARTICIPANT_IMAGE_BYTES) return;
  throw new Error(vscode.l10n.t('{0} is {1} MB; @models sends images of at most {2} MB. Attach a smaller image (a crop of the part that matters, or the image saved as JPEG) and ask again.', name, (bytes / 1024 / 1024).toFixed(1), PARTICIPANT_IMAGE_BYTES / 1024 / 1024));
}

/** Whether the model behind a group reads images (a route group: every member), from the same facts the model picker shows. */
export async function groupTakesImages(session: StoreSession, groupId: string): Promise<boolean> {
  const core = await import('../lazyCore');
  const group = session.routeGroups.list().find((g) => g.id === groupId);
  const members = new Set(group ? group.members.map((m) => m.configurationId) : [configurationIdOf(groupId) ?? '']);
  const described = await core.describeModels({
    configurations: session.configurations.listConfigurations().filter((c) => members.has(c.id)),
    routeGroups: group ? [group] : [],
    catalog: await session.catalog().catch(() => undefined),
    targetOf: (row) => session.providerAccess.targetOf(row),
    listModels: (row, signal) => session.providerAccess.listModels(row.id, { signal }),
  });
  return described.find((m) => m.id === groupId)?.imageInput === true;
}

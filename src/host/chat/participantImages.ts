import * as vscode from 'vscode';
import type { ChatImage } from '../../core/providers';
import type { StoreSession } from '../../core/session';
import { configurationIdOf } from '../../core/chat/targets';

/** Image files a chat reference may name, by extension (what the providers' image parts take). */
const IMAGE_FILES: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/** A pasted or attached image as VS Code hands it to a participant (ChatReferenceBinaryData, proposed in 1.104 and 1.139). */
interface BinaryReference {
  readonly mimeType: string;
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
    if (isBinary(value)) {
      if (!value.mimeType.startsWith('image/')) continue;
      images.push({ mimeType: value.mimeType, data: Buffer.from(await value.data()).toString('base64') });
    } else if (value instanceof vscode.Uri) {
      const mimeType = IMAGE_FILES[value.path.split('.').pop()?.toLowerCase() ?? ''];
      if (mimeType) images.push({ mimeType, data: Buffer.from(await vscode.workspace.fs.readFile(value)).toString('base64') });
    }
  }
  return images;
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

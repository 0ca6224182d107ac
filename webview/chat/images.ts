// Reading pasted, dropped or picked images into data: URLs, within the chat protocol's limits.
import { CHAT_IMAGE_MAX_BYTES, CHAT_IMAGE_TYPES, CHAT_IMAGES_PER_MESSAGE, type ChatImageView } from '../../src/protocol/chat';
import { imageTypeName, imageTypeOfBytes } from '../../src/protocol/imageBytes';
import { strings } from './strings';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2).replace(/\.?0+$/, '')} MB`;
}

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => { resolve(typeof reader.result === 'string' ? reader.result : ''); };
    reader.onerror = () => { reject(new Error(strings.imageUnreadable(file.name))); };
    reader.readAsDataURL(file);
  });
}

/** The image files among `files` as data: URLs (at most `room` of them), and a sentence for each one left out. */
export async function readImages(files: readonly File[], room: number): Promise<{ images: ChatImageView[]; problems: string[] }> {
  const images: ChatImageView[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const name = file.name || 'The pasted image';
    if (!(CHAT_IMAGE_TYPES as readonly string[]).includes(file.type)) {
      problems.push(strings.imageType(name, file.type));
      continue;
    }
    if (file.size > CHAT_IMAGE_MAX_BYTES) {
      problems.push(strings.imageSize(name, megabytes(file.size), megabytes(CHAT_IMAGE_MAX_BYTES)));
      continue;
    }
    if (images.length >= room) {
      problems.push(strings.imageCount(CHAT_IMAGES_PER_MESSAGE));
      break;
    }
    try {
      const dataUrl = await readDataUrl(file);
      // The type comes from the file's name; the bytes say what the image is (a JPEG named .png is refused here, not by a provider).
      const actual = imageTypeOfBytes(dataUrl.slice(dataUrl.indexOf(',') + 1));
      if (actual !== file.type) {
        problems.push(strings.imageMismatch(name, imageTypeName(file.type), actual && imageTypeName(actual)));
        continue;
      }
      images.push({ dataUrl });
    } catch (error) {
      problems.push(error instanceof Error ? error.message : strings.imageUnreadable(name));
    }
  }
  return { images, problems };
}

/** The files a paste or a drop carries. */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  return [...data.files];
}

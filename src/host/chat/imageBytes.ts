import * as vscode from 'vscode';
import { imageTypeMismatch, imageTypeName } from '../../protocol/imageBytes';

/**
 * Refuses, before anything is saved or sent, images whose bytes are not the type they say (a JPEG named .png): a
 * provider would refuse them or misread them, and a refused image kept in a conversation would fail every later turn.
 */
export function refuseMismatchedImages(images: readonly { readonly mimeType: string; readonly data: string }[]): void {
  const mismatch = imageTypeMismatch(images);
  if (!mismatch) return;
  const what = mismatch.actual ? vscode.l10n.t('a {0} image', imageTypeName(mismatch.actual)) : vscode.l10n.t('not a PNG, JPEG, GIF or WebP image');
  throw new Error(vscode.l10n.t('Image {0} says it is a {1} ({2}), but its bytes are {3}; it was not sent. Save the image again as the type it says (or give the file the ending of what it is), then attach it again.', mismatch.position, imageTypeName(mismatch.declared), mismatch.declared, what));
}

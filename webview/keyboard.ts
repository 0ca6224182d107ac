/**
 * Keeps Ctrl/Cmd+A inside the focused text field. VS Code's webview host forwards every keydown to the workbench,
 * whose Select All answers a moment later with `execCommand('selectAll')` in this page: by then the user has typed
 * over the first selection, the late one selects what they typed, and the next key replaces it ("http://…" became
 * "p://…"). The browser has already selected the field's text, so the workbench need not hear of this key.
 */
export function keepSelectAllInFields(target: Document): void {
  target.addEventListener('keydown', (event) => {
    if (isSelectAll(event) && isEditable(event.composedPath()[0])) event.stopPropagation();
  });
}

function isSelectAll(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (event.key === 'a' || event.key === 'A' || event.code === 'KeyA');
}

function isEditable(node: EventTarget | undefined): boolean {
  if (node instanceof HTMLTextAreaElement) return true;
  if (node instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(node.type);
  return node instanceof HTMLElement && node.isContentEditable;
}

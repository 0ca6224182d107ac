/**
 * Brings the first field marked in error into view and gives it the focus, so that a Save far below it shows why it
 * did nothing; with no field in error, the message region's refusal is brought into view instead.
 */
export function focusFirstError(root: ParentNode = document): void {
  const marked = root.querySelector('.field.invalid, .field-error');
  if (!marked) {
    root.querySelector('.message-region .message')?.scrollIntoView({ block: 'center' });
    return;
  }
  const holder = marked.closest('.field, fieldset') ?? marked;
  holder.scrollIntoView({ block: 'center' });
  holder.querySelector<HTMLElement>('vscode-textfield, select, input, textarea')?.focus();
}

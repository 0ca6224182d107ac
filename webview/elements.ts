// Only the @vscode-elements components the panel uses, so the bundle stays small.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { HTMLAttributes } from 'preact';

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Preact's JSX types are augmented through this namespace
  namespace JSX {
    interface IntrinsicElements {
      'vscode-button': HTMLAttributes<HTMLElement> & { secondary?: boolean | undefined; icon?: string | undefined; disabled?: boolean | undefined };
      'vscode-textfield': HTMLAttributes<HTMLElement> & {
        value?: string | undefined;
        label?: string | undefined;
        placeholder?: string | undefined;
        type?: string | undefined;
        invalid?: boolean | undefined;
        disabled?: boolean | undefined;
      };
      'vscode-progress-ring': HTMLAttributes<HTMLElement>;
    }
  }
}

/** The value of the element an input event came from (a vscode-textfield, an input or a select). */
export function valueOf(event: Event): string {
  const target = event.currentTarget as { value?: unknown } | null;
  return typeof target?.value === 'string' ? target.value : '';
}

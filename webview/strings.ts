/** Every user-visible string of the webview, in one place for translation. */
export const strings = {
  title: 'Model Manager',
} as const;

/** Every user-visible string of the webview, in one place for translation. */
export const strings = {
  title: 'Model Manager',
  empty: 'No AI provider configurations yet.',
  showLogs: 'Show logs',
  version: (v: string) => `Version ${v}`,
  invalidHostMessage: 'The extension sent a message this panel does not understand. Reload the panel.',
} as const;

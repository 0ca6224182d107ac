import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.profile/**', 'artifacts/**', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // The product's logic runs anywhere Node runs: it must never reach for the editor.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core must not import vscode; put editor code in src/host.' }],
        patterns: [{ group: ['**/host/**', '**/extension'], message: 'src/core must not depend on src/host.' }],
      }],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The protocol is shared with the webview: no vscode.' }],
        patterns: [{ group: ['**/host/**', '**/core/**'], message: 'The protocol stands alone.' }],
      }],
    },
  },
  {
    // The webview is browser code: it may only use its own files, the protocol and browser packages.
    files: ['webview/**/*.ts', 'webview/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview cannot use the vscode API; send a message instead.' }],
        patterns: [{ group: ['**/src/host/**', '**/src/core/**', '**/src/extension'], message: 'The webview may import only src/protocol.' }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { console: 'readonly', process: 'readonly', exports: 'writable', require: 'readonly' },
    },
    // The test probes are plain CommonJS extensions, loaded by VS Code as they are.
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
);

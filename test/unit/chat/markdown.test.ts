import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
/** What the test bundle exports (the webview's .tsx is outside this project's TypeScript settings). */
interface MarkdownModule {
  parseBlocks(source: string): unknown[];
  toHtml(source: string): string;
}

const root = resolve(__dirname, '..', '..', '..', '..');

/** The chat page's Markdown is browser code outside the test build: bundle it on the fly with Preact and its renderer. */
function load(): MarkdownModule {
  const entry = join(mkdtempSync(join(tmpdir(), 'chat-markdown-')), 'entry.tsx');
  writeFileSync(entry, `
    import { h } from 'preact';
    import { renderToString } from ${JSON.stringify(join(root, 'test', 'unit', 'chat', 'renderToString.ts'))};
    import { Markdown, parseBlocks } from ${JSON.stringify(join(root, 'webview', 'chat', 'markdown.tsx'))};
    export { parseBlocks };
    export const toHtml = (source) => renderToString(h(Markdown, { source, actions: { copy() {}, insert() {} }, labels: { copy: 'Copy', insert: 'Insert' } }));
  `);
  const [output] = buildSync({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', jsx: 'automatic', jsxImportSource: 'preact', write: false, logLevel: 'silent', nodePaths: [join(root, 'node_modules')] }).outputFiles;
  const file = join(mkdtempSync(join(tmpdir(), 'chat-markdown-')), 'markdown.js');
  writeFileSync(file, output?.text ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a freshly bundled file, loaded once
  return require(file) as MarkdownModule;
}

describe('the chat panel\'s Markdown (a safe subset rendered as elements)', () => {
  const md = load();

  it('reads fenced code with its language, headings, lists that keep their numbers, quotes and paragraphs', () => {
    const blocks = md.parseBlocks('# Title\n\nSome *text*.\n\n```ts\nconst a = 1;\n```\n\n1. one\n\n2. two\n   more\n\n- a\n- b\n\n> quoted');
    assert.deepEqual(blocks, [
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'paragraph', text: 'Some *text*.' },
      { kind: 'code', language: 'ts', code: 'const a = 1;', closed: true },
      { kind: 'list', ordered: true, start: 1, items: ['one'] },
      { kind: 'list', ordered: true, start: 2, items: ['two more'] },
      { kind: 'list', ordered: false, start: 1, items: ['a', 'b'] },
      { kind: 'quote', text: 'quoted' },
    ]);
  });

  it('shows a code block that is still streaming (no closing fence yet) as code', () => {
    assert.deepEqual(md.parseBlocks('```python\nprint(1)'), [{ kind: 'code', language: 'python', code: 'print(1)', closed: false }]);
  });

  it('never turns model output into markup: tags, handlers and javascript: links stay text', () => {
    const html = md.toHtml('<img src=x onerror=alert(1)> **<b>bold</b>** [x](javascript:alert(1)) `<script>`\n\n```html\n<script>alert(1)</script>\n```');
    assert.doesNotMatch(html, /<img|<b>|<script|href="javascript/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /<strong>&lt;b&gt;bold&lt;\/b&gt;<\/strong>/);
    assert.match(html, /<code>&lt;script&gt;<\/code>/);
    assert.match(html, /<pre><code>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/code><\/pre>/);
  });

  it('links only https addresses, and renders inline code, bold and italics', () => {
    const html = md.toHtml('See [docs](https://example.com/a) and [local](http://x) with `a*b` and **b** and _i_');
    assert.match(html, /<a href="https:\/\/example.com\/a" title="https:\/\/example.com\/a">docs<\/a>/);
    assert.match(html, /\[local\]\(http:\/\/x\)/);
    assert.match(html, /<code>a\*b<\/code>/);
    assert.match(html, /<strong>b<\/strong>/);
    assert.match(html, /<em>i<\/em>/);
  });

  it('gives every code block its Copy and Insert buttons', () => {
    const html = md.toHtml('```js\nx()\n```\n\n```\ny\n```');
    assert.equal(html.match(/<vscode-button[^>]*icon="copy"/g)?.length, 2);
    assert.equal(html.match(/<vscode-button[^>]*icon="insert"/g)?.length, 2);
    assert.match(html, /<span class="code-language">text<\/span>/);
  });
});

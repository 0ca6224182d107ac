import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
/** What the test bundle exports (the webview's .tsx is outside this project's TypeScript settings). */
interface Parsed {
  readonly source: string;
  readonly blocks: readonly unknown[];
}

interface RenderedBlock {
  readonly type: new (props: unknown) => { props: unknown; shouldComponentUpdate(next: unknown): boolean };
  readonly props: { readonly block: unknown };
}

interface MarkdownModule {
  parseBlocks(source: string): unknown[];
  parseMarkdown(source: string, previous?: Parsed): Parsed;
  toHtml(source: string): string;
  /** What the chat page builds for a message before Preact puts it on screen: blocks, and their inline elements. */
  renderElements(source: string): unknown[];
  /** One Markdown component rendered again and again, as a streamed answer is: the block elements of each render. */
  renderer(): (source: string) => RenderedBlock[];
}

const root = resolve(__dirname, '..', '..', '..', '..');

/** The chat page's Markdown is browser code outside the test build: bundle it on the fly with Preact and its renderer. */
function load(): MarkdownModule {
  const entry = join(mkdtempSync(join(tmpdir(), 'chat-markdown-')), 'entry.tsx');
  writeFileSync(entry, `
    import { h } from 'preact';
    import { renderToString } from ${JSON.stringify(join(root, 'test', 'unit', 'chat', 'renderToString.ts'))};
    import { Markdown, parseBlocks, parseMarkdown, renderInline } from ${JSON.stringify(join(root, 'webview', 'chat', 'markdown.tsx'))};
    export { parseBlocks, parseMarkdown };
    export const renderElements = (source) => parseBlocks(source).map((b) => b.kind === 'code' ? b.code : b.kind === 'list' ? b.items.map(renderInline) : renderInline(b.text));
    const actions = { copy() {}, insert() {} };
    const labels = { copy: 'Copy', insert: 'Insert' };
    export const toHtml = (source) => renderToString(h(Markdown, { source, actions, labels }));
    export const renderer = () => {
      const component = new Markdown({});
      return (source) => component.render({ source, actions, labels }).props.children;
    };
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

  it('closes a code span only at a run of as many backticks, and leaves an unmatched run as text', () => {
    assert.match(md.toHtml('``a`b`` and `c``d`'), /<code>a`b<\/code> and <code>c``d<\/code>/);
    assert.match(md.toHtml('``open ` not closed'), /<p>``open ` not closed<\/p>/);
    assert.match(md.toHtml('**bold `code` in** and *it* _em_ __b__'), /<strong>bold <code>code<\/code> in<\/strong> and <em>it<\/em> <em>em<\/em> <strong>b<\/strong>/);
    assert.match(md.toHtml('[a `b`](https://x.example/p) [no](https://x.example/p q)'), /<a href="https:\/\/x.example\/p" title="https:\/\/x.example\/p">a `b`<\/a> \[no\]\(https:\/\/x.example\/p q\)/);
    assert.match(md.toHtml('a * not em* and ** not bold'), /<p>a \* not em\* and \*\* not bold<\/p>/);
  });

  it('renders 1 MB of adversarial inline text in linear time (each case well under 2 s of CPU)', function () {
    this.timeout(60_000);
    const megabyte = (unit: (i: number) => string): string => {
      const parts: string[] = [];
      let size = 0;
      for (let i = 0; size < 1_000_000; i++) {
        const part = unit(i);
        parts.push(part);
        size += part.length;
      }
      return parts.join('');
    };
    const cases: Record<string, string> = {
      'one run of backticks': '`'.repeat(1_000_000),
      'runs of backticks, each a new length': megabyte((i) => `${'`'.repeat(i + 1)} x `),
      'runs of backticks of many lengths': megabyte((i) => `${'`'.repeat((i * 7919) % 97 + 1)}x `),
      'openers without closers': megabyte((i) => ['[a', '*b', '_c', '**d', '__e', '`'.repeat(i % 5 + 1)][i % 6] ?? ''),
      'links that never close': megabyte(() => '[a](https://example.com/aaaaaaaa'),
      'one long line of markers': megabyte(() => '*_[`](https://'),
    };
    // Quadratic scanning takes several seconds on 128 KB already; check that size first so a regression fails fast.
    for (const [name, source] of Object.entries(cases)) {
      for (const size of [131_072, source.length]) {
        // CPU time of this process: what the renderer costs, not how long other processes kept the machine busy.
        const started = process.cpuUsage();
        const elements = md.renderElements(source.slice(0, size));
        const used = process.cpuUsage(started);
        const seconds = (used.user + used.system) / 1e6;
        assert.ok(elements.length > 0, name);
        assert.ok(seconds < 2, `${name}: ${String(size)} characters took ${seconds.toFixed(2)} s`);
      }
    }
  });

  it('parses a streamed answer incrementally to exactly what a full parse gives, at every chunk', () => {
    const answer = '# Plan\n\nFirst **bold** step with `code`.\nStill the same paragraph.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\n1. one\n   more\n2. two\n\n- a\n- b\n\n> quoted\n> twice\n\n---\n\nA paragraph\n# then a heading\n``` \nunclosed code\r\nwith CRLF';
    for (const step of [1, 2, 3, 7, 13]) {
      let parsed: Parsed | undefined;
      for (let end = 0; end <= answer.length; end += step) {
        const source = answer.slice(0, end);
        parsed = md.parseMarkdown(source, parsed);
        assert.deepEqual(parsed.blocks, md.parseBlocks(source), `after ${String(end)} characters in steps of ${String(step)}`);
      }
    }
  });

  it('keeps the finished blocks of a streamed answer, so only the open last block is rendered again', () => {
    const render = renderOnce();
    const first = render('Intro paragraph.\n\n```js\nx()\n```\n\nStreaming par');
    const second = render('Intro paragraph.\n\n```js\nx()\n```\n\nStreaming paragraph grows');
    assert.equal(first.length, 3);
    assert.equal(second[0]?.props.block, first[0]?.props.block, 'the finished paragraph is the same block');
    assert.equal(second[1]?.props.block, first[1]?.props.block, 'the finished code block is the same block');
    assert.notEqual(second[2]?.props.block, first[2]?.props.block, 'the open paragraph is parsed again');
    const view = (block: RenderedBlock) => {
      const instance = new block.type(block.props);
      instance.props = block.props;
      return instance;
    };
    const [finished, , open] = first;
    assert.ok(finished && open);
    assert.equal(view(finished).shouldComponentUpdate(second[0]?.props), false, 'a finished block is not rendered again');
    assert.equal(view(open).shouldComponentUpdate(second[2]?.props), true);
    const other = render('A different message');
    assert.equal(other.length, 1, 'a source that does not extend the last one is parsed afresh');
  });

  function renderOnce(): (source: string) => RenderedBlock[] {
    return md.renderer();
  }
});

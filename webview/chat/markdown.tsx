import { Component, type ComponentChildren, type VNode } from 'preact';

/**
 * A safe subset of Markdown rendered as Preact elements, never as HTML strings: model output cannot inject markup,
 * because every piece of it ends up as a text node. Fenced code blocks, headings, lists, quotes, paragraphs, and
 * inline code, bold, italics and https links — what chat answers use.
 */
export type Block =
  | { readonly kind: 'code'; readonly language: string; readonly code: string; readonly closed: boolean }
  | { readonly kind: 'heading'; readonly level: number; readonly text: string }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly start: number; readonly items: readonly string[] }
  | { readonly kind: 'quote'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string };

const FENCE = /^(\s{0,3})(`{3,}|~{3,})\s*([\w+#.-]*)/;
const BULLET = /^\s{0,3}[-*+]\s+/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)]\s+/;

/**
 * Blocks with, for each, the offset of the line that decided where it ends and the offset where parsing can resume
 * after it, so that a longer source can reuse the blocks that are final.
 */
export interface ParsedMarkdown {
  readonly source: string;
  readonly blocks: readonly Block[];
  readonly decided: readonly number[];
  readonly resume: readonly number[];
}

export function parseBlocks(source: string): Block[] {
  return [...parseMarkdown(source).blocks];
}

/**
 * Parses `source`, reusing the blocks of `previous` when `source` only adds to it (a streamed answer). A block is
 * final once the line that decided its end is complete (a newline follows): the parser never looks further back,
 * so it resumes after the last final block, and the final blocks keep their identity (their elements are not rebuilt).
 */
export function parseMarkdown(source: string, previous?: ParsedMarkdown): ParsedMarkdown {
  const text = source.replace(/\r\n?/g, '\n');
  if (previous?.source === text) return previous;
  const empty: ParsedMarkdown = { source: '', blocks: [], decided: [], resume: [] };
  if (!previous || !text.startsWith(previous.source)) return parseFrom(text, empty, 0);
  const lastNewline = previous.source.lastIndexOf('\n');
  let keep = 0;
  while (keep < previous.blocks.length && (previous.decided[keep] ?? Infinity) <= lastNewline) keep++;
  return parseFrom(text, previous, keep);
}

/** Parses `text` after the first `keep` blocks of `kept`, from where parsing resumes after the last of them. */
function parseFrom(text: string, kept: ParsedMarkdown, keep: number): ParsedMarkdown {
  const offset = keep > 0 ? (kept.resume[keep - 1] ?? 0) : 0;
  const blocks = kept.blocks.slice(0, keep);
  const decided = kept.decided.slice(0, keep);
  const resume = kept.resume.slice(0, keep);
  const lines = text.slice(offset).split('\n');
  const lineStart: number[] = [];
  let at = offset;
  for (const line of lines) {
    lineStart.push(at);
    at += line.length + 1;
  }
  lineStart.push(Infinity);
  let paragraph: string[] = [];
  /** `decidedBy`: the line that ended the block (lines.length while the text may still extend it). */
  const push = (block: Block, decidedBy: number, resumeAt: number): void => {
    blocks.push(block);
    decided.push(lineStart[decidedBy] ?? Infinity);
    resume.push(Math.min(lineStart[resumeAt] ?? text.length, text.length));
  };
  const endParagraph = (line: number): void => {
    if (paragraph.length > 0) push({ kind: 'paragraph', text: paragraph.join('\n') }, line, line);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph(i);
      const marker = fence[2] ?? '```';
      const code: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        const inner = (lines[i] ?? '').trim();
        if (inner.startsWith(marker) && inner.replace(/[`~]/g, '') === '') {
          closed = true;
          break;
        }
        code.push(lines[i] ?? '');
      }
      push({ kind: 'code', language: fence[3] ?? '', code: code.join('\n'), closed }, i, i + 1);
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      endParagraph(i);
      push({ kind: 'heading', level: heading[1]?.length ?? 1, text: heading[2] ?? '' }, i, i + 1);
      continue;
    }
    const ordered = NUMBERED.test(line);
    if (BULLET.test(line) || ordered) {
      endParagraph(i);
      const items: string[] = [];
      const pattern = ordered ? NUMBERED : BULLET;
      // Models often put a blank line between numbered items: each item then opens a list that keeps its number.
      const start = ordered ? Number(/\d+/.exec(line)?.[0] ?? '1') : 1;
      while (i < lines.length && pattern.test(lines[i] ?? '')) {
        items.push((lines[i] ?? '').replace(pattern, ''));
        i++;
        // Indented continuation lines belong to the item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i] ?? '') && !pattern.test(lines[i] ?? '')) {
          items[items.length - 1] = `${items[items.length - 1] ?? ''} ${(lines[i] ?? '').trim()}`;
          i++;
        }
      }
      push({ kind: 'list', ordered, start, items }, i, i);
      i--;
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      endParagraph(i);
      const quoted: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i] ?? '')) {
        quoted.push((lines[i] ?? '').replace(/^\s{0,3}>\s?/, ''));
        i++;
      }
      push({ kind: 'quote', text: quoted.join('\n') }, i, i);
      i--;
      continue;
    }
    if (line.trim() === '' || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      endParagraph(i);
      continue;
    }
    paragraph.push(line);
  }
  endParagraph(lines.length);
  return { source: text, blocks, decided, resume };
}

/**
 * The next index of a character at or after `from`, remembering the last answer per character: the scanner asks
 * with a growing `from`, so each stretch of text is searched once and a line full of unmatched openers stays linear.
 */
class NextIndex {
  /** Per searched character (and "address" for a link's end): the last `from` asked and its answer. */
  private readonly from: Record<string, number> = {};
  private readonly at: Record<string, number> = {};

  constructor(private readonly text: string) {}

  of(char: string, from: number): number {
    const knownFrom = this.from[char];
    const knownAt = this.at[char] ?? -1;
    if (knownFrom !== undefined && knownFrom <= from && (knownAt >= from || knownAt === -1)) return knownAt;
    const at = char === 'address' ? addressEnd(this.text, from) : this.text.indexOf(char, from);
    this.from[char] = from;
    this.at[char] = at;
    return at;
  }
}

/** The end of a link's address: the next whitespace or ")". */
function addressEnd(text: string, from: number): number {
  const stop = /[\s)]/g;
  stop.lastIndex = from;
  return stop.exec(text)?.index ?? -1;
}

/** Each maximal run of backticks, and the next run of the same length: the only run that can close it. */
function backtickRuns(text: string): { start: number[]; length: number[]; closer: number[] } {
  const start: number[] = [];
  const length: number[] = [];
  for (let at = text.indexOf('`'); at !== -1; ) {
    let end = at;
    while (text.charCodeAt(end) === 96) end++;
    start.push(at);
    length.push(end - at);
    at = text.indexOf('`', end);
  }
  const closer = new Array<number>(start.length).fill(-1);
  const seen = new Map<number, number>();
  for (let i = start.length - 1; i >= 0; i--) {
    const n = length[i] ?? 0;
    closer[i] = seen.get(n) ?? -1;
    seen.set(n, i);
  }
  return { start, length, closer };
}

const WHITESPACE = /\s/;

/**
 * Inline code, bold, italics and https links; everything else is text. One left-to-right scan: a code span closes
 * at the next run of as many backticks, bold and italics at the next marker, so no input makes it search twice.
 */
export function renderInline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const next = new NextIndex(text);
  let runs: ReturnType<typeof backtickRuns> | undefined;
  let run = 0;
  let plain = 0;
  let p = 0;
  const emit = (node: ComponentChildren, from: number, to: number): void => {
    if (from > plain) out.push(text.slice(plain, from));
    out.push(node);
    plain = to;
    p = to;
  };
  while (p < text.length) {
    const c = text[p];
    if (c === '`') {
      runs ??= backtickRuns(text);
      while ((runs.start[run] ?? Infinity) < p) run++;
      const n = runs.length[run] ?? 1;
      const closer = runs.closer[run] ?? -1;
      if (closer !== -1) {
        const end = runs.start[closer] ?? p;
        emit(<code>{text.slice(p + n, end).trim()}</code>, p, end + n);
        run = closer + 1;
      } else {
        p += n;
        run++;
      }
      continue;
    }
    if (c === '*' || c === '_') {
      const close = next.of(c, p + 1);
      if (text[p + 1] === c) {
        const end = next.of(c, p + 2);
        if (end > p + 2 && text[end + 1] === c) {
          emit(<strong>{inner(text.slice(p + 2, end))}</strong>, p, end + 2);
          continue;
        }
      } else if (close !== -1 && !WHITESPACE.test(text[p + 1] ?? ' ')) {
        emit(<em>{inner(text.slice(p + 1, close))}</em>, p, close + 1);
        continue;
      }
    } else if (c === '[') {
      const close = next.of(']', p + 1);
      if (close > p + 1 && text[close + 1] === '(' && text.startsWith('https://', close + 2)) {
        const end = next.of('address', close + 10);
        if (end > close + 10 && text[end] === ')') {
          const href = text.slice(close + 2, end);
          emit(<a href={href} title={href}>{text.slice(p + 1, close)}</a>, p, end + 1);
          continue;
        }
      }
    }
    p++;
  }
  if (plain < text.length) out.push(text.slice(plain));
  return out;
}

const MARKUP = /[`*_[]/;

/** The inside of bold or italics: plain text as it is (most of the time), markup rendered again. */
function inner(text: string): ComponentChildren {
  return MARKUP.test(text) ? renderInline(text) : text;
}

export interface CodeActions {
  copy(code: string): void;
  insert(code: string): void;
}

interface MarkdownProps {
  readonly source: string;
  readonly actions: CodeActions;
  readonly labels: { copy: string; insert: string };
}

/**
 * Renders a message; while it streams, each new chunk re-parses and re-renders only the last open block, since the
 * blocks before it keep their identity and BlockView skips them.
 */
export class Markdown extends Component<MarkdownProps> {
  private parsed: ParsedMarkdown | undefined;

  override render({ source, actions, labels }: MarkdownProps): VNode {
    this.parsed = parseMarkdown(source, this.parsed);
    return <div class="markdown">{this.parsed.blocks.map((block, i) => <BlockView key={i} block={block} actions={actions} labels={labels} />)}</div>;
  }
}

interface BlockProps {
  readonly block: Block;
  readonly actions: CodeActions;
  readonly labels: { copy: string; insert: string };
}

class BlockView extends Component<BlockProps> {
  override shouldComponentUpdate(next: BlockProps): boolean {
    return next.block !== this.props.block || next.actions !== this.props.actions || next.labels !== this.props.labels;
  }

  override render({ block, actions, labels }: BlockProps): VNode {
    switch (block.kind) {
      case 'code':
        return (
          <figure class="code-block">
            <figcaption>
              <span class="code-language">{block.language || 'text'}</span>
              <span class="code-actions">
                <vscode-button secondary icon="copy" onClick={() => { actions.copy(block.code); }}>{labels.copy}</vscode-button>
                <vscode-button secondary icon="insert" onClick={() => { actions.insert(block.code); }}>{labels.insert}</vscode-button>
              </span>
            </figcaption>
            <pre><code>{block.code}</code></pre>
          </figure>
        );
      case 'heading': {
        const level = Math.min(6, Math.max(3, block.level + 2));
        const Tag = `h${String(level)}` as 'h3' | 'h4' | 'h5' | 'h6';
        return <Tag>{renderInline(block.text)}</Tag>;
      }
      case 'list': {
        const items = block.items.map((item, j) => <li key={j}>{renderInline(item)}</li>);
        return block.ordered ? <ol start={block.start}>{items}</ol> : <ul>{items}</ul>;
      }
      case 'quote':
        return <blockquote>{renderInline(block.text)}</blockquote>;
      case 'paragraph':
        return <p>{renderInline(block.text)}</p>;
    }
  }
}

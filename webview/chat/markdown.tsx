import type { ComponentChildren, VNode } from 'preact';

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

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join('\n') });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
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
      blocks.push({ kind: 'code', language: fence[3] ?? '', code: code.join('\n'), closed });
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      endParagraph();
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text: heading[2] ?? '' });
      continue;
    }
    const ordered = NUMBERED.test(line);
    if (BULLET.test(line) || ordered) {
      endParagraph();
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
      i--;
      blocks.push({ kind: 'list', ordered, start, items });
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      endParagraph();
      const quoted: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i] ?? '')) {
        quoted.push((lines[i] ?? '').replace(/^\s{0,3}>\s?/, ''));
        i++;
      }
      i--;
      blocks.push({ kind: 'quote', text: quoted.join('\n') });
      continue;
    }
    if (line.trim() === '' || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      endParagraph();
      continue;
    }
    paragraph.push(line);
  }
  endParagraph();
  return blocks;
}

const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\((https:\/\/[^\s)]+)\)/g;

/** Inline code, bold, italics and https links; everything else is text. */
export function renderInline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index;
    if (at > last) out.push(text.slice(last, at));
    const [, , code, bold, bold2, em, em2, label, href] = match;
    if (code !== undefined) out.push(<code>{code.trim()}</code>);
    else if (bold !== undefined || bold2 !== undefined) out.push(<strong>{renderInline(bold ?? bold2 ?? '')}</strong>);
    else if (em !== undefined || em2 !== undefined) out.push(<em>{renderInline(em ?? em2 ?? '')}</em>);
    else if (label !== undefined && href !== undefined) out.push(<a href={href} title={href}>{label}</a>);
    last = at + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export interface CodeActions {
  copy(code: string): void;
  insert(code: string): void;
}

export function Markdown({ source, actions, labels }: { source: string; actions: CodeActions; labels: { copy: string; insert: string } }): VNode {
  return (
    <div class="markdown">
      {parseBlocks(source).map((block, i) => {
        switch (block.kind) {
          case 'code':
            return (
              <figure class="code-block" key={i}>
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
            return <Tag key={i}>{renderInline(block.text)}</Tag>;
          }
          case 'list': {
            const items = block.items.map((item, j) => <li key={j}>{renderInline(item)}</li>);
            return block.ordered ? <ol key={i} start={block.start}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          case 'quote':
            return <blockquote key={i}>{renderInline(block.text)}</blockquote>;
          case 'paragraph':
            return <p key={i}>{renderInline(block.text)}</p>;
        }
      })}
    </div>
  );
}

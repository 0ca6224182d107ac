import { Fragment, type ComponentChild, type VNode } from 'preact';

/** Enough of a server renderer for the Markdown tests: elements, text, fragments and function components, escaped. */
export function renderToString(node: ComponentChild): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') return escape(String(node));
  if (Array.isArray(node)) return node.map((child: ComponentChild) => renderToString(child)).join('');
  const vnode = node as VNode<Record<string, unknown>>;
  const { children, ...props } = vnode.props as { children?: ComponentChild } & Record<string, unknown>;
  if (vnode.type === Fragment) return renderToString(children);
  if (typeof vnode.type === 'function') {
    const type = vnode.type as { prototype?: { render?: unknown } } & ((p: unknown) => ComponentChild);
    if (typeof type.prototype?.render === 'function') {
      // A class component: one instance per render, as a first mount would make.
      const Type = vnode.type as unknown as new (p: unknown) => { props: unknown; render(p: unknown, s: unknown): ComponentChild };
      const instance = new Type(vnode.props);
      instance.props = vnode.props;
      return renderToString(instance.render(vnode.props, {}));
    }
    return renderToString(type(vnode.props));
  }
  const attributes = Object.entries(props)
    .filter(([name, value]) => !name.startsWith('on') && value !== undefined && value !== false && name !== 'key')
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escape(String(value))}"`))
    .join('');
  const tag = vnode.type;
  return `<${tag}${attributes}>${renderToString(children)}</${tag}>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

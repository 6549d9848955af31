import { buildXml, parseXml, XmlNode } from './xml-tree';

/** `${name}`: a placeholder of a library template. */
export const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

const TEXT = '#text';
const COMMENT = '#comment';
const ATTRS = ':@';

/** XML 1.0 cannot carry these characters at all, escaped or not. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Why a value cannot go into XML, or undefined when it can. */
export function xmlValueProblem(value: string): string | undefined {
  const bad = NOT_XML_CHAR.exec(value);
  if (!bad) return undefined;
  const code = bad[0].codePointAt(0)!;
  return `holds the character U+${code.toString(16).toUpperCase().padStart(4, '0')}, which XML cannot carry`;
}

/**
 * A library template parsed once: rendering substitutes values into a copy of the tree that
 * shares every subtree without a placeholder (the builder only reads), then builds the XML. Values
 * are data, never markup: the builder escapes text and attributes, and splits CDATA around `]]>`.
 */
export class CompiledTemplate {
  private constructor(
    readonly nodes: XmlNode[],
    /** Arrays and nodes that hold a placeholder somewhere below them. */
    private readonly marked: WeakSet<object>,
  ) {}

  static compile(content: string): CompiledTemplate {
    const nodes = parseXml(content);
    const marked = new WeakSet<object>();
    markPlaceholders(nodes, marked);
    return new CompiledTemplate(nodes, marked);
  }

  /** The tree with values substituted; `missing` lists placeholders without a value (left as written). */
  substitute(values: Readonly<Record<string, string>>): { nodes: XmlNode[]; missing: string[] } {
    const missing = new Set<string>();
    const replace = (s: string) =>
      s.replace(PLACEHOLDER, (whole, name: string) => {
        if (Object.hasOwn(values, name)) return values[name];
        missing.add(name);
        return whole;
      });
    const nodes = this.copyList(this.nodes, replace);
    return { nodes, missing: [...missing] };
  }

  render(values: Readonly<Record<string, string>>): string {
    return buildXml(this.substitute(values).nodes);
  }

  private copyList(list: XmlNode[], replace: (s: string) => string): XmlNode[] {
    if (!this.marked.has(list)) return list;
    return list.map((node) => this.copyNode(node, replace));
  }

  private copyNode(node: XmlNode, replace: (s: string) => string): XmlNode {
    if (!this.marked.has(node)) return node;
    const out: XmlNode = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === TEXT) out[key] = replace(String(value));
      else if (key === ATTRS) out[key] = Object.fromEntries(Object.entries(value as Record<string, string>).map(([k, v]) => [k, replace(String(v))]));
      else if (key === COMMENT) out[key] = value;
      else out[key] = this.copyList(value as XmlNode[], replace);
    }
    return out;
  }
}

/** Marks (bottom-up) every array and node that holds a placeholder; returns whether `value` does. */
function markPlaceholders(value: unknown, marked: WeakSet<object>): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (Array.isArray(value)) {
    let any = false;
    for (const item of value) any = markPlaceholders(item, marked) || any;
    if (any) marked.add(value);
    return any;
  }
  if (value && typeof value === 'object') {
    let any = false;
    for (const [key, v] of Object.entries(value)) {
      if (key === COMMENT) continue;
      if (key === ATTRS) {
        for (const a of Object.values(v as Record<string, unknown>)) any = (typeof a === 'string' && a.includes('${')) || any;
      } else if (key === TEXT) any = String(v).includes('${') || any;
      else any = markPlaceholders(v, marked) || any;
    }
    if (any) marked.add(value);
    return any;
  }
  return false;
}

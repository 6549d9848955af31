import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { hostileXmlRule } from './hostile-xml';

/**
 * fast-xml-parser's order-preserving tree: an array of nodes, each `{ tag: XmlNode[] }` with
 * attributes under ':@', or `{ '#text': string }`, `{ '#cdata': [...] }`, `{ '#comment': [...] }`.
 * Order matters in ESC XML (repeated <action>, <interface>, ...), so we never use the object form.
 */
export type XmlNode = Record<string, unknown>;

const TEXT = '#text';
const CDATA = '#cdata';
const COMMENT = '#comment';
const ATTRS = ':@';

const options = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  // keep every character of the template: whitespace inside CDATA day-0 configs matters to ESC
  trimValues: false,
  cdataPropName: CDATA,
  commentPropName: COMMENT,
  processEntities: true,
} as const;

// numeric character references (&#233;) are decoded, so a hand-written one survives the round trip
const parser = new XMLParser({ ...options, htmlEntities: true });
const builder = new XMLBuilder({ ...options, format: false, suppressEmptyNode: false });

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly line?: number, readonly col?: number) {
    super(message);
  }
}

/** The text breaks one of the limits of hostile-xml.ts (not a syntax error: a rule). */
export class XmlRefusedError extends XmlSyntaxError {}

export function parseXml(xml: string): XmlNode[] {
  const refused = hostileXmlRule(xml);
  if (refused) throw new XmlRefusedError(refused);
  const result = XMLValidator.validate(xml);
  if (result !== true) {
    const { msg, line, col } = result.err;
    throw new XmlSyntaxError(`${readable(msg)} (line ${line}, column ${col})`, line, col);
  }
  return parser.parse(xml) as XmlNode[];
}

export function buildXml(nodes: XmlNode[]): string {
  return builder.build(nodes) as string;
}

/** Name of an element node (the one key that is not ':@'), or undefined for text/cdata/comment. */
export function tagOf(node: XmlNode): string | undefined {
  const key = Object.keys(node).find((k) => k !== ATTRS);
  return key && key !== TEXT && key !== CDATA && key !== COMMENT && !key.startsWith('?') ? key : undefined;
}

export function localName(tag: string): string {
  const i = tag.indexOf(':');
  return i >= 0 ? tag.slice(i + 1) : tag;
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  return tag ? ((node[tag] as XmlNode[]) ?? []) : [];
}

export function childElements(node: XmlNode, name?: string): XmlNode[] {
  return childrenOf(node).filter((c) => {
    const tag = tagOf(c);
    return tag !== undefined && (name === undefined || localName(tag) === name);
  });
}

/** Follows a path of local element names; returns every match at the end of the path. */
export function selectAll(node: XmlNode, path: string[]): XmlNode[] {
  let current = [node];
  for (const step of path) current = current.flatMap((n) => childElements(n, step));
  return current;
}

/** Concatenated text of an element's direct text and CDATA children. */
export function textOf(node: XmlNode): string {
  return childrenOf(node)
    .map((c) => {
      if (TEXT in c) return String(c[TEXT]);
      if (CDATA in c) return (c[CDATA] as XmlNode[]).map((t) => String(t[TEXT] ?? '')).join('');
      return '';
    })
    .join('');
}

export function childText(node: XmlNode, name: string): string | undefined {
  const child = childElements(node, name)[0];
  return child ? textOf(child) : undefined;
}

/**
 * The tree with the text of the elements at `path` (local names from the document element down,
 * the first being the root's own) replaced by fn(old text). Copies only the nodes on the way, so
 * a tree shared with others (a compiled template) is left as it was.
 */
export function rewriteText(nodes: XmlNode[], path: string[], fn: (old: string) => string): XmlNode[] {
  const [head, ...rest] = path;
  return nodes.map((node) => {
    const tag = tagOf(node);
    if (!tag || localName(tag) !== head) return node;
    const copy: XmlNode = { ...node };
    copy[tag] = rest.length === 0 ? [{ [TEXT]: fn(textOf(node)) }] : rewriteText(node[tag] as XmlNode[], rest, fn);
    return copy;
  });
}

/** The document element (skipping the <?xml?> declaration, comments and whitespace). */
export function rootElement(nodes: XmlNode[]): XmlNode | undefined {
  return nodes.find((n) => tagOf(n) !== undefined);
}

/** Every top-level element: a well-formed document has exactly one. */
export function rootElements(nodes: XmlNode[]): XmlNode[] {
  return nodes.filter((n) => tagOf(n) !== undefined);
}

/**
 * Applies fn to every text, CDATA and attribute value in the tree, in place. Comments are left
 * alone. fn receives the kind so CDATA content can be kept well-formed.
 */
export function mapStrings(nodes: XmlNode[], fn: (value: string, kind: 'text' | 'cdata' | 'attribute') => string): void {
  for (const node of nodes) {
    if (TEXT in node) {
      node[TEXT] = fn(String(node[TEXT]), 'text');
      continue;
    }
    if (CDATA in node) {
      for (const t of node[CDATA] as XmlNode[]) if (TEXT in t) t[TEXT] = fn(String(t[TEXT]), 'cdata');
      continue;
    }
    if (COMMENT in node) continue;
    const attrs = node[ATTRS] as Record<string, string> | undefined;
    if (attrs) for (const k of Object.keys(attrs)) attrs[k] = fn(String(attrs[k]), 'attribute');
    const tag = tagOf(node);
    if (tag) mapStrings(node[tag] as XmlNode[], fn);
  }
}

/** Every string in the tree (text, CDATA, attributes), for placeholder discovery. */
export function collectStrings(nodes: XmlNode[]): string[] {
  const out: string[] = [];
  mapStrings(structuredClone(nodes), (v) => {
    out.push(v);
    return v;
  });
  return out;
}

/** fast-xml-parser reports unclosed tags as "Invalid '[ \"a\", \"b\" ]' found."; say it in words. */
function readable(msg: string): string {
  const unclosed = /^Invalid '(\[[\s\S]*\])' found\.?$/.exec(msg);
  if (!unclosed) return msg;
  try {
    const tags = JSON.parse(unclosed[1]) as string[];
    return `unclosed tag${tags.length > 1 ? 's' : ''} ${tags.map((t) => `<${t}>`).join(', ')}`;
  } catch {
    return msg;
  }
}

import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An element as fast-xml-parser represents it: children by tag name, attributes under '@_'. */
export type XmlElement = Record<string, unknown>;

export class XmlReadError extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
});

export interface XmlDocument {
  /** Root tag as written, possibly with a namespace prefix. */
  rootTag: string;
  root: XmlElement;
}

export function readXmlDocument(xml: string): XmlDocument {
  const result = XMLValidator.validate(xml);
  if (result !== true) {
    const { msg, line, col } = result.err;
    const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new XmlReadError(`Malformed XML: ${msg} (${where})`);
  }
  const doc = parser.parse(xml) as XmlElement;
  const rootTag = Object.keys(doc).find((key) => !key.startsWith('?'));
  if (rootTag === undefined) throw new XmlReadError('Malformed XML: no root element');
  return { rootTag, root: asElement(doc[rootTag]) };
}

export function localName(tag: string): string {
  return tag.slice(tag.indexOf(':') + 1);
}

export function prefixOf(tag: string): string | undefined {
  const colon = tag.indexOf(':');
  return colon < 0 ? undefined : tag.slice(0, colon);
}

/** The namespace URI a tag is in, looked up on the element's own xmlns declarations only. */
export function declaredNamespace(tag: string, element: XmlElement): string | undefined {
  const prefix = prefixOf(tag);
  const value = element[prefix === undefined ? '@_xmlns' : `@_xmlns:${prefix}`];
  return typeof value === 'string' ? value : undefined;
}

/** All child elements with this local name, whatever their prefix. */
export function childElements(parent: XmlElement, name: string): unknown[] {
  return Object.keys(parent)
    .filter((key) => !key.startsWith('@_') && localName(key) === name)
    .flatMap((key) => {
      const value = parent[key];
      return Array.isArray(value) ? value : [value];
    });
}

/** Text content of a leaf value; undefined for an element that has child elements. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (isElement(value)) {
    const childTags = Object.keys(value).filter((key) => !key.startsWith('@_') && key !== '#text');
    if (childTags.length > 0) return undefined;
    const text = value['#text'];
    return typeof text === 'string' ? text.trim() : '';
  }
  return undefined;
}

/** Empty elements (<a/>) come back as '', which is still an element to walk. */
export function asElement(value: unknown): XmlElement {
  return isElement(value) ? value : {};
}

export function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

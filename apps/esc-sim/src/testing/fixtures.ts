import { XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'esc');

export function escFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface CallbackFixture {
  status_line: string;
  headers: Record<string, string>;
  body: string;
}

export function escCallbackFixture(name: string): CallbackFixture {
  return JSON.parse(escFixture(name)) as CallbackFixture;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

/** Plain object view of an XML document, all values as strings. */
export function parseXml(xml: string): Record<string, any> {
  return parser.parse(xml) as Record<string, any>;
}

const orderedParser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_' });

/** The element names of a document, nested and in order, without any text: its "shape". */
export function xmlShape(xml: string): unknown {
  type OrderedNode = Record<string, unknown>;
  const shape = (nodes: OrderedNode[]): unknown[] =>
    nodes.flatMap((node) => {
      const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
      if (name === undefined || name.startsWith('?')) return [];
      return [{ [name]: shape(node[name] as OrderedNode[]) }];
    });
  return shape(orderedParser.parse(xml) as OrderedNode[]);
}

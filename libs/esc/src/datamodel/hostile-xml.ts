/**
 * Limits every XML text the gateway parses (templates, callbacks, ESC answers) must keep, checked
 * before the parser sees it: a document that breaks one is refused with the rule it broke. One
 * forward scan (indexOf, no backtracking regexes), so a large hostile text costs linear time.
 */
export const XML_LIMITS = { depth: 64, attributesPerElement: 128, elements: 200_000 } as const;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.:-]/;
const INVALID_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Returns the rule the text breaks, or undefined. */
export function hostileXmlRule(xml: string): string | undefined {
  const bad = INVALID_CHAR.exec(xml);
  if (bad) return `character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index} is not allowed in XML`;
  const badRef = invalidCharacterReference(xml);
  if (badRef) return badRef;
  let depth = 0;
  let elements = 0;
  let i = xml.indexOf('<');
  while (i >= 0 && i < xml.length) {
    if (xml.startsWith('<!--', i)) i = skipTo(xml, i + 4, '-->');
    else if (xml.startsWith('<![CDATA[', i)) i = skipTo(xml, i + 9, ']]>');
    else if (xml.startsWith('<?', i)) i = skipTo(xml, i + 2, '?>');
    else if (xml.startsWith('<!', i)) {
      const word = xml.slice(i + 2, i + 9).toUpperCase();
      if (word.startsWith('DOCTYPE')) return 'a DOCTYPE is not allowed (no DTDs, entities or external references)';
      if (word.startsWith('ENTITY')) return 'entity declarations are not allowed';
      i = skipTo(xml, i + 2, '>');
    } else if (xml[i + 1] === '/') {
      depth -= 1;
      i = skipTo(xml, i + 2, '>');
    } else if (NAME_START.test(xml[i + 1] ?? '')) {
      const tag = scanTag(xml, i + 1);
      if (tag.attributes > XML_LIMITS.attributesPerElement) return `an element has ${tag.attributes} attributes (at most ${XML_LIMITS.attributesPerElement})`;
      elements += 1;
      if (elements > XML_LIMITS.elements) return `more than ${XML_LIMITS.elements} elements`;
      if (!tag.selfClosing) {
        depth += 1;
        if (depth > XML_LIMITS.depth) return `elements are nested more than ${XML_LIMITS.depth} levels deep`;
      }
      i = tag.end;
    } else {
      i += 1; // a stray '<': the parser reports it
    }
    i = i < 0 ? -1 : xml.indexOf('<', i);
  }
  return undefined;
}

/** A numeric character reference (`&#1;`, `&#xFFFE;`) to a character XML cannot carry, named; the parser decodes the others. */
function invalidCharacterReference(xml: string): string | undefined {
  for (let i = xml.indexOf('&#'); i >= 0; i = xml.indexOf('&#', i + 2)) {
    const end = xml.indexOf(';', i);
    if (end < 0 || end - i > 12) continue;
    const body = xml.slice(i + 2, end);
    const code = /^x[0-9A-Fa-f]+$/.test(body) ? parseInt(body.slice(1), 16) : /^[0-9]+$/.test(body) ? parseInt(body, 10) : NaN;
    if (Number.isNaN(code)) continue;
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) return `character reference ${xml.slice(i, end + 1)} at offset ${i} names a character XML does not allow`;
  }
  return undefined;
}

/** The index after `end`, or -1 when it never comes (the parser then reports the unterminated construct). */
function skipTo(xml: string, from: number, end: string): number {
  const at = xml.indexOf(end, from);
  return at < 0 ? -1 : at + end.length;
}

/** Reads a start tag from its name on: counts attributes (name=...), skips quoted values. */
function scanTag(xml: string, from: number): { end: number; attributes: number; selfClosing: boolean } {
  let i = from;
  while (i < xml.length && NAME_CHAR.test(xml[i])) i++;
  let attributes = 0;
  while (i < xml.length) {
    const c = xml[i];
    if (c === '"' || c === "'") {
      const close = xml.indexOf(c, i + 1);
      if (close < 0) return { end: -1, attributes, selfClosing: false };
      i = close + 1;
    } else if (c === '=') {
      attributes++;
      i++;
    } else if (c === '>') {
      return { end: i + 1, attributes, selfClosing: xml[i - 1] === '/' };
    } else if (c === '<') {
      return { end: i, attributes, selfClosing: false }; // malformed: the parser reports it
    } else {
      i++;
    }
  }
  return { end: -1, attributes, selfClosing: false };
}

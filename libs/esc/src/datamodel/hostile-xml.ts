/**
 * Limits every XML text the gateway parses (templates, callbacks, ESC answers) must keep, checked
 * before the parser sees it: a document that breaks one is refused with the rule it broke.
 */
export const XML_LIMITS = { depth: 64, attributesPerElement: 128, elements: 200_000 } as const;

/** Returns the rule the text breaks, or undefined. */
export function hostileXmlRule(xml: string): string | undefined {
  // XML 1.0 characters only: no NUL or other C0 controls but tab, newline and carriage return
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (bad) return `character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index} is not allowed in XML`;
  let depth = 0;
  let elements = 0;
  // tags outside comments, CDATA and processing instructions
  const body = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g, '');
  if (/<!DOCTYPE/i.test(body)) return 'a DOCTYPE is not allowed (no DTDs, entities or external references)';
  if (/<!ENTITY/i.test(body)) return 'entity declarations are not allowed';
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, closing, , attributes, selfClosing] = m;
    if (closing) {
      depth -= 1;
      continue;
    }
    elements += 1;
    if (elements > XML_LIMITS.elements) return `more than ${XML_LIMITS.elements} elements`;
    const count = (attributes.match(/[\w.:-]+\s*=/g) ?? []).length;
    if (count > XML_LIMITS.attributesPerElement) return `an element has ${count} attributes (at most ${XML_LIMITS.attributesPerElement})`;
    if (!selfClosing) {
      depth += 1;
      if (depth > XML_LIMITS.depth) return `elements are nested more than ${XML_LIMITS.depth} levels deep`;
    }
  }
  return undefined;
}

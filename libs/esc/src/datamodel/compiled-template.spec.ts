import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledTemplate, xmlValueProblem } from './compiled-template';
import { childText, parseXml, rootElement, selectAll, textOf } from './xml-tree';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../../test/fixtures/esc', name), 'utf8');

/** Replaces every occurrence of each text with a placeholder, and returns the values that restore it. */
function templatize(xml: string, texts: string[]): { template: string; values: Record<string, string> } {
  const values: Record<string, string> = {};
  let template = xml;
  texts.forEach((text, i) => {
    values[`p${i}`] = text;
    template = template.replaceAll(`>${text}<`, `>\${p${i}}<`);
  });
  return { template, values };
}

describe('CompiledTemplate', () => {
  it.each(['deployment_create.request.xml', 'deployment_update_add_group.request.xml'])('keeps the infoset of the ESC seed datamodel %s through a no-op substitution', (name) => {
    const original = fixture(name);
    const { template, values } = templatize(original, ['MyDemoDepName', 'ASA', 'admin', '18.0.0.16', 'MgtNetwork', '300']);
    expect(template).toContain('${p0}');
    const rendered = CompiledTemplate.compile(template).render(values);
    // every element, attribute, namespace and text in the same order (the tree keeps order)
    expect(parseXml(rendered)).toEqual(parseXml(original));
  });

  it('renders placeholders in attributes, text and CDATA, and leaves the compiled tree untouched', () => {
    const compiled = CompiledTemplate.compile('<a x="${v}" y="fixed"><b>${v}</b><c><![CDATA[day0 ${v}]]></c><d>static</d></a>');
    const first = compiled.render({ v: 'one' });
    const second = compiled.render({ v: 'two' });
    expect(first).toBe('<a x="one" y="fixed"><b>one</b><c><![CDATA[day0 one]]></c><d>static</d></a>');
    expect(second).toBe('<a x="two" y="fixed"><b>two</b><c><![CDATA[day0 two]]></c><d>static</d></a>');
    expect(compiled.substitute({}).missing).toEqual(['v']);
  });

  it.each([`<x>&amp;"'`, ']]>', '</b><evil/>', 'élan 日本 😀', `a"b'c<d>e&f`])('never lets a value change the XML structure: %j', (value) => {
    const compiled = CompiledTemplate.compile('<a x="${v}"><b>${v}</b><c><![CDATA[${v}]]></c></a>');
    const root = rootElement(parseXml(compiled.render({ v: value })))!;
    expect((root[':@'] as Record<string, string>)['@_x']).toBe(value);
    expect(childText(root, 'b')).toBe(value);
    expect(textOf(selectAll(root, ['c'])[0])).toBe(value);
    expect(selectAll(root, ['evil'])).toEqual([]);
  });

  it('keeps numeric character references of a hand-written datamodel, and refuses one to a character XML cannot carry', () => {
    const rendered = CompiledTemplate.compile('<a x="caf&#233;"><b>&#x41;&#10;${v}</b></a>').render({ v: '&#233;' });
    const root = rootElement(parseXml(rendered))!;
    expect((root[':@'] as Record<string, string>)['@_x']).toBe('café');
    expect(childText(root, 'b')).toBe('A\n&#233;'); // a value is text: its '&#233;' stays those characters
    expect(() => CompiledTemplate.compile('<a>&#1;</a>')).toThrow('character reference &#1; at offset 3 names a character XML does not allow');
  });

  it('names the character XML cannot carry at all', () => {
    expect(xmlValueProblem('ok\ttab\nline')).toBeUndefined();
    expect(xmlValueProblem('bell\u0007')).toBe('holds the character U+0007, which XML cannot carry');
    expect(xmlValueProblem('\uFFFE')).toContain('U+FFFE');
  });
});

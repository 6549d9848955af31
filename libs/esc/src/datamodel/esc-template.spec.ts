import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainException } from '@cam-esc/errors';
import { parseEscTemplate } from './esc-template';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../../test/fixtures/esc', name), 'utf8');
// the ESC seed's MyDemoDepName datamodel, with its image and IP turned into placeholders
const seedDatamodel = fixture('deployment_create.request.xml');
const template = seedDatamodel.replace('<image>ASA</image>', '<image>${image}</image>').replaceAll('18.0.0.16', '${mgmt_ip}');

describe('parseEscTemplate', () => {
  it('accepts the seed datamodel and lists its placeholders in order', () => {
    expect(parseEscTemplate(template)).toEqual({ resourceKind: 'esc_datamodel', placeholders: ['image', 'mgmt_ip'], warnings: [] });
  });

  it('finds placeholders in attributes and CDATA too', () => {
    const xml = `<esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>t</name><deployments><deployment><name>d</name>
      <vm_group><name>g</name><config_data><configuration><data><![CDATA[hostname \${host}]]></data></configuration></config_data><x a="\${attr}"/></vm_group>
      </deployment></deployments></tenant></tenants></esc_datamodel>`;
    expect(parseEscTemplate(xml).placeholders).toEqual(['host', 'attr']);
  });

  it('needs a <name> in a resource the gateway names', () => {
    expect(() => parseEscTemplate('<network><shared>false</shared></network>')).toThrow('content: a <network> needs a <name>');
    expect(parseEscTemplate('<network><name>${n}</name></network>').placeholders).toEqual(['n']);
  });

  it('knows the other ESC resources by their root element', () => {
    expect(parseEscTemplate(fixture('tenant_create.request.xml')).resourceKind).toBe('tenant');
    expect(parseEscTemplate(fixture('image_create.request.xml')).resourceKind).toBe('image');
  });

  it('rejects malformed XML with the parser message and position', () => {
    expect(() => parseEscTemplate('<esc_datamodel><tenants></esc_datamodel>')).toThrow(/content: malformed XML: .*line 1, column/);
  });

  it('says which tags are left open', () => {
    expect(() => parseEscTemplate('<esc_datamodel><tenants>')).toThrow('content: malformed XML: unclosed tags <esc_datamodel>, <tenants>');
  });

  it('rejects something that looks like a placeholder but is not one', () => {
    expect(() => parseEscTemplate('<tenant><name>${im age}</name></tenant>')).toThrow("content: '${im age}' is not a placeholder");
  });

  it('rejects a root element that is not an ESC resource', () => {
    expect(() => parseEscTemplate('<html><body/></html>')).toThrow("content: root element <html> is not an ESC resource");
  });

  it('rejects a datamodel without exactly one deployment', () => {
    expect(() => parseEscTemplate('<esc_datamodel><tenants><tenant><name>a</name></tenant></tenants></esc_datamodel>')).toThrow(/exactly one .* \(found 0\)/);
  });

  it('throws domain errors, not parser internals', () => {
    try {
      parseEscTemplate('not xml at all <');
      fail('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainException);
    }
  });
});

describe('hostile XML in templates', () => {
  const wrap = (inner: string) => `<esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>t</name><deployments><deployment><name>d</name>${inner}</deployment></deployments></tenant></tenants></esc_datamodel>`;
  it.each([
    ['a DOCTYPE', `<!DOCTYPE x [<!ELEMENT x ANY>]>${wrap('')}`, 'a DOCTYPE is not allowed'],
    ['an external entity', `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${wrap('&e;')}`, 'a DOCTYPE is not allowed'],
    ['an entity bomb', `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${wrap('&lol2;')}`, 'a DOCTYPE is not allowed'],
    ['an entity declaration alone', `${wrap('<!ENTITY x "y">')}`, 'entity declarations are not allowed'],
    ['deep nesting', wrap('<a>'.repeat(80) + '</a>'.repeat(80)), 'nested more than 64 levels deep'],
    ['huge attribute counts', wrap(`<a ${Array.from({ length: 200 }, (_, i) => `x${i}="1"`).join(' ')}/>`), 'an element has 200 attributes'],
    ['an invalid character', wrap('<a>\u0001</a>'), 'character U+0001 at offset'],
  ])('refuses %s with the rule it breaks', (_what, xml, rule) => {
    expect(() => parseEscTemplate(xml)).toThrow(rule);
  });

  it('still takes comments, CDATA and processing instructions that look like tags', () => {
    const xml = `<?xml version="1.0"?>${wrap('<config_data><configuration><dst>x</dst><data><![CDATA[<!DOCTYPE not-really> <a><b>]]></data></configuration></config_data><!-- <c><d> -->')}`;
    expect(parseEscTemplate(xml).resourceKind).toBe('esc_datamodel');
  });
});

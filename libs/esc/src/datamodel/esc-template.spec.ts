import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainException } from '@cam-esc/errors';
import { parseEscTemplate, renderDeployment } from './esc-template';
import { childText, parseXml, rootElement, selectAll, textOf } from './xml-tree';

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

describe('renderDeployment', () => {
  const render = (values: Record<string, string>) => renderDeployment(template, values, (name) => `${name}-abc12345`);

  it('substitutes values into the tree and gives the deployment the gateway-owned name', () => {
    const out = render({ image: 'ASAv-9.12', mgmt_ip: '10.1.2.3' });
    const root = rootElement(parseXml(out.xml))!;
    const deployment = selectAll(root, ['tenants', 'tenant', 'deployments', 'deployment'])[0];
    expect(childText(deployment, 'name')).toBe('MyDemoDepName-abc12345');
    const group = selectAll(deployment, ['vm_group'])[0];
    expect(childText(group, 'image')).toBe('ASAv-9.12');
    expect(textOf(selectAll(group, ['interfaces', 'interface', 'ip_address'])[0])).toBe('10.1.2.3');
    expect(textOf(selectAll(group, ['scaling', 'static_ip_address_pool', 'ip_address'])[0])).toBe('10.1.2.3');
    expect(out).toMatchObject({ escTenant: 'admin', templateDeploymentName: 'MyDemoDepName' });
  });

  it('keeps the namespace, element order and repeated elements of the seed', () => {
    const out = render({ image: 'ASA', mgmt_ip: '18.0.0.16' });
    expect(out.xml).toContain('<esc_datamodel xmlns="http://www.cisco.com/esc/esc" xmlns:ns2="urn:ietf:params:xml:ns:netconf:notification:1.0">');
    const rule = selectAll(rootElement(parseXml(out.xml))!, ['tenants', 'tenant', 'deployments', 'deployment', 'vm_group', 'rules', 'admin_rules', 'rule'])[0];
    expect(selectAll(rule, ['action']).map(textOf)).toEqual(['"ALWAYS log"', '"TRUE esc_vm_alive_notification"']);
    const rendered = parseXml(out.xml);
    const original = parseXml(seedDatamodel);
    // same tree as the seed but for the deployment name
    const names = (nodes: ReturnType<typeof parseXml>) => selectAll(rootElement(nodes)!, ['tenants', 'tenant', 'deployments', 'deployment', 'vm_group', 'kpi_data', 'kpi', 'metric_collector', 'type']).map(textOf);
    expect(names(rendered)).toEqual(names(original));
  });

  it('escapes values instead of letting them inject XML', () => {
    const out = render({ image: '</image><evil>1</evil>', mgmt_ip: 'a & b' });
    expect(out.xml).not.toContain('<evil>');
    const group = selectAll(rootElement(parseXml(out.xml))!, ['tenants', 'tenant', 'deployments', 'deployment', 'vm_group'])[0];
    expect(childText(group, 'image')).toBe('</image><evil>1</evil>');
    expect(out.xml).toContain('a &amp; b');
  });

  it('refuses to render with a placeholder left without a value, even one named like an Object method', () => {
    expect(() => render({ image: 'x' })).toThrow('template placeholders without a value: mgmt_ip');
    const tricky = template.replace('<reboot_time>100</reboot_time>', '<reboot_time>${toString}</reboot_time>');
    expect(() => renderDeployment(tricky, { image: 'x', mgmt_ip: 'y' }, (n) => n)).toThrow('template placeholders without a value: toString');
  });

  it('keeps the whitespace of CDATA day-0 configurations exactly', () => {
    const day0 = '\nhostname ${host}\n  interface Gi1\n   ip address dhcp\n';
    const xml = `<esc_datamodel><tenants><tenant><name>t</name><deployments><deployment><name>d</name><vm_group><name>g</name><config_data><configuration><dst>day0</dst><data><![CDATA[${day0}]]></data></configuration></config_data></vm_group></deployment></deployments></tenant></tenants></esc_datamodel>`;
    const out = renderDeployment(xml, { host: 'fw1' }, (n) => n);
    expect(out.xml).toContain('<data><![CDATA[\nhostname fw1\n  interface Gi1\n   ip address dhcp\n]]></data>');
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

import { CompiledTemplate, childText, parseXml, rootElement, selectAll, textOf } from '@cam-esc/esc';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deploymentKind } from './deployment.kind';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../../test/fixtures/esc', name), 'utf8');
// the ESC seed's MyDemoDepName datamodel, with its image and IP turned into placeholders
const seedDatamodel = fixture('deployment_create.request.xml');
const template = seedDatamodel.replace('<image>ASA</image>', '<image>${image}</image>').replaceAll('18.0.0.16', '${mgmt_ip}');

describe('deployment kind: rendering an esc_datamodel', () => {
  const render = (values: Record<string, string>, xml = template) => {
    const rendered = deploymentKind.renderCreate(CompiledTemplate.compile(xml), values, { resourceId: 'abc12345', internalId: 'ceg-abc12345' });
    return { xml: rendered.request.body!, escTenant: rendered.escTenant, name: rendered.name };
  };

  it('substitutes values into the tree and gives the deployment the gateway-owned name', () => {
    const out = render({ image: 'ASAv-9.12', mgmt_ip: '10.1.2.3' });
    const root = rootElement(parseXml(out.xml))!;
    const deployment = selectAll(root, ['tenants', 'tenant', 'deployments', 'deployment'])[0];
    expect(childText(deployment, 'name')).toBe('MyDemoDepName-abc12345');
    const group = selectAll(deployment, ['vm_group'])[0];
    expect(childText(group, 'image')).toBe('ASAv-9.12');
    expect(textOf(selectAll(group, ['interfaces', 'interface', 'ip_address'])[0])).toBe('10.1.2.3');
    expect(textOf(selectAll(group, ['scaling', 'static_ip_address_pool', 'ip_address'])[0])).toBe('10.1.2.3');
    expect(out).toMatchObject({ escTenant: 'admin', name: 'MyDemoDepName-abc12345' });
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
    expect(() => render({ image: 'x', mgmt_ip: 'y' }, tricky)).toThrow('template placeholders without a value: toString');
  });

  it('keeps the whitespace of CDATA day-0 configurations exactly', () => {
    const day0 = '\nhostname ${host}\n  interface Gi1\n   ip address dhcp\n';
    const xml = `<esc_datamodel><tenants><tenant><name>t</name><deployments><deployment><name>d</name><vm_group><name>g</name><config_data><configuration><dst>day0</dst><data><![CDATA[${day0}]]></data></configuration></config_data></vm_group></deployment></deployments></tenant></tenants></esc_datamodel>`;
    const out = render({ host: 'fw1' }, xml);
    expect(out.xml).toContain('<data><![CDATA[\nhostname fw1\n  interface Gi1\n   ip address dhcp\n]]></data>');
  });
});


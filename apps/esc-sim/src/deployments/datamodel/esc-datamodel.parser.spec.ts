import { escFixture } from '../../testing/fixtures';
import { DatamodelError, parseEscDatamodel } from './esc-datamodel.parser';

const CREATE_XML = escFixture('deployment_create.request.xml');

const datamodel = (deployment: string, tenant = 'admin') =>
  `<esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>${tenant}</name>` +
  `<deployments><deployment>${deployment}</deployment></deployments></tenant></tenants></esc_datamodel>`;

describe('parseEscDatamodel', () => {
  it('reads the reference deployment request', () => {
    expect(parseEscDatamodel(CREATE_XML)).toEqual({
      tenantName: 'admin',
      deploymentName: 'MyDemoDepName',
      vmGroups: [
        {
          name: 'ASA-1',
          image: 'ASA',
          minActive: 1,
          interfaces: [{ nicId: '1', network: 'MgtNetwork', ipAddress: '18.0.0.16' }],
          staticIpPool: { MgtNetwork: ['18.0.0.16'] },
        },
      ],
    });
  });

  it('reads several vm_groups', () => {
    const spec = parseEscDatamodel(escFixture('deployment_update_add_group.request.xml'));
    expect(spec.vmGroups.map((group) => group.name)).toEqual(['ASA-1', 'CSR-1']);
  });

  it('defaults min_active to 1 and allows groups without interfaces', () => {
    const spec = parseEscDatamodel(datamodel('<name>d</name><vm_group><name>g</name><image>i</image><flavor>f</flavor></vm_group>'));
    expect(spec.vmGroups).toEqual([{ name: 'g', image: 'i', flavor: 'f', minActive: 1, interfaces: [], staticIpPool: {} }]);
  });

  it('accepts a prefixed esc namespace', () => {
    const xml =
      '<esc:esc_datamodel xmlns:esc="http://www.cisco.com/esc/esc"><esc:tenants><esc:tenant><esc:name>t</esc:name>' +
      '<esc:deployments><esc:deployment><esc:name>d</esc:name><esc:vm_group><esc:name>g</esc:name><esc:image>i</esc:image>' +
      '</esc:vm_group></esc:deployment></esc:deployments></esc:tenant></esc:tenants></esc:esc_datamodel>';
    expect(parseEscDatamodel(xml)).toMatchObject({ tenantName: 't', deploymentName: 'd' });
  });

  it.each([
    [undefined, 'Request body is empty: an esc_datamodel XML document is required'],
    ['<a><b></a>', "Malformed XML: Expected closing tag 'b' (opened in line 1, col 4) instead of closing tag 'a'. (line 1, column 7)"],
    ['<tenant/>', 'Root element must be esc_datamodel, got tenant'],
    ['<esc_datamodel/>', 'esc_datamodel must be in namespace http://www.cisco.com/esc/esc, got no namespace'],
    ['<esc_datamodel xmlns="http://www.cisco.com/esc/esc"/>', 'esc_datamodel/tenants is required'],
    [datamodel('<name>d</name>', ''), 'tenant/name is required'],
    [datamodel('<vm_group><name>g</name><image>i</image></vm_group>'), 'deployment/name is required'],
    [datamodel('<name>d</name>'), 'deployment/vm_group is required (at least one)'],
    [datamodel('<name>d</name><vm_group><image>i</image></vm_group>'), 'deployment/vm_group[1]/name is required'],
    [
      datamodel('<name>d</name><vm_group><name>g</name><image>i</image></vm_group><vm_group><name>h</name></vm_group>'),
      'deployment/vm_group[2]/image is required',
    ],
    [
      datamodel('<name>d</name><vm_group><name>g</name><image>i</image></vm_group><vm_group><name>g</name><image>i</image></vm_group>'),
      "deployment/vm_group[2]/name 'g' is used by more than one vm_group",
    ],
    [
      datamodel('<name>d</name><vm_group><name>g</name><image>i</image><interfaces><interface><network>n</network></interface></interfaces></vm_group>'),
      'deployment/vm_group[1]/interfaces/interface[1]/nicid is required',
    ],
    [
      datamodel('<name>d</name><vm_group><name>g</name><image>i</image><interfaces><interface><nicid>0</nicid><network>n</network><ip_address>300.1.1.1</ip_address></interface></interfaces></vm_group>'),
      "deployment/vm_group[1]/interfaces/interface[1]/ip_address must be an IPv4 or IPv6 address, got '300.1.1.1'",
    ],
    [
      datamodel('<name>d</name><vm_group><name>g</name><image>i</image><scaling><min_active>two</min_active></scaling></vm_group>'),
      "deployment/vm_group[1]/scaling/min_active must be a non-negative integer, got 'two'",
    ],
    [
      datamodel('<name>d</name><vm_group><name>g</name><image>i</image><scaling><min_active>3</min_active><max_active>2</max_active></scaling></vm_group>'),
      'deployment/vm_group[1]/scaling/max_active (2) must not be less than min_active (3)',
    ],
    [
      datamodel('<name>d</name><vm_group><name>g</name><image><id>1</id></image></vm_group>'),
      'deployment/vm_group[1]/image must be a text value, not an element with children',
    ],
    [datamodel('<name>d</name><name>e</name>'), 'deployment/name must appear at most once, found 2'],
  ])('refuses %s: %s', (body, message) => {
    expect(() => parseEscDatamodel(body)).toThrow(new DatamodelError(message));
  });

  it('refuses more than one deployment per request', () => {
    const xml = CREATE_XML.replace('</deployment>', '</deployment><deployment><name>x</name></deployment>');
    expect(() => parseEscDatamodel(xml)).toThrow('tenant/deployments/deployment must appear at most once, found 2');
  });
});

import { fixture } from './payloads';

const NETCONF = 'urn:ietf:params:xml:ns:netconf:base:1.0';

/** Library templates for every ESC resource a VNF flow makes, written as an operator writes them. */
export const RESOURCE_TEMPLATES = {
  tenant: `<tenant xmlns="${NETCONF}"><name>\${name}</name><managed_resource>true</managed_resource></tenant>`,
  network: `<network xmlns="${NETCONF}"><name>\${name}</name><internal_tenant_id>\${tenant}</internal_tenant_id><shared>false</shared><admin_state_up>true</admin_state_up></network>`,
  subnet: `<subnet xmlns="${NETCONF}"><name>\${name}</name><internal_tenant_id>\${tenant}</internal_tenant_id><internal_network_id>\${network}</internal_network_id><cidr>\${cidr}</cidr><ip_version>4</ip_version><gateway_ip>\${gateway}</gateway_ip><enable_dhcp>true</enable_dhcp></subnet>`,
  image: fixture('esc/image_create.request.xml').replace('<name>uLinuxImg</name>', '<name>${name}</name>'),
  flavor: fixture('esc/flavor_create.request.xml').replace('<name>lightVMFlavor</name>', '<name>${name}</name>'),
  volume: `<volume xmlns="${NETCONF}"><name>\${name}</name><internal_tenant_id>\${tenant}</internal_tenant_id><size>\${size}</size><sizeunit>GiB</sizeunit><bus>virtio</bus><type>lvm</type></volume>`,
  deployment: fixture('esc/deployment_create.request.xml')
    .replace('<name>admin</name>', '<name>${esc_tenant}</name>')
    .replace('<image>ASA</image>', '<image>${image}</image>')
    .replaceAll('MgtNetwork', '${network}')
    .replaceAll('18.0.0.16', '${mgmt_ip}'),
};

type Step = { id: string; template: keyof typeof RESOURCE_TEMPLATES; params: Record<string, unknown>; connection?: string };

/** A template step of a CAM flow. */
export function templateStep({ id, template, params, connection }: Step) {
  return {
    [`${template} step`]: {
      title: `${template} step`,
      id,
      template_type: 'ESC',
      template_name: `vnf-${template}`,
      version: '1.0',
      template_params: params,
      ...(connection && { cloud_connection_name: connection }),
    },
  };
}

/** tenant → network → subnet → image → flavor → deployment, each reading the outputs of the steps before. */
export function vnfFlowSteps(connection?: string) {
  const t = (s: string) => `\${templates.${s}}`;
  return [
    templateStep({ id: 'tenant1', template: 'tenant', params: { name: 'vnf-tenant' }, connection }),
    templateStep({ id: 'net1', template: 'network', params: { name: 'mgmt', tenant: t('tenant1.internal_tenant_id') }, connection }),
    templateStep({ id: 'subnet1', template: 'subnet', params: { name: '${svc_instance.name}-v4', tenant: t('tenant1.internal_tenant_id'), network: t('net1.internal_network_id'), cidr: '${input_parameters.cidr}', gateway: '10.20.0.1' }, connection }),
    templateStep({ id: 'image1', template: 'image', params: { name: 'asav' }, connection }),
    templateStep({ id: 'flavor1', template: 'flavor', params: { name: 'asav-small' }, connection }),
    templateStep({
      id: 'dep1',
      template: 'deployment',
      params: { esc_tenant: t('tenant1.internal_tenant_id'), image: t('image1.name'), network: t('net1.name'), mgmt_ip: '${input_parameters.mgmt_ip}' },
      connection,
    }),
  ];
}

export function flowService(name: string, templates: unknown[], sequence: string[], extra: { resthooks?: unknown[]; error_sequence?: string[]; input_parameters?: unknown[] } = {}) {
  return {
    service: {
      specVersion: 'v3',
      version: '1.0.0.0',
      catalog_metadata: { name, description: 'a VNF with its own tenant and networks', image: 'serviceicon_1.svg', category: 'Network', author: 'admin' },
      tags: [],
      actions: [
        {
          type: 'provision',
          name: 'Provision',
          input_parameters: extra.input_parameters ?? [
            { name: 'cidr', type: 'string', default: '10.20.0.0/24' },
            { name: 'mgmt_ip', type: 'string', default: '10.20.0.10' },
            { name: 'api_token', type: 'password', secured: true, default: '' },
          ],
          flow: {
            templates,
            resthooks: extra.resthooks ?? [],
            sequence: Object.fromEntries(sequence.map((id, i) => [String(i), id])),
            error_sequence: Object.fromEntries((extra.error_sequence ?? []).map((id, i) => [String(i), id])),
          },
        },
      ],
      plans: [{ name: 'Standard', description: 'Standard plan', actions: [], plan_parameters: [] }],
    },
  };
}

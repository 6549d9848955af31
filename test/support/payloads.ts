import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const fixture = (path: string) => readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8');
export const jsonFixture = <T = Record<string, unknown>>(path: string): T => JSON.parse(fixture(path));

/** The ESC seed's MyDemoDepName datamodel as a library template: image, IP and tenant are placeholders. */
export function asaTemplateContent(): string {
  return fixture('esc/deployment_create.request.xml')
    .replace('<image>ASA</image>', '<image>${image}</image>')
    .replace('<name>admin</name>', '<name>${esc_tenant}</name>')
    .replaceAll('18.0.0.16', '${mgmt_ip}');
}

/** A CAM service whose Provision flow has one ESC template step. */
export function escService(name: string, template = { name: 'asa-deployment', version: '1.0' }) {
  return {
    service: {
      specVersion: 'v3',
      version: '1.0.0.0',
      catalog_metadata: { name, description: 'ASA firewall on ESC', image: 'serviceicon_1.svg', category: 'Network', author: 'admin' },
      tags: [],
      actions: [
        {
          type: 'provision',
          name: 'Provision',
          description: 'Deploy the ASA',
          input_parameters: [
            { name: 'image', label: 'Image', type: 'string', customtype: 'string', required: true, secured: false },
            { name: 'mgmt_ip', label: 'Management IP', type: 'string', customtype: 'string', required: false, default: '18.0.0.16' },
            { name: 'admin_password', label: 'Admin password', type: 'password', required: false, secured: true, default: '' },
          ],
          flow: {
            templates: [
              {
                'ASA on ESC': {
                  title: 'ASA on ESC',
                  template_name: template.name,
                  version: template.version,
                  id: 'escasa0001',
                  template_type: 'ESC',
                  template_params: {
                    image: '${input_parameters.image}',
                    mgmt_ip: '${input_parameters.mgmt_ip}',
                    esc_tenant: 'admin',
                  },
                },
              },
            ],
            resthooks: [],
            sequence: { '0': 'escasa0001' },
          },
        },
      ],
      plans: [{ name: 'Standard', description: 'Standard plan', actions: [], plan_parameters: [] }],
    },
  };
}

/** CAM's service__instance_create.json shape with the given input values. */
export function deployBody(name: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const body = jsonFixture('cam/service_instance_create.request.json');
  return {
    ...body,
    name,
    resourceProperties: { templateParameters: [], specifications: Object.entries(values).map(([n, value]) => ({ name: n, value, secured: false })) },
    ...extra,
  };
}

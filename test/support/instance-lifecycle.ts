/**
 * What the instance lifecycle suites share: a portal's view of one stack (read an instance, wait
 * for the action a call started to end, call an instance's lifecycle endpoints) and the service
 * documents they deploy (an ASA deployment step with custom, bind and unbind actions of resthooks).
 */
import request from 'supertest';
import { SimRequest } from './hook-server';
import { RESOURCE_TEMPLATES, templateStep } from './flow-payloads';
import { asaTemplateContent, deployBody, escService } from './payloads';
import { Stack, TENANT_A, TENANT_B, waitFor } from './stack';

export const A = `Bearer ${TENANT_A.token}`;
export const B = `Bearer ${TENANT_B.token}`;
export const INSTANCES = '/cam/composer/api/v1/ServiceInstances';
const ENDED = ['Succeeded', 'Failed'];

export interface HistoryEntry {
  actionInstanceId: string;
  Status: string;
  action_status: string;
  instance_action: string;
  type: string;
  mode: string;
  logs: string;
  input_parameters: Record<string, unknown>;
  versionChangeDetails?: Record<string, unknown>;
  esc_operation?: Record<string, unknown>;
  bind_name?: string;
}

export interface Vm {
  name: string;
  uuid: string;
  group: string;
  state: string;
  ip_addresses: string[];
}

export interface Deployment {
  step_id: string;
  internal_deployment_id: string;
  deployment_name: string;
  esc_tenant: string;
  status: string;
  power_state: string | null;
  vms: Vm[];
}

export interface Resource {
  step_id: string;
  kind: string;
  internal_id: string;
  name: string;
  status: string;
}

/** GET ServiceInstances/{id}, as far as these suites read it. */
export interface InstanceView {
  id: string;
  name: string;
  Status: string;
  serviceManifestId: string;
  logs: string;
  power_state: string | null;
  bind_array: Record<string, { name: string; status: string; actionInstanceId: string }>;
  actionInstanceDetails: HistoryEntry[];
  esc: { deployments: Deployment[]; resources: Resource[] };
  [key: string]: unknown;
}

/** What a call that starts an action answers. */
export interface Started {
  name: string;
  Status: string;
  id: string;
  action: string;
  action_instance_id: string;
  [key: string]: unknown;
}

export function portal(stack: Stack) {
  const http = request(stack.gatewayUrl);
  const instance = async (id: string, query = ''): Promise<InstanceView> => {
    const res = await http.get(`${INSTANCES}/${id}${query}`).set('Authorization', A);
    if (res.status !== 200) throw new Error(`GET instance ${id}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const untilStatus = (id: string, ...statuses: string[]) => waitFor(() => instance(id), (i) => statuses.includes(i.Status), `instance ${id} to become ${statuses.join('|')}`);
  /** Waits until the action instance a call started has ended, and the instance has left In_Progress. */
  const untilEnded = async (started: Started): Promise<{ instance: InstanceView; action: HistoryEntry }> => {
    const done = await waitFor(
      () => instance(started.id),
      (i) => i.Status !== 'In_Progress' && i.Status !== 'Submitted' && ENDED.includes(i.actionInstanceDetails.find((a) => a.actionInstanceId === started.action_instance_id)?.action_status ?? ''),
      `action ${started.action} (${started.action_instance_id}) of instance ${started.id} to end`,
    );
    return { instance: done, action: done.actionInstanceDetails.find((a) => a.actionInstanceId === started.action_instance_id)! };
  };
  const call = (id: string, name: string, body: unknown, auth = A) => http.post(`${INSTANCES}/${id}/${name}`).set('Authorization', auth).send(body as object);
  /** Calls a lifecycle endpoint that starts an action, expecting it to be accepted. */
  const start = async (id: string, name: string, body: unknown): Promise<Started> => {
    const res = await call(id, name, body);
    if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const simRequests = async (): Promise<SimRequest[]> => (await request(stack.sim.baseUrl).get('/_sim/requests')).body;
  /** ESC requests sent after `mark` (a count of simRequests()). */
  const simCallsSince = async (mark: number) => (await simRequests()).slice(mark);
  const createService = async (doc: object): Promise<{ serviceId: string; manifestId: string }> => {
    const created = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(doc);
    if (created.status !== 200) throw new Error(`createService: HTTP ${created.status} ${JSON.stringify(created.body)}`);
    return { serviceId: created.body.id, manifestId: created.body.serviceManifestId };
  };
  const addVersion = async (serviceId: string, doc: object): Promise<string> => {
    const added = await http.post(`/cam/composer/api/v1/Service/${serviceId}/addServiceVersion`).set('Authorization', A).send(doc);
    if (added.status !== 200) throw new Error(`addServiceVersion: HTTP ${added.status} ${JSON.stringify(added.body)}`);
    return added.body.id;
  };
  /** Deploys and waits for Active. */
  const deployActive = async (manifestId: string, name: string, values: Record<string, unknown> = {}): Promise<InstanceView> => {
    const res = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody(name, values));
    if (res.status !== 200) throw new Error(`deploy ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    const done = await untilStatus(res.body.id, 'Active', 'Error');
    if (done.Status !== 'Active') throw new Error(`deploy ${name} ended ${done.Status}: ${done.logs}`);
    return done;
  };
  const addAsaTemplate = () => http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
  /** The library templates of flow-payloads' RESOURCE_TEMPLATES, as vnf-<kind> 1.0. */
  const addVnfTemplates = async () => {
    for (const [kind, content] of Object.entries(RESOURCE_TEMPLATES)) {
      await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: `vnf-${kind}`, version: '1.0', type: 'ESC', content }).expect(201);
    }
  };
  const fault = (rule: object) => request(stack.sim.baseUrl).post('/_sim/faults').send(rule).expect(201);
  return { http, instance, untilStatus, untilEnded, call, start, simRequests, simCallsSince, createService, addVersion, deployActive, addAsaTemplate, addVnfTemplates, fault };
}

export type Portal = ReturnType<typeof portal>;

type Doc = ReturnType<typeof escService>;

/** A resthook step posting to `url` (the hook server's), with a JSON payload. */
export function resthook(id: string, url: string, method = 'POST', payload?: Record<string, string>) {
  return { resthook: { title: id, id, url, method, headers: { 'Content-Type': 'application/json' }, ...(payload && { payload }) } };
}

/** A version action of `type` whose flow is one resthook. */
export function resthookAction(type: string, name: string, hook: { resthook: { id: string } & Record<string, unknown> }, inputs: Array<Record<string, unknown>> = []) {
  return {
    type,
    name,
    description: `${name} (a resthook)`,
    input_parameters: inputs,
    flow: { templates: [], resthooks: [hook], sequence: { '0': hook.resthook.id } },
    output_parameters: [],
  };
}

/** escService (one ASA deployment step) with more actions, and catalog_metadata.bindable as given. */
export function asaServiceWith(name: string, actions: unknown[], { bindable = false }: { bindable?: boolean } = {}): Doc {
  const doc = escService(name);
  (doc.service.catalog_metadata as Record<string, unknown>).bindable = bindable;
  (doc.service.actions as unknown[]).push(...actions);
  return doc;
}

/**
 * A service whose Provision flow makes an ESC tenant and an ASA deployment in it (vnf-tenant and
 * vnf-deployment templates, see Portal.addVnfTemplates), with more actions.
 */
export function tenantAsaServiceWith(name: string, actions: unknown[], { bindable = false, deployments = 1 }: { bindable?: boolean; deployments?: number } = {}) {
  const deploymentSteps = Array.from({ length: deployments }, (_, i) =>
    templateStep({
      id: `dep${i + 1}`,
      template: 'deployment',
      params: { esc_tenant: '${templates.tenant1.internal_tenant_id}', image: '${input_parameters.image}', network: 'MgtNetwork', mgmt_ip: i === 0 ? '${input_parameters.mgmt_ip}' : `10.41.0.${i + 1}` },
    }),
  );
  return {
    service: {
      specVersion: 'v3',
      version: '1.0.0.0',
      catalog_metadata: { name, description: 'ASA in a tenant of its own', image: 'serviceicon_1.svg', category: 'Network', author: 'admin', bindable },
      tags: [],
      actions: [
        {
          type: 'provision',
          name: 'Provision',
          input_parameters: [
            { name: 'image', label: 'Image', type: 'string', required: false, secured: false, default: 'ASAv-9.18' },
            { name: 'mgmt_ip', label: 'Management IP', type: 'string', required: false, secured: false, default: '10.40.0.5' },
          ],
          flow: {
            templates: [templateStep({ id: 'tenant1', template: 'tenant', params: { name: 'ops' } }), ...deploymentSteps],
            resthooks: [],
            sequence: Object.fromEntries(['tenant1', ...deploymentSteps.map((_, i) => `dep${i + 1}`)].map((id, i) => [String(i), id])),
          },
          output_parameters: [],
        },
        ...actions,
      ],
      plans: [{ name: 'Standard', description: 'Standard plan', actions: [], plan_parameters: [] }],
    },
  };
}

import request from 'supertest';
import { escFixture, parseXml } from './fixtures';
import { SimContext } from './sim-context';

export const CREATE_XML = escFixture('deployment_create.request.xml');
/** The tenant of CREATE_XML (datamodel tenant "admin"). */
export const ADMIN_TENANT = 'SystemAdminTenantId';

export interface RequestHeaders {
  /** Default: the receiver; null: no Callback header. */
  callback?: string | null;
  /** Callback-ESC-Events; none by default. */
  events?: string;
}

/** `<root xmlns=...><operation>operation</operation>extra</root>`, the shape of the operation bodies. */
export function operationXml(root: string, operation: string, extra = ''): string {
  return `<${root} xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">\n  <operation>${operation}</operation>${extra}\n</${root}>\n`;
}

/** Steps of the deployment operation specs, on the simulator and receiver of a useEscSim context. */
export function deploymentSteps(context: SimContext) {
  const withHeaders = (req: request.Test, { callback = context.receiver.url, events }: RequestHeaders): request.Test => {
    req.set('Content-Type', 'application/xml').set('Accept', 'application/xml');
    if (callback) req.set('Callback', callback);
    if (events) req.set('Callback-ESC-Events', events);
    return req;
  };

  const steps = {
    create(id: string, body = CREATE_XML, headers: RequestHeaders = {}) {
      return withHeaders(request(context.sim.baseUrl).post(`/ESCManager/v0/deployments/${id}`), headers).send(body);
    },

    /** Creates the deployment, waits for SERVICE_ALIVE, clears the receiver; resolves to its VM names. */
    async deployed(id = 'my_dep_id', body = CREATE_XML, headers: RequestHeaders = {}): Promise<string[]> {
      await steps.create(id, body, headers).expect(200);
      await context.receiver.waitFor((all) => all.some((callback) => callback.body.includes('<deployment_stage>SERVICE_ALIVE<')));
      context.receiver.clear();
      return (await steps.current(id)).vms.map((vm) => vm.vm_name);
    },

    /** POST /ESCManager/v0/{path} with an XML body. */
    post(path: string, body: string, headers: RequestHeaders = {}) {
      return withHeaders(request(context.sim.baseUrl).post(`/ESCManager/v0/${path}`), headers).send(body);
    },

    /** GET of the deployment, with its deployment_details as a list. */
    async current(id = 'my_dep_id'): Promise<{ deployment: Record<string, any>; vms: Array<Record<string, any>> }> {
      const deployment = parseXml((await request(context.sim.baseUrl).get(`/ESCManager/v0/deployments/${id}`).expect(200)).text).deployment;
      const details = deployment.deployment_details;
      return { deployment, vms: details === undefined ? [] : [details].flat() };
    },

    addFault(rule: object) {
      return request(context.sim.baseUrl).post('/_sim/faults').send(rule).expect(201);
    },
  };
  return steps;
}

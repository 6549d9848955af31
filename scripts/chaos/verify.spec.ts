import { Cam } from './api';
import { InstanceRun } from './drive';
import { CallbackWatch, EscWatch, parseDeployments, SimCallback } from './observe';
import { ChaosStack } from './stack';
import { verify } from './verify';

const VM = (dep: string) => `${dep}_ASA-1_0_0000`;
const callbackBody = (stage: string, internalId: string, vm?: string) =>
  `<?xml version="1.0"?><deployment xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${vm ? `<deployment_details><vm_name>${vm}</vm_name></deployment_details>` : ''}<deployment_name>x</deployment_name><deployment_stage>${stage}</deployment_stage><internal_deployment_id>${internalId}</internal_deployment_id></deployment>`;

function sim(seq: number, tid: string, stage: string, internalId: string, vm?: string, status = 200): SimCallback {
  return { seq, queuedAt: '', url: 'http://127.0.0.1:4001/esc/callbacks/t', headers: { ESC_TRANSACTION_ID: tid }, body: callbackBody(stage, internalId, vm), attempts: [{ at: '', status }], delivered: status < 300 };
}

/** One instance as the gateway answers it: a one-step deploy (and terminate) with its callbacks. */
function instance(o: { id: string; status: string; dep: string; depStatus: string; vmState?: string; requests: Array<{ method: string; status: string; tid: string; sent?: string; callbacks: Array<[string, string]> }>; failure?: string }) {
  return {
    detail: {
      Status: o.status,
      logs: o.failure ?? '',
      actionInstanceDetails: o.failure ? [{ type: 'provision', action_status: 'Failed', failure: o.failure, logs: o.failure }] : [],
      esc: {
        resources: [{ kind: 'deployment', internal_id: o.dep, status: o.depStatus }],
        deployments: [{ internal_deployment_id: o.dep, status: o.depStatus, vms: o.vmState ? [{ name: VM(o.dep), state: o.vmState }] : [] }],
      },
    },
    audit: o.requests.map((r, i) => ({
      id: `${o.id}-r${i}`,
      step_id: 's1',
      kind: 'deployment',
      internal_id: o.dep,
      operation: r.method === 'POST' ? 'create' : 'delete',
      method: r.method,
      path: `/v0/deployments/${o.dep}`,
      status: r.status,
      http_status: 200,
      sent_time: r.sent ?? null,
      callbacks: r.callbacks.map(([stage, outcome], j) => ({ id: `${o.id}-c${i}${j}`, stage, esc_transaction_id: r.tid, outcome, detail: null, channel: 'request', body: callbackBody(stage, o.dep, stage.startsWith('VM_') ? VM(o.dep) : undefined) })),
    })),
  };
}

function fakeGateway(instances: Record<string, ReturnType<typeof instance>>): Cam {
  return {
    base: 'http://gateway',
    get: async (path: string) => {
      const [, id, audit] = /ServiceInstances\/([^/]+)(\/escRequests)?$/.exec(path)!;
      return { status: 200, json: audit ? instances[id].audit : instances[id].detail, text: '', headers: new Headers() };
    },
  } as unknown as Cam;
}

const run = (index: number, id: string, status: string, extra: Partial<InstanceRun> = {}): InstanceRun => ({ index, name: `chaos-0000${index}`, id, faults: {}, terminate: true, deployGateway: 0, status, settledAt: 1, apiErrors: [], ...extra });
const created = (): Array<[string, string]> => [['VM_DEPLOYED', 'Applied'], ['VM_ALIVE', 'Applied'], ['SERVICE_ALIVE', 'Applied']];

describe('chaos verify', () => {
  it('finds nothing when the gateway and ESC agree', async () => {
    const instances = {
      a: instance({ id: 'a', status: 'Terminated', dep: 'ceg-a', depStatus: 'Undeployed', vmState: 'VM_UNDEPLOYED', requests: [{ method: 'POST', status: 'Succeeded', tid: 't1', callbacks: created() }, { method: 'DELETE', status: 'Succeeded', tid: 't2', callbacks: [['VM_UNDEPLOYED', 'Applied'], ['SERVICE_UNDEPLOYED', 'Applied']] }] }),
      b: instance({ id: 'b', status: 'Active', dep: 'ceg-b.r2', depStatus: 'Active', vmState: 'VM_ALIVE', requests: [{ method: 'POST', status: 'Succeeded', tid: 't3', callbacks: created() }] }),
    };
    const esc = new EscWatch({} as ChaosStack);
    esc.now = parseDeployments(`<deployments><deployment><deployment_details><vm_name>${VM('ceg-b.r2')}</vm_name><vm_state_machine_state>VM_ALIVE_STATE</vm_state_machine_state></deployment_details><deployment_name>x</deployment_name><internal_deployment_id>ceg-b.r2</internal_deployment_id><service_state_machine_state>SERVICE_ACTIVE_STATE</service_state_machine_state></deployment></deployments>`);
    esc.saw('ceg-b.r2', 'x', 1);
    const callbacks = new CallbackWatch({} as ChaosStack);
    [sim(1, 't1', 'VM_DEPLOYED', 'ceg-a', VM('ceg-a')), sim(2, 't1', 'SERVICE_ALIVE', 'ceg-a'), sim(3, 't2', 'SERVICE_UNDEPLOYED', 'ceg-a'), sim(4, 't3', 'VM_ALIVE', 'ceg-b.r2', VM('ceg-b.r2'))].forEach((c) => callbacks.bySeq.set(c.seq, c));
    const v = await verify([run(1, 'a', 'Terminated'), run(2, 'b', 'Active', { terminate: false })], [fakeGateway(instances)], esc, callbacks, () => undefined);
    expect(Object.values(v.counters).flat()).toEqual([]);
    expect(v.callbacks).toMatchObject({ sent: 4, acknowledged: 4 });
    expect(v.escDeploymentsEver).toBe(2);
  });

  it('counts lost, duplicated, mismatched, orphaned and failed instances, naming each', async () => {
    const instances = {
      // ESC's SERVICE_UNDEPLOYED was acknowledged but is in no audit; its DELETE is still claimed
      a: instance({ id: 'a', status: 'Terminating', dep: 'ceg-a', depStatus: 'Undeploying', requests: [{ method: 'POST', status: 'Succeeded', tid: 't1', callbacks: created() }, { method: 'DELETE', status: 'Pending', tid: 't2', sent: '2026-01-01T00:00:00.000Z', callbacks: [] }] }),
      // Active, but ESC lost its deployment; a VM_ALIVE stored and never applied
      b: instance({ id: 'b', status: 'Active', dep: 'ceg-b', depStatus: 'Active', vmState: 'VM_ALIVE', requests: [{ method: 'POST', status: 'Succeeded', tid: 't3', callbacks: [['VM_ALIVE', 'Received'], ['SERVICE_ALIVE', 'Applied']] }] }),
      // Terminated, but ESC still holds it, and ESC made a second deployment for its step
      c: instance({ id: 'c', status: 'Terminated', dep: 'ceg-c.r2', depStatus: 'Undeployed', requests: [{ method: 'POST', status: 'Succeeded', tid: 't4', callbacks: [] }] }),
      d: instance({ id: 'd', status: 'Error', dep: 'ceg-d', depStatus: 'Creating', requests: [{ method: 'POST', status: 'Failed', tid: 't5', callbacks: [] }], failure: "step 's1': ESC answered HTTP 503 to POST /v0/deployments/ceg-d: busy; gave up after 12 attempts" }),
    };
    const esc = new EscWatch({} as ChaosStack);
    esc.now = parseDeployments(
      '<deployments>' +
        ['ceg-c.r2', 'ceg-stray'].map((id) => `<deployment><deployment_name>${id}</deployment_name><internal_deployment_id>${id}</internal_deployment_id><service_state_machine_state>SERVICE_ACTIVE_STATE</service_state_machine_state></deployment>`).join('') +
        '</deployments>',
    );
    for (const id of ['ceg-c', 'ceg-c.r2', 'ceg-stray']) esc.saw(id, id, 1);
    const callbacks = new CallbackWatch({} as ChaosStack);
    [sim(1, 't2', 'SERVICE_UNDEPLOYED', 'ceg-a'), sim(2, 't3', 'VM_ALIVE', 'ceg-b', VM('ceg-b'))].forEach((c) => callbacks.bySeq.set(c.seq, c));
    const runs = [run(1, 'a', 'Terminating', { stuck: true, stuckStatus: 'Terminating', settledAt: undefined, status: undefined }), run(2, 'b', 'Active', { terminate: false }), run(3, 'c', 'Terminated'), run(4, 'd', 'Error')];
    const v = await verify(runs, [fakeGateway(instances)], esc, callbacks, () => undefined);
    const of = (k: keyof typeof v.counters) => v.counters[k].map((f) => `${f.id}: ${f.what}`);
    expect(of('lost')).toHaveLength(3);
    expect(of('lost')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^a: callback #1 SERVICE_UNDEPLOYED .*answered 2xx but is in no instance's ESC audit/),
      expect.stringMatching(/^b: callback b-c00 VM_ALIVE .*never applied \(outcome Received\)/),
      expect.stringMatching(/^a: DELETE \/v0\/deployments\/ceg-a .*still Pending: claimed for sending at 2026-01-01T00:00:00.000Z/),
    ]));
    expect(of('duplicated')).toEqual([expect.stringMatching(/^c: ESC made 2 deployments for one step: ceg-c, ceg-c.r2/)]);
    expect(of('orphans')).toEqual([expect.stringMatching(/ESC holds ceg-stray .*no instance owns it/)]);
    expect(of('mismatched')).toHaveLength(2);
    expect(of('mismatched')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^b: Active with deployment ceg-b Active, but ESC does not hold it/),
      expect.stringMatching(/^c: Terminated, but ESC still holds ceg-c.r2/),
    ]));
    expect(of('stuck')).toEqual([expect.stringMatching(/^a: still Terminating at its deadline/)]);
    expect(of('failedTransient')).toEqual([expect.stringMatching(/^d: provision failed: .*HTTP 503/)]);
    expect(of('failedOther')).toEqual([]);
  });
});

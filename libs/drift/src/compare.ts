import { EscListedDeployment } from '@cam-esc/esc';

/** Internal ids the gateway makes (and only it): `ceg-<resource uuid>`, maybe with a resend suffix. */
export const GATEWAY_ID_PREFIX = 'ceg-';

/** A deployment the gateway has on record on one ESC connection. */
export interface RecordedDeployment {
  resourceId: string;
  internalId: string;
  serviceInstanceId: string;
  instanceName: string;
  status: string;
  vms: Array<{ vmName: string; stage: string }>;
}

export interface Orphan {
  internal_deployment_id: string;
  deployment_name?: string;
  /** Its id has the gateway's prefix (this installation's, or another's sharing the ESC). */
  made_by_gateway: boolean;
  /** The tenant's own record names it (an instance that is gone, or an id given up for a fresh one): repair deletes it. */
  deletable: boolean;
  /** The instance it belonged to, when the tenant's record says so. */
  was_of_instance?: string;
}

/** Who a deployment ESC holds belongs to, as the records say. */
export interface Ownership {
  /** Some record (any tenant's) holds it live: not an orphan. */
  live: boolean;
  /** This tenant's record names it (not live): an orphan that is this tenant's to delete. */
  ofTenant: boolean;
  instanceName?: string;
}

export interface Missing {
  service_instance_id: string;
  instance_name: string;
  internal_deployment_id: string;
  gateway_status: string;
}

export interface VmDrift {
  service_instance_id: string;
  internal_deployment_id: string;
  vm_name: string;
  gateway_stage: string | null;
  esc_stage: string | null;
}

export interface ConnectionDrift {
  connection: string;
  orphans: Orphan[];
  missing: Missing[];
  vm_states: VmDrift[];
}

/** Gateway states in which ESC should hold the deployment. */
export const HELD_STATUSES = ['Deploying', 'Active', 'Undeploying', 'Error'];

/**
 * What differs between ESC's deployments on one connection and the gateway's records: ESC
 * deployments no live record owns (`owned` answers for every id, across tenants: another
 * tenant's deployment is not an orphan; on a shared connection only those the tenant's own
 * records name are reported, and only those are deletable), records ESC no longer holds, and VMs
 * whose stage differs. Deployments still being created or deleted are left alone: in flight.
 */
export function compareDeployments(
  connection: string,
  esc: EscListedDeployment[],
  records: RecordedDeployment[],
  owned: (internalId: string) => Ownership | undefined,
  /** Whether the connection is the tenant's own (every unowned deployment is its business) or shared (only what its records name). */
  tenantsOwn: boolean,
): ConnectionDrift {
  const onEsc = new Map(esc.map((d) => [d.internalId, d]));
  const orphans: Orphan[] = [];
  for (const d of esc) {
    const owner = owned(d.internalId);
    if (owner?.live) continue;
    const ofTenant = owner?.ofTenant ?? false;
    if (!ofTenant && !tenantsOwn) continue;
    orphans.push({ internal_deployment_id: d.internalId, deployment_name: d.name, made_by_gateway: d.internalId.startsWith(GATEWAY_ID_PREFIX), deletable: ofTenant, ...(owner?.instanceName ? { was_of_instance: owner.instanceName } : {}) });
  }
  const missing: Missing[] = [];
  const vmStates: VmDrift[] = [];
  for (const r of records) {
    if (!HELD_STATUSES.includes(r.status) || r.status === 'Undeploying') continue;
    const held = onEsc.get(r.internalId);
    if (!held) {
      if (r.status !== 'Deploying') missing.push({ service_instance_id: r.serviceInstanceId, instance_name: r.instanceName, internal_deployment_id: r.internalId, gateway_status: r.status });
      continue;
    }
    if (r.status !== 'Active') continue;
    const escVms = new Map(held.vms.map((v) => [v.vm.name, v.stage]));
    const names = new Set([...escVms.keys(), ...r.vms.map((v) => v.vmName)]);
    const ours = new Map(r.vms.map((v) => [v.vmName, v.stage]));
    for (const name of names) {
      const gatewayStage = ours.get(name) ?? null;
      const escStage = escVms.get(name) ?? null;
      if (gatewayStage !== escStage) vmStates.push({ service_instance_id: r.serviceInstanceId, internal_deployment_id: r.internalId, vm_name: name, gateway_stage: gatewayStage, esc_stage: escStage });
    }
  }
  return { connection, orphans, missing, vm_states: vmStates };
}

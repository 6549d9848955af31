import { CamParameter } from '@cam-esc/catalog';
import { CallbackRole } from '../kinds/step-kind';
import { EscOperation, operationXml, VM_NAME_PARAMETER } from './esc-operation';

/** An esc_event that ends a VM operation (VM_STOP_COMPLETE, VM_RECOVERY_COMPLETE, ...), or a service stage. */
function vmOperationRole(stage: string | undefined): CallbackRole {
  if (!stage) return 'other';
  if (/_COMPLETE$/.test(stage) || stage.startsWith('SERVICE_')) return 'final';
  if (stage.startsWith('VM_')) return 'progress';
  return 'other';
}

function vmPath(tenant: string, collection: string, vmName: string): string {
  return `/v0/${tenant}/deployments/${collection}/${encodeURIComponent(vmName)}`;
}

type VmVerb = 'stop' | 'start' | 'reboot' | 'enable_monitoring' | 'disable_monitoring';

/**
 * ESC "08-VM Operations": POST /v0/{internal_tenant_id}/deployments/vm/{vm_name} with a <vm_operation>;
 * ESC ends it with an esc_event VM_<OPERATION>_COMPLETE (VM_STOP_COMPLETE for a stop).
 */
function vmOperation(verb: VmVerb): EscOperation {
  return {
    name: `esc_vm_${verb}`,
    requestName: `VM_${verb.toUpperCase()}`,
    scope: 'vm',
    onKind: 'deployment',
    description: `${verb.replace('_', ' ').replace(/^./, (c) => c.toUpperCase())} one VM of the instance's ESC deployments`,
    inputParameters: [VM_NAME_PARAMETER],
    order: 'forward',
    request: (deployment, args) => ({
      method: 'POST',
      path: vmPath(deployment.escTenant, 'vm', args.vmName!),
      body: operationXml('vm_operation', [['operation', verb]]),
    }),
    roleOf: vmOperationRole,
    finalDescribesVm: (stage) => stage.startsWith('VM_'),
    successStages: verb === 'stop' ? ['VM_STOP_COMPLETE'] : [],
  };
}

const SNAPSHOT_NAME: CamParameter = {
  name: 'snapshot_name',
  label: 'Snapshot name',
  type: 'string',
  customtype: 'string',
  required: true,
  secured: false,
  immutable: false,
  hidden: false,
  description: 'The name ESC gives the snapshot',
};

/** POST /v0/{internal_tenant_id}/deployments/recovery-vm/{vm_name}: operation recovery_do, the VM checked first. */
const vmRecovery: EscOperation = {
  name: 'esc_vm_recovery',
  requestName: 'VM_RECOVERY',
  scope: 'vm',
  onKind: 'deployment',
  description: 'Recover one VM of the instance\'s ESC deployments (ESC checks the VM first, then redeploys or reboots it)',
  inputParameters: [VM_NAME_PARAMETER],
  order: 'forward',
  request: (deployment, args) => ({
    method: 'POST',
    path: vmPath(deployment.escTenant, 'recovery-vm', args.vmName!),
    body: operationXml('recovery_vm_operation', [['operation', 'recovery_do'], ['checkVmBeforeRecovery', 'true']]),
  }),
  roleOf: vmOperationRole,
  finalDescribesVm: (stage) => stage.startsWith('VM_'),
  successStages: [],
};

/** POST /v0/{internal_tenant_id}/deployments/snapshot-vm/{vm_name}: operation snapshot, with the snapshot's name. */
const vmSnapshot: EscOperation = {
  name: 'esc_vm_snapshot',
  requestName: 'VM_SNAPSHOT',
  scope: 'vm',
  onKind: 'deployment',
  description: 'Take a snapshot of one VM of the instance\'s ESC deployments',
  inputParameters: [VM_NAME_PARAMETER, SNAPSHOT_NAME],
  order: 'forward',
  request: (deployment, args) => ({
    method: 'POST',
    path: vmPath(deployment.escTenant, 'snapshot-vm', args.vmName!),
    body: operationXml('snapshot_vm_operation', [['operation', 'snapshot'], ['name', args.snapshotName!]]),
  }),
  roleOf: vmOperationRole,
  finalDescribesVm: (stage) => stage.startsWith('VM_'),
  successStages: [],
};

export const VM_OPERATIONS: readonly EscOperation[] = [
  ...(['stop', 'start', 'reboot', 'enable_monitoring', 'disable_monitoring'] as VmVerb[]).map(vmOperation),
  vmRecovery,
  vmSnapshot,
];

import { DomainException } from '@cam-esc/errors';
import { EscResourceStatus } from '@cam-esc/instances';
import { InstanceDetails } from '@cam-esc/persistence';

/** What a VM's last stage says of it: stopped (by a service or VM stop), or down (ESC sees it failing or recovers it). */
const STOPPED_STAGES = new Set(['VM_STOPPED', 'VM_STOP_COMPLETE', 'VM_SHUTOFF']);
const DOWN_STAGES = new Set(['VM_DOWN', 'VM_ERROR', 'VM_RECOVERY_INIT', 'VM_RECOVERY_UNDEPLOYED']);

export type PowerState = 'Running' | 'Stopped' | 'Partially stopped' | 'Degraded';

/** Whether VMs run, from their last stages: null without VMs. */
export function powerStateOf(stages: string[]): PowerState | null {
  const live = stages.filter((s) => s !== 'VM_UNDEPLOYED');
  if (live.length === 0) return null;
  if (live.some((s) => DOWN_STAGES.has(s))) return 'Degraded';
  const stopped = live.filter((s) => STOPPED_STAGES.has(s)).length;
  if (stopped === 0) return 'Running';
  return stopped === live.length ? 'Stopped' : 'Partially stopped';
}

/** Whether the VMs of the instance's active deployments run. */
export function instancePowerState(instance: Pick<InstanceDetails, 'escResources'>): PowerState | null {
  return powerStateOf(instance.escResources.filter((r) => r.kind === 'deployment' && r.status === EscResourceStatus.Active).flatMap((r) => r.vms.map((vm) => vm.stage)));
}

/** ESC does not update a stopped deployment: a call that would is refused before anything is written. */
export function assertNotStopped(instance: Pick<InstanceDetails, 'name' | 'escResources'>, call: string): void {
  const state = instancePowerState(instance);
  if (state === 'Stopped' || state === 'Partially stopped') {
    throw DomainException.conflict(`service instance '${instance.name}' is ${state.toLowerCase()} (power_state ${state}): ESC does not update a stopped deployment, so ${call} waits until it is started (invokeCustomAction esc_start, or esc_vm_start for one VM)`);
  }
}

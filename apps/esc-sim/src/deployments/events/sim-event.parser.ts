/** The events POST /_sim/deployments/{id}/events makes ESC "see". */
export type SimEventName = 'VM_DOWN' | 'VM_ALIVE' | 'VM_RECOVERY' | 'SCALE_OUT' | 'SCALE_IN';

export const SIM_EVENT_NAMES: readonly SimEventName[] = ['VM_DOWN', 'VM_ALIVE', 'VM_RECOVERY', 'SCALE_OUT', 'SCALE_IN'];

export interface SimEvent {
  event: SimEventName;
  /** The VM it is about; each event has a default (see DeploymentEventsService). */
  vmName?: string;
}

export class SimEventError extends Error {}

/** Validates the JSON body { "event": ..., "vm_name"?: ... }; messages name the field. */
export function parseSimEvent(body: unknown): SimEvent {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SimEventError('body must be a JSON object { "event": ..., "vm_name"?: ... }');
  }
  const { event, vm_name: vmName } = body as Record<string, unknown>;
  if (typeof event !== 'string' || !(SIM_EVENT_NAMES as readonly string[]).includes(event)) {
    throw new SimEventError(`event must be one of ${SIM_EVENT_NAMES.join(', ')}`);
  }
  if (vmName !== undefined && (typeof vmName !== 'string' || vmName === '')) {
    throw new SimEventError('vm_name must be a non-empty string');
  }
  if (vmName !== undefined && event === 'SCALE_OUT') {
    throw new SimEventError('vm_name does not apply to SCALE_OUT (it adds a new VM to the first vm_group)');
  }
  return { event: event as SimEventName, ...(vmName !== undefined && { vmName }) };
}

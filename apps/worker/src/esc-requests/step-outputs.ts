import { TemplateOutputs } from '@cam-esc/catalog';
import { outputsOf } from '@cam-esc/flow';
import { EscResource, EscVm } from '@cam-esc/persistence';

export type ResourceWithVms = EscResource & { vms: EscVm[] };

/** Reads an instance's resources with their VMs as stepOutputs needs them (VMs in name order). */
export const WITH_VMS = { vms: { orderBy: { vmName: 'asc' } } } as const;

/** `${templates.<step id>.<output>}` for the steps an instance has run (its resources, read with WITH_VMS). */
export function stepOutputs(resources: ResourceWithVms[]): TemplateOutputs {
  const byStep = new Map(resources.map((r) => [r.stepId, outputsOf(r)]));
  return (stepId, output) => byStep.get(stepId)?.[output];
}

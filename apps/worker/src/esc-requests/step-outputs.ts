import { TemplateOutputs } from '@cam-esc/catalog';
import { outputsOf } from '@cam-esc/flow';
import { Tx } from '@cam-esc/persistence';

/** `${templates.<step id>.<output>}` for the steps an instance has run. */
export async function stepOutputs(tx: Tx, serviceInstanceId: string): Promise<TemplateOutputs> {
  const resources = await tx.escResource.findMany({ where: { serviceInstanceId }, include: { vms: { orderBy: { vmName: 'asc' } } } });
  const byStep = new Map(resources.map((r) => [r.stepId, outputsOf(r)]));
  return (stepId, output) => byStep.get(stepId)?.[output];
}

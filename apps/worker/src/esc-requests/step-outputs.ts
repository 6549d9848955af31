import { TemplateOutputs } from '@cam-esc/catalog';
import { Tx } from '@cam-esc/persistence';

/**
 * `${templates.<step id>.<output>}` for the steps an instance has run: each resource's outputs,
 * when it was created, and for a deployment its VMs' names and addresses.
 */
export async function stepOutputs(tx: Tx, serviceInstanceId: string): Promise<TemplateOutputs> {
  const resources = await tx.escResource.findMany({ where: { serviceInstanceId }, include: { vms: { orderBy: { vmName: 'asc' } } } });
  const byStep = new Map<string, Record<string, string>>();
  for (const r of resources) {
    const outputs: Record<string, string> = { ...(r.outputs as Record<string, string>), created_at: r.createdAt.toISOString(), status: String((r.outputs as Record<string, string>).status ?? r.status) };
    if (r.vms.length > 0) {
      const addresses = r.vms.flatMap((vm) => (vm.interfaces as Array<{ ipAddress?: string }>).map((i) => i.ipAddress).filter((ip): ip is string => Boolean(ip)));
      outputs.vm_names = r.vms.map((vm) => vm.vmName).join(',');
      outputs.vm_count = String(r.vms.length);
      outputs.ip_addresses = addresses.join(',');
      if (addresses[0]) outputs.ip_address = addresses[0];
    }
    byStep.set(r.stepId, outputs);
  }
  return (stepId, output) => byStep.get(stepId)?.[output];
}

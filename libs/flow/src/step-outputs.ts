/** What the outputs of a step are built from: its resource row and, for a deployment, its VMs. */
export interface OutputSource {
  outputs: unknown;
  status: string;
  createdAt: Date;
  vms?: Array<{ vmName: string; interfaces: unknown }>;
}

/**
 * A step's outputs as later steps read them (`${templates.<step id>.<output>}`) and the instance
 * shows them: what its kind recorded, when it was created, and a deployment's VM names and addresses.
 */
export function outputsOf(source: OutputSource): Record<string, string> {
  const recorded = (source.outputs ?? {}) as Record<string, string>;
  const outputs: Record<string, string> = { ...recorded, created_at: source.createdAt.toISOString(), status: String(recorded.status ?? source.status) };
  const vms = source.vms ?? [];
  if (vms.length > 0) {
    const addresses = vms.flatMap((vm) => ((vm.interfaces ?? []) as Array<{ ipAddress?: string }>).map((i) => i.ipAddress).filter((ip): ip is string => Boolean(ip)));
    outputs.vm_names = vms.map((vm) => vm.vmName).join(',');
    outputs.vm_count = String(vms.length);
    outputs.ip_addresses = addresses.join(',');
    if (addresses[0]) outputs.ip_address = addresses[0];
  }
  return outputs;
}

import { EscVmReport, vmStageRank } from '@cam-esc/esc';
import { Prisma, Tx } from '@cam-esc/persistence';

/**
 * Records what ESC says of one VM of a deployment. A stage ranked below the one already recorded
 * (a late VM_DEPLOYED after VM_ALIVE) changes nothing; returns whether the VM was updated.
 */
export async function recordVm(tx: Tx, escResourceId: string, vm: EscVmReport, stage: string): Promise<boolean> {
  const rank = vmStageRank(stage);
  const key = { escResourceId_vmName: { escResourceId, vmName: vm.name } };
  const existing = await tx.escVm.findUnique({ where: key });
  if (existing && existing.stageRank > rank) return false;
  const data = {
    vmUuid: vm.uuid ?? existing?.vmUuid ?? null,
    groupName: vm.group,
    hostName: vm.hostName ?? existing?.hostName ?? null,
    stage,
    stageRank: rank,
    interfaces: (vm.interfaces.length > 0 ? vm.interfaces : (existing?.interfaces ?? [])) as Prisma.InputJsonValue,
  };
  await tx.escVm.upsert({ where: key, create: { escResourceId, vmName: vm.name, ...data }, update: data });
  return true;
}

import { EscVmReport, vmStageRank } from '@cam-esc/esc';
import { Tx } from '@cam-esc/persistence';

/**
 * Records what ESC says of one VM of a deployment, in one statement. A stage ranked below the one
 * already recorded (a late VM_DEPLOYED after VM_ALIVE) changes nothing; what a report leaves out
 * (uuid, host, interfaces) keeps its recorded value. Returns whether the VM was written.
 */
export async function recordVm(tx: Tx, escResourceId: string, vm: EscVmReport, stage: string): Promise<boolean> {
  const interfaces = vm.interfaces.length > 0 ? JSON.stringify(vm.interfaces) : null;
  // in UTC as Prisma writes timestamps (the database's now() follows its session time zone)
  const now = new Date();
  const written = await tx.$executeRaw`
    INSERT INTO esc_vm AS v (id, esc_resource_id, vm_name, vm_uuid, group_name, host_name, stage, stage_rank, interfaces, created_at, updated_at)
    VALUES (gen_random_uuid(), ${escResourceId}::uuid, ${vm.name}, ${vm.uuid ?? null}, ${vm.group}, ${vm.hostName ?? null}, ${stage}, ${vmStageRank(stage)}::int,
            COALESCE(${interfaces}::jsonb, '[]'::jsonb), ${now}::timestamp(3), ${now}::timestamp(3))
    ON CONFLICT (esc_resource_id, vm_name) DO UPDATE SET
      vm_uuid = COALESCE(EXCLUDED.vm_uuid, v.vm_uuid),
      group_name = EXCLUDED.group_name,
      host_name = COALESCE(EXCLUDED.host_name, v.host_name),
      stage = EXCLUDED.stage,
      stage_rank = EXCLUDED.stage_rank,
      interfaces = CASE WHEN ${interfaces}::jsonb IS NULL THEN v.interfaces ELSE EXCLUDED.interfaces END,
      updated_at = EXCLUDED.updated_at
    WHERE v.stage_rank <= EXCLUDED.stage_rank`;
  return written === 1;
}

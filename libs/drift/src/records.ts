import { Logger } from '@nestjs/common';
import { appendLogLine, InstanceRepository, PrismaService, recordInstanceEvent } from '@cam-esc/persistence';
import { HELD_STATUSES, Ownership } from './compare';

/**
 * Who holds each of `ids` (internal ids ESC listed), as the records say: a live record of any
 * tenant (not an orphan), or this tenant's record that is gone, or an id this tenant's resource
 * gave up for a fresh one after a lost answer (ESC may have made the first one late).
 */
export async function ownershipOf(prisma: PrismaService, tenantId: string, ids: string[]): Promise<Map<string, Ownership>> {
  const byId = new Map<string, Ownership>();
  if (ids.length === 0) return byId;
  const owners = await prisma.escResource.findMany({
    where: { internalId: { in: ids } },
    select: { internalId: true, status: true, serviceInstance: { select: { tenantId: true, name: true } } },
  });
  const superseded = await prisma.$queryRaw<Array<{ id: string; tenant_id: string; name: string }>>`
    SELECT s.id, i.tenant_id, i.name FROM esc_resource r JOIN service_instance i ON i.id = r.service_instance_id,
           jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.outputs->'superseded_internal_ids') = 'array' THEN r.outputs->'superseded_internal_ids' ELSE '[]'::jsonb END) AS s(id)
    WHERE s.id = ANY(${ids}::text[])`;
  for (const s of superseded) byId.set(s.id, { live: false, ofTenant: s.tenant_id === tenantId, instanceName: s.tenant_id === tenantId ? s.name : undefined });
  for (const o of owners) {
    const ofTenant = o.serviceInstance.tenantId === tenantId;
    byId.set(o.internalId, { live: o.status === 'Creating' || HELD_STATUSES.includes(o.status), ofTenant, instanceName: ofTenant ? o.serviceInstance.name : undefined });
  }
  return byId;
}

const logger = new Logger('DriftRepair');

/** A resource ESC no longer holds (asked by its id): Undeployed, and its instance Error if it was Active. Returns 1 when it was marked. */
export function markResourceGone(instances: InstanceRepository, serviceInstanceId: string, internalId: string, kind: string, connection: string): Promise<number> {
  return instances.withInstanceLock(serviceInstanceId, async (tx, instance) => {
    const { count } = await tx.escResource.updateMany({ where: { internalId, status: { in: HELD_STATUSES } }, data: { status: 'Undeployed' } });
    if (count === 0) return 0;
    const status = instance.status === 'Active' ? 'Error' : instance.status;
    if (status !== instance.status) await tx.serviceInstance.update({ where: { id: serviceInstanceId }, data: { status } });
    const why = `ESC connection '${connection}' no longer holds ${kind} ${internalId}`;
    await recordInstanceEvent(tx, { serviceInstanceId, type: 'state', data: { Status: status, drift: why } });
    // the instance's log says why it is in Error (its last action itself succeeded)
    if (instance.currentActionInstanceId) await appendLogLine(tx, instance.currentActionInstanceId, `Drift repair: ${why}${status !== instance.status ? `: the instance is now ${status}` : ''}`);
    logger.warn({ serviceInstanceId, internalId, kind, connection }, `drift repair: ESC no longer holds a ${kind} of this instance`);
    return count;
  });
}

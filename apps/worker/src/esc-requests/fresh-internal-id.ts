import { EscStepKind } from '@cam-esc/flow';
import { EscRequest, EscRequestWithResource, EscResource, InstanceRepository, Prisma, Tx } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';

/** ESC's rule for internal ids: 1..72 of A-Z a-z 0-9 - . _ */
const MAX_INTERNAL_ID = 72;

/**
 * The internal id a create is sent again under, after an attempt that may have reached ESC but
 * that ESC does not hold: ESC may have seen (and refused, or lost) the first, and an internal id
 * is never used twice. `ceg-<resource>` becomes `ceg-<resource>.r2`, then `.r3`, ...
 */
export function nextInternalId(current: string, attempt: number): string {
  const suffix = /\.r(\d+)$/.exec(current);
  const base = suffix ? current.slice(0, suffix.index) : current;
  // always forward: a sender that died mid-way may have sent the current one with the same attempt count
  const next = `${base}.r${Math.max(attempt, suffix ? Number(suffix[1]) + 1 : 2)}`;
  if (next.length > MAX_INTERNAL_ID) throw new Error(`internal id '${base}' leaves no room for a resend suffix`);
  return next;
}

/**
 * Re-points a Pending create at a new internal id, under the instance's lock: the resource's id
 * and its id output, and the request's path. The deployment name stays (it names the instance's
 * resource, and ESC would refuse a second one under it, which would tell that the first arrived).
 * Returns the request as it is now, or null when something else moved it on meanwhile.
 */
export async function giveFreshInternalId(instances: InstanceRepository, serviceInstanceId: string, request: EscRequestWithResource, kind: EscStepKind): Promise<EscRequestWithResource | null> {
  const resource = request.escResource;
  const fresh = nextInternalId(resource.internalId, request.sendAttempts + 1);
  const path = kind.getPath({ ...resource, internalId: fresh });
  const before = (resource.outputs ?? {}) as Record<string, unknown>;
  const outputs: Record<string, unknown> = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v === resource.internalId ? fresh : v]));
  // the ids given up, so that drift knows a deployment ESC made under one late as this instance's
  outputs.superseded_internal_ids = [...(Array.isArray(before.superseded_internal_ids) ? before.superseded_internal_ids : []), resource.internalId];
  const moved = await instances.withInstanceLock(serviceInstanceId, async (tx) => {
    // the new id was never sent: ESC's "not now" to it (503) means just that, and it goes again as it is
    const { count } = await tx.escRequest.updateMany({ where: { id: request.id, status: 'Pending', path: request.path }, data: { path, maybeReceived: false } });
    if (count === 0) return false;
    await tx.escResource.update({ where: { id: resource.id }, data: { internalId: fresh, outputs: outputs as Prisma.InputJsonValue } });
    await appendActionLog(
      tx,
      request.actionInstanceId,
      `step '${request.stepId}': ESC does not hold ${kind.kind} ${resource.internalId} after an attempt whose answer was lost; sending it again as ${fresh} (an internal id ESC may have seen is not used again)`,
    );
    return true;
  });
  if (!moved) return null;
  return { ...request, path, maybeReceived: false, escResource: { ...resource, internalId: fresh, outputs: outputs as Prisma.JsonValue } };
}

/** The internal ids a resource gave up for fresh ones, latest first. */
export function supersededInternalIds(outputs: unknown): string[] {
  const list = ((outputs ?? {}) as Record<string, unknown>).superseded_internal_ids;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string').reverse() : [];
}

/**
 * The inverse of giveFreshInternalId: ESC turned out to hold the resource under an id given up
 * (that attempt reached it late), so the resource and its Pending request take that id back, and
 * the fresh one joins the ids given up. In the caller's transaction, under the instance lock;
 * false when something else moved the request on.
 */
export async function adoptSupersededId(tx: Tx, request: EscRequest & { escResource: EscResource }, kind: EscStepKind, adopted: string, why: string): Promise<boolean> {
  const resource = request.escResource;
  const before = (resource.outputs ?? {}) as Record<string, unknown>;
  const outputs: Record<string, unknown> = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v === resource.internalId ? adopted : v]));
  outputs.superseded_internal_ids = [...supersededInternalIds(before).reverse().filter((id) => id !== adopted), resource.internalId];
  const path = kind.getPath({ ...resource, internalId: adopted });
  const { count } = await tx.escRequest.updateMany({ where: { id: request.id, status: { in: ['Pending', 'Accepted'] }, path: request.path }, data: { path } });
  if (count === 0) return false;
  await tx.escResource.update({ where: { id: resource.id }, data: { internalId: adopted, outputs: outputs as Prisma.InputJsonValue } });
  await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ${why}; ESC holds ${kind.kind} ${adopted}, from an earlier attempt that reached it late: that one is this step's (${resource.internalId} is given up)`);
  request.path = path;
  request.escResource = { ...resource, internalId: adopted, outputs: outputs as Prisma.JsonValue };
  return true;
}

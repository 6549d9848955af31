import { requestVerb } from '@cam-esc/flow';
import { EscRequestStatus, EscResourceStatus } from '@cam-esc/instances';
import { EscRequest, Prisma, Tx } from '@cam-esc/persistence';
import { appendActionLog, maskActionSecrets } from '../action-log';
import { failAction } from '../run-action/action-outcome';

export interface EscRequestResult {
  succeeded: boolean;
  statusCode?: number | null;
  statusMessage?: string | null;
  /** One line for the action log, e.g. "ESC SERVICE_ALIVE with ESC-Status-Code 200: ...". */
  summary: string;
  /** Outputs the end of the request brought (external ids, a resthook's answer fields). */
  outputs?: Record<string, string>;
}

/**
 * Ends a step's request (from its final callback, its answer, or reconciliation): the request,
 * its resource (and the outputs later steps read) and, on failure, the action. Returns true when
 * the flow should move on: to its next step, or to its error_sequence. The caller holds the
 * instance lock.
 */
export async function completeEscRequest(tx: Tx, request: EscRequest, result: EscRequestResult): Promise<boolean> {
  await tx.escRequest.update({
    where: { id: request.id },
    data: {
      status: result.succeeded ? EscRequestStatus.Succeeded : EscRequestStatus.Failed,
      statusCode: result.statusCode ?? null,
      // ESC's words may echo a secured value
      statusMessage: result.statusMessage == null ? null : await maskActionSecrets(tx, request.actionInstanceId, result.statusMessage),
      completedAt: new Date(),
    },
  });
  await recordResourceOutcome(tx, request, result.succeeded, result.outputs);
  const action = await tx.actionInstance.findUniqueOrThrow({ where: { id: request.actionInstanceId } });
  if (!result.succeeded) return failAction(tx, action, `step '${request.stepId}' failed: ${result.summary}`);
  await appendActionLog(tx, action, `step '${request.stepId}': ${result.summary}`);
  return true;
}

/**
 * What a request's end makes of its resource: Active (or Undeployed after a delete) on success,
 * Error on failure, with the outputs it brought; an operation (stop, reboot, ...) leaves the
 * resource as it is. Returns the status written, if any.
 */
export async function recordResourceOutcome(tx: Tx, request: EscRequest, succeeded: boolean, outputs?: Record<string, string>): Promise<EscResourceStatus | undefined> {
  const verb = requestVerb(request.operation);
  if (verb === 'operate') return undefined;
  const status = !succeeded ? EscResourceStatus.Error : verb === 'delete' ? EscResourceStatus.Undeployed : EscResourceStatus.Active;
  // only the resource's latest request speaks for it: an older one must not move it backwards
  const resource = await tx.escResource.findUniqueOrThrow({
    where: { id: request.escResourceId },
    select: { outputs: true, requests: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true } } },
  });
  if (resource.requests[0]?.id !== request.id) return undefined;
  const merged = { ...(resource.outputs as Record<string, string>), ...(outputs ?? {}) };
  await tx.escResource.update({ where: { id: request.escResourceId }, data: { status, outputs: merged as Prisma.InputJsonValue } });
  return status;
}

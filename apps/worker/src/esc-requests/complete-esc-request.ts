import { EscOperation } from '@cam-esc/esc';
import { EscRequestStatus, EscResourceStatus } from '@cam-esc/instances';
import { EscRequest, Tx } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';
import { finishAction } from '../run-action/action-outcome';

export interface EscRequestResult {
  succeeded: boolean;
  statusCode?: number | null;
  statusMessage?: string | null;
  /** One line for the action log, e.g. "ESC SERVICE_ALIVE with ESC-Status-Code 200: ...". */
  summary: string;
}

/**
 * Ends an ESC request (from its final callback, or from reconciliation): the request, its ESC
 * resource and, on failure, the action and the instance. Returns true when the flow should move
 * on to its next step. The caller holds the instance lock.
 */
export async function completeEscRequest(tx: Tx, request: EscRequest, result: EscRequestResult): Promise<boolean> {
  await tx.escRequest.update({
    where: { id: request.id },
    data: {
      status: result.succeeded ? EscRequestStatus.Succeeded : EscRequestStatus.Failed,
      statusCode: result.statusCode ?? null,
      statusMessage: result.statusMessage ?? null,
      completedAt: new Date(),
    },
  });
  const operation = request.operation as EscOperation;
  const resourceStatus = !result.succeeded ? EscResourceStatus.Error : operation === 'DELETE_DEPLOYMENT' ? EscResourceStatus.Undeployed : EscResourceStatus.Active;
  // only the resource's latest request speaks for it: an older one must not move it backwards
  const latest = await tx.escRequest.findFirst({ where: { escResourceId: request.escResourceId }, orderBy: { createdAt: 'desc' }, select: { id: true } });
  if (latest?.id === request.id) await tx.escResource.update({ where: { id: request.escResourceId }, data: { status: resourceStatus } });
  const action = await tx.actionInstance.findUniqueOrThrow({ where: { id: request.actionInstanceId } });
  if (!result.succeeded) {
    await finishAction(tx, action, false, `step '${request.stepId}' failed on ESC: ${result.summary}`);
    return false;
  }
  await appendActionLog(tx, action, `step '${request.stepId}': ${result.summary}`);
  return true;
}

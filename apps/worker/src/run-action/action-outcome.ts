import { ActionStatus, ActionType, InstanceStatus } from '@cam-esc/instances';
import { ActionInstance, Tx } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';

const RUNNING: string[] = [ActionStatus.Submitted, ActionStatus.InProgress];

/**
 * Ends an action and moves its instance to the state that follows. Does nothing when the action
 * has already ended or is no longer the instance's current one (a late event must not rewrite
 * history); returns whether it ended it. Secured parameter values are masked in the line, which
 * may quote ESC.
 */
export async function finishAction(tx: Tx, action: ActionInstance, succeeded: boolean, line: string): Promise<boolean> {
  const current = await tx.actionInstance.findUniqueOrThrow({ where: { id: action.id }, include: { serviceInstance: { select: { currentActionInstanceId: true } } } });
  if (!RUNNING.includes(current.status) || current.serviceInstance.currentActionInstanceId !== action.id) return false;
  const now = new Date();
  await appendActionLog(tx, action.id, maskSecuredValues(current, line));
  await tx.actionInstance.update({ where: { id: action.id }, data: { status: succeeded ? ActionStatus.Succeeded : ActionStatus.Failed, finishedAt: now } });
  const status = !succeeded ? InstanceStatus.Error : action.type === ActionType.Terminate ? InstanceStatus.Terminated : InstanceStatus.Active;
  await tx.serviceInstance.update({
    where: { id: action.serviceInstanceId },
    data: { status, ...(status === InstanceStatus.Active ? { activeAt: now } : {}) },
  });
  return true;
}

/** Marks an action as running (first step sent). */
export async function markActionRunning(tx: Tx, action: ActionInstance): Promise<void> {
  if (action.status !== ActionStatus.Submitted) return;
  await tx.actionInstance.update({ where: { id: action.id }, data: { status: ActionStatus.InProgress, startedAt: new Date() } });
  if (action.type === ActionType.Provision) {
    await tx.serviceInstance.update({ where: { id: action.serviceInstanceId }, data: { status: InstanceStatus.InProgress } });
  }
}

function maskSecuredValues(action: ActionInstance, line: string): string {
  const inputs = (action.parameters as { input_parameters?: Record<string, unknown> }).input_parameters ?? {};
  let masked = line;
  for (const name of action.securedNames) {
    const value = inputs[name];
    if (typeof value === 'string' ? value.length > 0 : typeof value === 'number') masked = masked.replaceAll(String(value), '********');
  }
  return masked;
}

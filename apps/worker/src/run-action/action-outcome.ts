import { ActionStatus, ActionType, InstanceStatus } from '@cam-esc/instances';
import { ActionInstance, Tx } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';

/** Ends an action and moves its instance to the state that follows. */
export async function finishAction(tx: Tx, action: ActionInstance, succeeded: boolean, line: string): Promise<void> {
  const now = new Date();
  await appendActionLog(tx, action.id, line);
  await tx.actionInstance.update({ where: { id: action.id }, data: { status: succeeded ? ActionStatus.Succeeded : ActionStatus.Failed, finishedAt: now } });
  const status = !succeeded ? InstanceStatus.Error : action.type === ActionType.Terminate ? InstanceStatus.Terminated : InstanceStatus.Active;
  await tx.serviceInstance.update({
    where: { id: action.serviceInstanceId },
    data: { status, ...(status === InstanceStatus.Active ? { activeAt: now } : {}) },
  });
}

/** Marks an action as running (first step sent). */
export async function markActionRunning(tx: Tx, action: ActionInstance): Promise<void> {
  if (action.status !== ActionStatus.Submitted) return;
  await tx.actionInstance.update({ where: { id: action.id }, data: { status: ActionStatus.InProgress, startedAt: new Date() } });
  if (action.type === ActionType.Provision) {
    await tx.serviceInstance.update({ where: { id: action.serviceInstanceId }, data: { status: InstanceStatus.InProgress } });
  }
}

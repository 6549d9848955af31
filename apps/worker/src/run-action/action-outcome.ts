import { ActionParameters } from '@cam-esc/flow';
import { ActionDetails, ActionMode, ActionStatus, ActionType, EscRequestStatus, InstanceStatus, OPEN_ESC_REQUEST_STATUSES } from '@cam-esc/instances';
import { MASK, maskSecretsDeep, securedValues } from '@cam-esc/catalog';
import { ActionInstance, Prisma, recordInstanceEvent, Tx } from '@cam-esc/persistence';
import { appendActionLog, maskActionSecrets } from '../action-log';

const RUNNING: string[] = [ActionStatus.Submitted, ActionStatus.InProgress];

/**
 * Ends an action and moves its instance to the state that follows. Does nothing when the action
 * has already ended or is no longer the instance's current one (a late event must not rewrite
 * history); returns whether it ended it. Requests of the action still open on ESC are closed, so
 * a late answer to them changes nothing and a later action starts afresh.
 */
export async function finishAction(tx: Tx, action: ActionInstance, succeeded: boolean, line: string): Promise<boolean> {
  const current = await tx.actionInstance.findUniqueOrThrow({ where: { id: action.id }, include: { serviceInstance: { select: { currentActionInstanceId: true } } } });
  if (!RUNNING.includes(current.status) || current.serviceInstance.currentActionInstanceId !== action.id) return false;
  const now = new Date();
  await appendActionLog(tx, current, line);
  await tx.escRequest.updateMany({
    where: { actionInstanceId: action.id, status: { in: [...OPEN_ESC_REQUEST_STATUSES] } },
    data: { status: EscRequestStatus.Failed, statusMessage: 'closed: its action ended first', completedAt: now },
  });
  await tx.actionInstance.update({ where: { id: action.id }, data: { status: succeeded ? ActionStatus.Succeeded : ActionStatus.Failed, finishedAt: now } });
  const details = current.details as ActionDetails;
  const status = instanceStatusAfter(current, succeeded);
  // a version change that went through moves the instance to the version (and plan) it ran
  // (a retry or resume of one too: it keeps the versionChangeDetails)
  const moved = succeeded && details.versionChangeDetails && details.serviceVersionId ? versionOf(current) : {};
  await tx.serviceInstance.update({
    where: { id: action.serviceInstanceId },
    data: { status, ...(status === InstanceStatus.Active ? { activeAt: now } : {}), ...moved, ...(succeeded ? await echoOfValues(tx, current) : {}) },
  });
  const ended = succeeded ? ActionStatus.Succeeded : ActionStatus.Failed;
  await recordInstanceEvent(tx, { serviceInstanceId: action.serviceInstanceId, actionInstanceId: action.id, type: 'action', data: { event: 'finished', action: current.name, action_type: current.type, action_status: ended, Status: status } });
  return true;
}

/**
 * The instance's Status once an action ended: a failed run of its flow or terminate is Error; a
 * custom flow or an ESC operation (a reboot, a snapshot) says how it went in its own status and
 * leaves the instance's as it was when it was accepted.
 */
function instanceStatusAfter(action: ActionInstance, succeeded: boolean): InstanceStatus {
  const details = action.details as ActionDetails;
  if (details.keepsStatus && details.statusBefore) return details.statusBefore as InstanceStatus;
  if (!succeeded) return InstanceStatus.Error;
  return action.type === ActionType.Terminate ? InstanceStatus.Terminated : InstanceStatus.Active;
}

/**
 * After an update, retry, resume or version change went through, the instance's echo of its
 * request (resourceProperties.specifications) shows the values it now runs with, secured ones masked.
 */
async function echoOfValues(tx: Tx, action: ActionInstance): Promise<{ request?: Prisma.InputJsonValue }> {
  const mode = (action.details as ActionDetails).mode;
  const given = (action.parameters as { given?: Record<string, unknown> }).given;
  // the instance's own flow (a retry of a custom action ran with that action's values)
  const ownFlow = action.type === ActionType.Provision || action.type === ActionType.Update;
  if (!given || !mode || !ownFlow || !RERUNS_OF_FLOW.includes(mode)) return {};
  const instance = await tx.serviceInstance.findUniqueOrThrow({ where: { id: action.serviceInstanceId }, select: { request: true } });
  const request = instance.request as { resourceProperties?: { templateParameters?: unknown[]; specifications?: unknown[] } };
  const specifications = Object.entries(given).map(([name, value]) => {
    const secured = action.securedNames.includes(name);
    return { name, value: secured ? MASK : maskSecuredValuesDeep(value, action), secured };
  });
  return { request: { ...request, resourceProperties: { ...request.resourceProperties, templateParameters: request.resourceProperties?.templateParameters ?? [], specifications } } as Prisma.InputJsonValue };
}

function maskSecuredValuesDeep(value: unknown, action: ActionInstance): unknown {
  return maskSecretsDeep(value, securedValues(action.parameters, action.securedNames));
}

const RERUNS_OF_FLOW: string[] = [ActionMode.Update, ActionMode.Retry, ActionMode.Resume, ActionMode.VersionChange];

function versionOf(action: ActionInstance): { serviceVersionId?: string; plan?: string } {
  const details = action.details as ActionDetails;
  const plan = (action.parameters as { plan_name?: unknown }).plan_name;
  return { serviceVersionId: details.serviceVersionId, ...(typeof plan === 'string' && plan ? { plan } : {}) };
}

/**
 * A step of the action failed. With an error_sequence still to run, the action stays running, the
 * first failure is kept (the error steps read it as ${svc_instance.error.message}) and the caller
 * must run the action on (returns true); a failing error step is logged and the next one runs.
 * Without one, the action fails now (returns false).
 */
export async function failAction(tx: Tx, action: ActionInstance, line: string): Promise<boolean> {
  const current = await tx.actionInstance.findUniqueOrThrow({ where: { id: action.id }, include: { serviceInstance: { select: { currentActionInstanceId: true } } } });
  if (!RUNNING.includes(current.status) || current.serviceInstance.currentActionInstanceId !== action.id) return false;
  if (current.failure !== null) {
    await appendActionLog(tx, current, `error step failed: ${line}`);
    return true;
  }
  const plan = (current.parameters as unknown as Partial<ActionParameters>).plan ?? [];
  if (!plan.some((s) => s.phase === 'error')) {
    await finishAction(tx, current, false, line);
    return false;
  }
  // error steps read it (${svc_instance.error.message}): ESC's words may quote a secured value
  await tx.actionInstance.update({ where: { id: action.id }, data: { failure: await maskActionSecrets(tx, action.id, line) } });
  await appendActionLog(tx, current, `${line}; running the error_sequence`);
  return true;
}

/** Marks an action as running (its first move: a run that finds nothing to change has run all the same). */
export async function markActionRunning(tx: Tx, action: ActionInstance): Promise<void> {
  if (action.status !== ActionStatus.Submitted) return;
  const startedAt = new Date();
  await tx.actionInstance.update({ where: { id: action.id }, data: { status: ActionStatus.InProgress, startedAt } });
  // the caller's copy follows, so that a second call in the same move does nothing
  Object.assign(action, { status: ActionStatus.InProgress, startedAt });
  // the gateway set the Status of any other action when it accepted it; a deploy's moves on from Submitted now
  if (action.type === ActionType.Provision) {
    await tx.serviceInstance.update({ where: { id: action.serviceInstanceId }, data: { status: InstanceStatus.InProgress } });
  }
  await recordInstanceEvent(tx, {
    serviceInstanceId: action.serviceInstanceId,
    actionInstanceId: action.id,
    type: 'state',
    data: { action: action.name, action_status: ActionStatus.InProgress, ...(action.type === ActionType.Provision ? { Status: InstanceStatus.InProgress } : {}) },
  });
}

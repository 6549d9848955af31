import { MASK, maskSecretsDeep, securedValues } from '@cam-esc/catalog';
import { ActionParameters } from '@cam-esc/flow';
import { ActionDetails, ActionStatus, ActionType, InstanceStatus } from '@cam-esc/instances';
import { ActionInstance } from '@cam-esc/persistence';

/** An action instance's status in the words CAM's history uses for it (the instance status it leads to). */
function camStatusOf(action: ActionInstance): string {
  switch (action.status) {
    case ActionStatus.Succeeded:
      return action.type === ActionType.Terminate ? InstanceStatus.Terminated : InstanceStatus.Active;
    case ActionStatus.Failed:
      return InstanceStatus.Error;
    default:
      return action.status;
  }
}

/** The input parameter values an action ran with, secured ones masked. */
export function maskedInputParameters(action: Pick<ActionInstance, 'parameters' | 'securedNames'>): Record<string, unknown> {
  const inputs = { ...((action.parameters as unknown as Partial<ActionParameters>).input_parameters ?? {}) };
  for (const name of action.securedNames) if (name in inputs) inputs[name] = MASK;
  return maskSecretsDeep(inputs, securedValues(action.parameters, action.securedNames));
}

/**
 * One entry of actionInstanceDetails (GET ServiceInstances/{id}): every action the instance ran,
 * oldest first, each with its own status, times, input values, version change and log.
 */
export function toActionHistoryEntry(action: ActionInstance) {
  const details = action.details as ActionDetails;
  return {
    actionInstanceId: action.id,
    Status: camStatusOf(action),
    action_status: action.status,
    instance_action: action.name,
    type: action.type,
    mode: details.mode ?? (action.type === ActionType.Terminate ? 'terminate' : 'deploy'),
    ...(details.rerunOf ? { rerun_of: details.rerunOf } : {}),
    ...(details.escOperation ? { esc_operation: details.escOperation } : {}),
    ...(details.bindName ? { bind_name: details.bindName } : {}),
    ordered_time: action.createdAt.getTime(),
    processed_time: (action.startedAt ?? action.createdAt).toISOString(),
    ...(action.startedAt ? { created_time: action.startedAt.toISOString() } : {}),
    ...(action.finishedAt && action.status === ActionStatus.Succeeded ? { active_time: action.finishedAt.toISOString() } : {}),
    ...(action.finishedAt ? { finished_time: action.finishedAt.toISOString() } : {}),
    updated_time: action.updatedAt.toISOString(),
    ...(details.versionChangeDetails ? { versionChangeDetails: details.versionChangeDetails } : {}),
    input_parameters: maskedInputParameters(action),
    ...(action.failure ? { failure: action.failure } : {}),
    logs: action.log.trimStart(),
  };
}

import { SecretBox } from '@cam-esc/secrets';
import { Injectable } from '@nestjs/common';
import { CamServiceDocument } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { ActionMode, ActionType, InstanceStatus } from '@cam-esc/instances';
import { FlowRunPreparation } from '../lifecycle/flow-run-preparation';
import { InstanceActionStarter } from '../lifecycle/instance-action-starter';
import { instanceParameters, mergeValues, provisionActionOf } from '../lifecycle/instance-values';
import { maskedValues } from '../lifecycle/masked-values';
import { VersionChangeLookup } from '../lifecycle/version-change';
import { assertNotStopped } from '../lifecycle/power-state';
import { startedAnswer } from './started-answer';

/**
 * POST ServiceInstances/{id}/submitVersionChange: moves the instance to the other version's flow
 * (upgrade or downgrade). The worker updates what both versions have, creates what is new and
 * deletes what is gone; the instance is at the new version once that is done. Values: the current
 * ones the new version still has, overridden by instance_parameters.
 */
@Injectable()
export class SubmitVersionChangeUseCase {
  constructor(
    private readonly lookup: VersionChangeLookup,
    private readonly preparation: FlowRunPreparation,
    private readonly starter: InstanceActionStarter,
    private readonly box: SecretBox,
  ) {}

  async execute(tenantId: string, id: string, body: unknown) {
    const given = instanceParameters((body as Record<string, unknown> | null)?.instance_parameters, 'instance_parameters');
    for (const key of ['pre_action_parameters', 'post_action_parameters']) {
      const value = (body as Record<string, unknown> | null)?.[key];
      if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0)) {
        throw DomainException.invalid(`${key}: pre and post action parameters are not supported (as in CAM); send {} or leave it out`, { field: key });
      }
    }
    const planField = (body as Record<string, unknown> | null)?.plan;
    if (planField !== undefined && planField !== null && typeof planField !== 'string') throw DomainException.invalid('plan: must be the name of a plan of the target version, or "" for the current plan', { field: 'plan' });
    const chosen = await this.lookup.choose(tenantId, id, body, ['instance_parameters', 'pre_action_parameters', 'post_action_parameters', 'plan']);
    const { instance, path, target } = chosen;
    assertNotStopped(instance, 'submitVersionChange');
    const action = provisionActionOf(target.document as unknown as CamServiceDocument);
    const values = mergeValues(action, chosen.current, given, 'instance_parameters');
    const planName = typeof planField === 'string' && planField ? planField : instance.plan;
    const versionChangeDetails = {
      serviceInstanceId: instance.id,
      versionChangeId: path.id,
      versionChangeType: path.type,
      isRegenerationRequired: true,
      fromVersionId: path.fromVersionId,
      fromVersion: path.fromVersion,
      toVersionId: path.toVersionId,
      toVersion: path.toVersion,
      plan: planName,
      pre_action_ParmList: [],
      pre_action_parameters: {},
      post_action_ParmList: [],
      post_action_parameters: {},
    };
    const newAction = await this.preparation.prepare({
      tenantId,
      instance,
      version: target,
      action,
      planName,
      values,
      parametersField: 'instance_parameters',
      type: ActionType.Update,
      name: 'update',
      details: { mode: ActionMode.VersionChange, versionChangeDetails, flowAction: action.name },
    });
    // what the history shows of the values: as given, secured ones masked
    const shown = maskedValues(this.box, newAction, values);
    (newAction.details as Record<string, unknown>).versionChangeDetails = { ...versionChangeDetails, instance_parameters: shown };
    const started = await this.starter.start({ tenantId, instanceId: id, action: newAction, status: InstanceStatus.InProgress, allowedFrom: [InstanceStatus.Active], call: 'submitVersionChange' });
    return { ...startedAnswer(started, newAction.name), versionChangeDetails: (newAction.details as Record<string, unknown>).versionChangeDetails };
  }
}

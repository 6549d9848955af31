import { SecretBox } from '@cam-esc/secrets';
import { Injectable } from '@nestjs/common';
import { ActionMode, ActionType, InstanceStatus } from '@cam-esc/instances';
import { DomainException } from '@cam-esc/errors';
import { CamServiceDocument } from '@cam-esc/catalog';
import { InstanceRepository } from '@cam-esc/persistence';
import { FlowRunPreparation } from '../lifecycle/flow-run-preparation';
import { InstanceActionStarter } from '../lifecycle/instance-action-starter';
import { bodyObject, currentFlowAction, flowActionName, givenValues, instanceParameters, knownFields, mergeValues, provisionActionOf } from '../lifecycle/instance-values';
import { assertNotStopped } from '../lifecycle/power-state';
import { startedAnswer } from './started-answer';

const FIELD = 'update_details.instance_parameters';

/**
 * POST ServiceInstances/{id}/update: new values for the instance's parameters. Every step is
 * rendered again with them; the worker updates (PUT) what changed and leaves the rest alone. Values
 * not given keep what they were.
 */
@Injectable()
export class UpdateInstanceUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly preparation: FlowRunPreparation,
    private readonly starter: InstanceActionStarter,
    private readonly box: SecretBox,
  ) {}

  async execute(tenantId: string, id: string, body: unknown) {
    knownFields(body, ['update_details'], 'body');
    const details = knownFields(bodyObject(body, 'update_details'), ['instance_parameters'], 'update_details');
    const given = instanceParameters(details.instance_parameters, FIELD);
    if (details.instance_parameters === undefined) throw DomainException.invalid(`${FIELD}: is required: the parameters to change, by name`, { field: FIELD });
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    assertNotStopped(instance, 'update');
    const flowAction = currentFlowAction(instance);
    const action = provisionActionOf(instance.serviceVersion.document as unknown as CamServiceDocument, flowActionName(flowAction));
    const values = mergeValues(action, givenValues(flowAction, instance, this.box), given, FIELD);
    const newAction = await this.preparation.prepare({
      tenantId,
      instance,
      version: instance.serviceVersion,
      action,
      planName: instance.plan,
      values,
      parametersField: FIELD,
      type: ActionType.Update,
      name: 'update',
      details: { mode: ActionMode.Update, flowAction: action.name },
    });
    const started = await this.starter.start({ tenantId, instanceId: id, action: newAction, status: InstanceStatus.InProgress, allowedFrom: [InstanceStatus.Active], call: 'update' });
    return startedAnswer(started, newAction.name);
  }
}

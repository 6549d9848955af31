import { openActionParameters, SecretBox } from '@cam-esc/secrets';
import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ActionParameters } from '@cam-esc/flow';
import { ActionMode, ActionStatus, ActionType, InstanceStatus } from '@cam-esc/instances';
import { InstanceRepository } from '@cam-esc/persistence';
import { FlowRunPreparation } from '../lifecycle/flow-run-preparation';
import { InstanceActionStarter } from '../lifecycle/instance-action-starter';
import { knownFields, mergeValues, requiredString } from '../lifecycle/instance-values';
import { bindingActionOf } from './create-bind.usecase';
import { startedAnswer } from './started-answer';

/** POST ServiceInstances/{id}/terminateBind ({ name }): runs the version's `unbind` action for that bind instance, with the bind's values. */
@Injectable()
export class TerminateBindUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly preparation: FlowRunPreparation,
    private readonly starter: InstanceActionStarter,
    private readonly box: SecretBox,
  ) {}

  async execute(tenantId: string, id: string, body: unknown) {
    const name = requiredString(knownFields(body, ['name'], 'body').name, 'name', 'the name of the bind instance to unbind (bind_array of GET ServiceInstances/{id})');
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    const unbind = bindingActionOf(instance, ActionType.Unbind);
    const ofName = instance.actions.filter((a) => (a.details as { bindName?: string }).bindName === name);
    const bind = [...ofName].reverse().find((a) => a.type === ActionType.Bind && a.status === ActionStatus.Succeeded);
    const unbound = bind && ofName.some((a) => a.type === ActionType.Unbind && a.status === ActionStatus.Succeeded && a.createdAt > bind.createdAt);
    if (!bind || unbound) {
      const live = new Set(instance.actions.filter((a) => a.type === ActionType.Bind && a.status === ActionStatus.Succeeded).map((a) => (a.details as { bindName?: string }).bindName));
      throw DomainException.invalid(`name: the instance has no bind named '${name.slice(0, 100)}' (its binds: ${[...live].join(', ') || 'none'})`, { field: 'name' });
    }
    const newAction = await this.preparation.prepare({
      tenantId,
      instance,
      version: instance.serviceVersion,
      action: unbind,
      planName: instance.plan,
      values: mergeValues(unbind, openActionParameters(this.box, bind as { parameters: Partial<ActionParameters>; secretsSealed: string | null }).given ?? {}, {}, 'name'),
      parametersField: 'instance_parameters',
      type: ActionType.Unbind,
      name: unbind.name,
      details: { mode: ActionMode.Flow, keepsStatus: true, bindName: name },
    });
    const started = await this.starter.start({ tenantId, instanceId: id, action: newAction, status: InstanceStatus.InProgress, allowedFrom: [InstanceStatus.Active], call: 'terminateBind' });
    return { ...startedAnswer(started, unbind.name), bind_name: name };
  }
}

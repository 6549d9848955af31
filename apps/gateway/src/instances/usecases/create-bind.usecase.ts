import { SecretBox } from '@cam-esc/secrets';
import { Injectable } from '@nestjs/common';
import { CamAction, CamServiceDocument } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { ActionMode, ActionType, InstanceStatus } from '@cam-esc/instances';
import { InstanceDetails, InstanceRepository } from '@cam-esc/persistence';
import { FlowRunPreparation } from '../lifecycle/flow-run-preparation';
import { InstanceActionStarter } from '../lifecycle/instance-action-starter';
import { bodyObject, currentFlowAction, givenValues, instanceParameters, knownFields, mergeValues } from '../lifecycle/instance-values';
import { startedAnswer } from './started-answer';

const FIELD = 'bindDetails.instance_parameters';

/**
 * POST ServiceInstances/{id}/createBind: runs the version's `bind` action as a bind instance (named
 * by bindDetails.name, or after the instance), with the instance's values overridden by
 * bindDetails.instance_parameters. 400 when the catalog says the service is not bindable or the
 * version has no bind action.
 */
@Injectable()
export class CreateBindUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly preparation: FlowRunPreparation,
    private readonly starter: InstanceActionStarter,
    private readonly box: SecretBox,
  ) {}

  async execute(tenantId: string, id: string, body: unknown) {
    knownFields(body, ['bindDetails'], 'body');
    const details = knownFields(bodyObject(body, 'bindDetails', false), ['name', 'instance_parameters'], 'bindDetails');
    const given = instanceParameters(details.instance_parameters, FIELD);
    if (details.name !== undefined && (typeof details.name !== 'string' || !details.name.trim() || details.name.length > 255)) {
      throw DomainException.invalid('bindDetails.name: must be a non-empty string of at most 255 characters', { field: 'bindDetails.name' });
    }
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    const bind = bindingActionOf(instance, ActionType.Bind);
    const taken = new Set(instance.actions.map((a) => (a.details as { bindName?: string }).bindName).filter(Boolean));
    const bindName = typeof details.name === 'string' ? details.name.trim() : nextName(instance.name, taken);
    if (typeof details.name === 'string' && taken.has(bindName)) throw DomainException.conflict(`bindDetails.name: the instance already has a bind named '${bindName}'`);
    const newAction = await this.preparation.prepare({
      tenantId,
      instance,
      version: instance.serviceVersion,
      action: bind,
      planName: instance.plan,
      // the bind reads the instance's values where it has the same parameters
      values: mergeValues(bind, givenValues(currentFlowAction(instance), instance, this.box), given, FIELD),
      parametersField: FIELD,
      type: ActionType.Bind,
      name: bind.name,
      details: { mode: ActionMode.Flow, keepsStatus: true, bindName },
    });
    const started = await this.starter.start({ tenantId, instanceId: id, action: newAction, status: InstanceStatus.InProgress, allowedFrom: [InstanceStatus.Active], call: 'createBind' });
    return { ...startedAnswer(started, bind.name), bind_name: bindName };
  }
}

/** The version's bind or unbind action; a 400 when the catalog says the service is not bindable or it has none. */
export function bindingActionOf(instance: InstanceDetails, type: ActionType.Bind | ActionType.Unbind): CamAction {
  const doc = instance.serviceVersion.document as unknown as CamServiceDocument;
  const bindable = doc.catalog_metadata.bindable === true || doc.catalog_metadata.bindable === 'true';
  if (!bindable) throw DomainException.invalid(`service '${instance.serviceVersion.service.name}' is not bindable (catalog_metadata.bindable is not true)`, { field: 'catalog_metadata.bindable' });
  const action = doc.actions.find((a) => a.type === type);
  if (!action) throw DomainException.invalid(`service version '${instance.serviceVersion.version}' has no action of type ${type}`, { field: 'actions' });
  return action;
}

function nextName(base: string, taken: Set<string | undefined>): string {
  for (let n = 1; ; n++) if (!taken.has(`${base}-bind-${n}`)) return `${base}-bind-${n}`;
}

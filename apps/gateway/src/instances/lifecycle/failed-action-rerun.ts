import { SecretBox } from '@cam-esc/secrets';
import { Injectable } from '@nestjs/common';
import { CamAction, CamServiceDocument } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { ActionParameters } from '@cam-esc/flow';
import { ActionDetails, ActionMode, ActionStatus, ActionType, InstanceStatus } from '@cam-esc/instances';
import { ActionInstance, InstanceDetails, InstanceRepository, Prisma, ServiceRepository, VersionWithService, BatchTurn } from '@cam-esc/persistence';
import { FlowRunPreparation } from './flow-run-preparation';
import { InstanceActionStarter } from './instance-action-starter';
import { bodyObject, flowActionName, givenValues, instanceParameters, knownFields, mergeValues, provisionActionOf } from './instance-values';

type RerunMode = ActionMode.Retry | ActionMode.Resume;

/**
 * Runs an instance's failed action again (retry: from its start; resume: from its failed step),
 * with the values it had and the ones the call gives. What ESC already holds is reused or replaced,
 * never made twice (the worker's FlowMoves). A terminate, an ESC operation run again as they were.
 */
@Injectable()
export class FailedActionRerun {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly services: ServiceRepository,
    private readonly preparation: FlowRunPreparation,
    private readonly starter: InstanceActionStarter,
    private readonly box: SecretBox,
  ) {}

  /** `turn`: a batch's retry, whose action waits for the batch to start it. */
  async start(tenantId: string, id: string, body: unknown, mode: RerunMode, turn?: BatchTurn) {
    const key = mode === ActionMode.Retry ? 'retry_details' : 'resume_details';
    const call = mode === ActionMode.Retry ? 'retry' : 'resume';
    knownFields(body, [key], 'body');
    const details = knownFields(bodyObject(body, key, false), ['is_partial', 'instance_parameters'], key);
    if (details.is_partial !== undefined && typeof details.is_partial !== 'boolean') throw DomainException.invalid(`${key}.is_partial: must be true or false`, { field: `${key}.is_partial` });
    if (details.is_partial === true) throw DomainException.invalid(`${key}.is_partial: true is not supported (as in CAM: a ${call} runs the whole failed action)`, { field: `${key}.is_partial` });
    const field = `${key}.instance_parameters`;
    const given = instanceParameters(details.instance_parameters, field);

    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    const current = instance.actions.find((a) => a.id === instance.currentActionInstanceId);
    // the last action if it failed; else, on an instance in Error, the run that put it there (a reboot since leaves the Status as it was)
    const failed =
      current?.status === ActionStatus.Failed
        ? current
        : instance.status === InstanceStatus.Error
          ? [...instance.actions].reverse().find((a) => a.status === ActionStatus.Failed && !(a.details as ActionDetails).keepsStatus)
          : undefined;
    if (!failed) {
      throw DomainException.conflict(`service instance '${instance.name}' has no failed action to ${call}: its last action ${current ? `'${current.name}' is ${current.status}` : 'is unknown'}`);
    }
    const was = failed.details as ActionDetails;
    const rerun = { rerunOf: failed.id };
    if (failed.type === ActionType.Terminate || was.mode === ActionMode.EscOperation) {
      if (Object.keys(given).length) throw DomainException.invalid(`${field}: ${failed.type === ActionType.Terminate ? 'a terminate' : 'an ESC operation'} takes no parameters`, { field });
      const terminate = failed.type === ActionType.Terminate;
      const started = await this.starter.start({
        tenantId,
        instanceId: id,
        action: { name: failed.name, type: failed.type, parameters: failed.parameters as Prisma.InputJsonValue, securedNames: failed.securedNames, secretsSealed: failed.secretsSealed, log: '', details: { ...was, ...rerun } as Prisma.InputJsonValue },
        status: terminate ? InstanceStatus.Terminating : InstanceStatus.InProgress,
        allowedFrom: [InstanceStatus.Active, InstanceStatus.Error],
        call,
        turn,
      });
      return { started, name: failed.name };
    }
    const version = await this.versionOf(tenantId, instance, was);
    const action = actionRunBy(failed, version);
    const newAction = await this.preparation.prepare({
      tenantId,
      instance,
      version,
      action,
      planName: (failed.parameters as unknown as Partial<ActionParameters>).plan_name ?? instance.plan,
      values: mergeValues(action, givenValues(failed, instance, this.box), given, field),
      parametersField: field,
      type: failed.type as ActionType,
      name: failed.name,
      details: { ...was, ...rerun, mode, scope: was.scope ?? (was.mode === ActionMode.Flow ? failed.id : undefined) },
    });
    // a failed custom flow left the instance Active: what is rerun is the failed action
    const started = await this.starter.start({ tenantId, instanceId: id, action: newAction, status: InstanceStatus.InProgress, allowedFrom: [InstanceStatus.Active, InstanceStatus.Error], call, turn });
    return { started, name: failed.name };
  }

  private async versionOf(tenantId: string, instance: InstanceDetails, was: ActionDetails): Promise<VersionWithService> {
    if (!was.serviceVersionId || was.serviceVersionId === instance.serviceVersionId) return instance.serviceVersion;
    const version = await this.services.findVersion(tenantId, was.serviceVersionId);
    if (!version) throw DomainException.conflict(`the service version the failed action ran (${was.serviceVersionId}) was deleted meanwhile`);
    return version;
  }
}

/** The version's action a failed run ran: a provision (or update) runs the version's provision action. */
function actionRunBy(failed: ActionInstance, version: VersionWithService): CamAction {
  const doc = version.document as unknown as CamServiceDocument;
  if (failed.type === ActionType.Provision || failed.type === ActionType.Update) return provisionActionOf(doc, flowActionName(failed));
  const action = doc.actions.find((a) => a.name === failed.name && a.type === failed.type);
  if (!action) throw DomainException.conflict(`service version '${version.version}' no longer has the ${failed.type} action '${failed.name}'`);
  return action;
}

import { Injectable } from '@nestjs/common';
import { CamServiceDocument } from '@cam-esc/catalog';
import { xmlValueProblem } from '@cam-esc/esc';
import { DomainException } from '@cam-esc/errors';
import { ESC_OPERATIONS, escOperationNamed, EscOperation } from '@cam-esc/flow';
import { ActionMode, ActionType, InstanceStatus } from '@cam-esc/instances';
import { InstanceDetails, InstanceRepository, Prisma } from '@cam-esc/persistence';
import { FlowRunPreparation } from '../lifecycle/flow-run-preparation';
import { InstanceActionStarter } from '../lifecycle/instance-action-starter';
import { bodyObject, instanceParameters, knownFields, mergeValues, requiredString } from '../lifecycle/instance-values';
import { hasEscDeployment } from './get-custom-actions.usecase';
import { quoted, startedAnswer } from './started-answer';

const FIELD = 'customDetails.instance_parameters';

/**
 * POST ServiceInstances/{id}/invokeCustomAction: runs one of getCustomActions' actions, a custom
 * flow of the version (its steps make their own resources) or a built-in ESC operation, with
 * customDetails.instance_parameters (the action's defaults otherwise).
 */
@Injectable()
export class InvokeCustomActionUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly preparation: FlowRunPreparation,
    private readonly starter: InstanceActionStarter,
  ) {}

  async execute(tenantId: string, id: string, body: unknown) {
    knownFields(body, ['customDetails'], 'body');
    const details = knownFields(bodyObject(body, 'customDetails'), ['serviceInstanceId', 'name', 'instance_parameters', 'currentCustomAction'], 'customDetails');
    const name = requiredString(details.currentCustomAction, 'customDetails.currentCustomAction', "the name of one of getCustomActions' actions (a name for the run goes in customDetails.name)");
    if (details.serviceInstanceId !== undefined && details.serviceInstanceId !== id) {
      throw DomainException.invalid(`customDetails.serviceInstanceId: '${quoted(details.serviceInstanceId)}' is not the instance of the path (${id})`, { field: 'customDetails.serviceInstanceId' });
    }
    if (details.name !== undefined && (typeof details.name !== 'string' || details.name.length > 255)) throw DomainException.invalid('customDetails.name: must be a string of at most 255 characters (a name for this run)', { field: 'customDetails.name' });
    const given = instanceParameters(details.instance_parameters, FIELD);
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    if (instance.status === InstanceStatus.Terminated) throw DomainException.conflict(`service instance '${instance.name}' is terminated`);
    const doc = instance.serviceVersion.document as unknown as CamServiceDocument;
    const custom = doc.actions.find((a) => a.type === ActionType.Custom && a.name === name);
    const runName = typeof details.name === 'string' && details.name ? details.name : undefined;
    if (custom) {
      const newAction = await this.preparation.prepare({
        tenantId,
        instance,
        version: instance.serviceVersion,
        action: custom,
        planName: instance.plan,
        values: mergeValues(custom, {}, given, FIELD),
        parametersField: FIELD,
        type: ActionType.Custom,
        name: custom.name,
        details: { mode: ActionMode.Flow, keepsStatus: true, ...(runName ? { runName } : {}) },
      });
      return startedAnswer(await this.start(tenantId, id, newAction), custom.name);
    }
    const operation = escOperationNamed(name);
    if (!operation) {
      const known = [...doc.actions.filter((a) => a.type === ActionType.Custom).map((a) => a.name), ...(hasEscDeployment(instance) ? ESC_OPERATIONS.map((o) => o.name) : [])];
      throw DomainException.invalid(`customDetails.currentCustomAction: '${name.slice(0, 100)}' is not a custom action of this instance (see getCustomActions: ${known.join(', ') || 'none'})`, { field: 'customDetails.currentCustomAction' });
    }
    if (!hasEscDeployment(instance)) throw DomainException.invalid(`customDetails.currentCustomAction: ${name} is an ESC operation and the instance has no active ESC deployment`, { field: 'customDetails.currentCustomAction' });
    const args = operationArguments(operation, given, instance);
    const started = await this.start(tenantId, id, {
      name: operation.name,
      type: ActionType.Custom,
      parameters: { input_parameters: given, plan_parameters: {}, plan: [] } as unknown as Prisma.InputJsonValue,
      securedNames: [],
      log: '',
      details: { mode: ActionMode.EscOperation, keepsStatus: true, escOperation: { operation: operation.name, ...args }, ...(runName ? { runName } : {}) } as unknown as Prisma.InputJsonValue,
    });
    return startedAnswer(started, operation.name);
  }

  private start(tenantId: string, id: string, action: Parameters<InstanceActionStarter['start']>[0]['action']) {
    // an operator may reboot or recover the VMs of an instance whose last run failed
    return this.starter.start({ tenantId, instanceId: id, action, status: InstanceStatus.InProgress, allowedFrom: [InstanceStatus.Active, InstanceStatus.Error], call: 'invokeCustomAction' });
  }
}

/** An ESC operation's values: its VM (one of the instance's) and a snapshot's name; nothing else. */
function operationArguments(operation: EscOperation, given: Record<string, unknown>, instance: InstanceDetails): { vmName?: string; snapshotName?: string } {
  const takes = new Set(operation.inputParameters.map((p) => p.name));
  const unknown = Object.keys(given).find((k) => !takes.has(k));
  if (unknown) throw DomainException.invalid(`${FIELD}.${unknown}: ${operation.name} takes ${[...takes].join(', ') || 'no parameters'}`, { field: `${FIELD}.${unknown}` });
  if (operation.scope === 'service') return {};
  const vmName = given.vm_name;
  const vms = instance.escResources.flatMap((r) => (r.kind === 'deployment' ? r.vms.filter((vm) => vm.stage !== 'VM_UNDEPLOYED').map((vm) => vm.vmName) : []));
  requiredString(vmName, `${FIELD}.vm_name`, `the VM to ${operation.name} (the instance's VMs: ${vms.join(', ') || 'none'})`);
  if (!vms.includes(vmName as string)) throw DomainException.invalid(`${FIELD}.vm_name: '${(vmName as string).slice(0, 100)}' is not a VM of the instance (its VMs: ${vms.join(', ') || 'none'})`, { field: `${FIELD}.vm_name` });
  if (!takes.has('snapshot_name')) return { vmName: vmName as string };
  const snapshotName = given.snapshot_name;
  if (typeof snapshotName !== 'string' || !snapshotName.trim() || snapshotName.length > 255) {
    throw DomainException.invalid(`${FIELD}.snapshot_name: is required: a name of 1 to 255 characters for the snapshot`, { field: `${FIELD}.snapshot_name` });
  }
  const problem = xmlValueProblem(snapshotName);
  if (problem) throw DomainException.invalid(`${FIELD}.snapshot_name: ${problem}`, { field: `${FIELD}.snapshot_name` });
  return { vmName: vmName as string, snapshotName };
}

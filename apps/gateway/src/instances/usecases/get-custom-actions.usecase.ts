import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ESC_OPERATIONS, EscOperation } from '@cam-esc/flow';
import { ActionType, EscResourceStatus, PROVISION_SCOPE } from '@cam-esc/instances';
import { InstanceDetails, InstanceRepository } from '@cam-esc/persistence';
import { documentOf } from '../../catalog/service.view';

/**
 * GET ServiceInstances/{id}/getCustomActions: the version's actions of type `custom`, then the
 * built-in ESC operations every instance with an ESC deployment has (on the whole deployment, or on
 * one VM: stop, start, reboot, monitoring, recovery, snapshot). A custom action of the version with
 * a built-in's name hides the built-in.
 */
@Injectable()
export class GetCustomActionsUseCase {
  constructor(private readonly instances: InstanceRepository) {}

  async execute(tenantId: string, id: string) {
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    // secured (and, for a requester, hidden) defaults masked, as the version itself is shown
    const doc = documentOf(instance.serviceVersion, instance.serviceVersion.service, { forRequester: true });
    const custom = doc.actions.filter((a) => a.type === ActionType.Custom).map((a) => ({ pre_or_post: false, ...a }));
    const names = new Set(custom.map((a) => a.name));
    const builtIn = hasEscDeployment(instance) ? ESC_OPERATIONS.filter((o) => !names.has(o.name)).map((o) => toCustomAction(o, instance)) : [];
    return { customActions: [...custom, ...builtIn] };
  }
}

export function hasEscDeployment(instance: Pick<InstanceDetails, 'escResources'>): boolean {
  return instance.escResources.some((r) => r.scope === PROVISION_SCOPE && r.kind === 'deployment' && r.status === EscResourceStatus.Active);
}

/** A built-in ESC operation as getCustomActions lists it: a custom action with no flow, run by the gateway on ESC. */
function toCustomAction(o: EscOperation, instance: InstanceDetails) {
  const vms = instance.escResources.flatMap((r) => (r.kind === 'deployment' && r.status === EscResourceStatus.Active ? r.vms.filter((vm) => vm.stage !== 'VM_UNDEPLOYED').map((vm) => vm.vmName) : []));
  return {
    type: 'custom',
    name: o.name,
    description: o.description,
    pre_or_post: false,
    builtin: true,
    esc_operation: { scope: o.scope, request: o.requestName },
    input_parameters: o.inputParameters.map((p) => (p.name === 'vm_name' ? { ...p, options: vms.map((v) => ({ value: v, label: v })) } : p)),
    flow: { conditions: [], templates: [], resthooks: [], notifications: [], sequence: {}, error_sequence: {} },
    output_parameters: [],
  };
}

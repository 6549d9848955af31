import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { CallbackTarget } from '../../callbacks/callback-sender';
import { OperationContext, OperationRunner } from '../../common/operation-runner';
import { SimDeployment, SimVm } from '../deployment.model';
import { DeploymentStore } from '../deployment-store';
import { VmOperationLifecycle } from '../operations/vm-operation-lifecycle';
import { ResourceFactory } from '../resource-factory';
import { DeploymentEventLifecycle } from './deployment-event-lifecycle';
import { eventsUrl } from './events-url';
import { SimEvent, SimEventError, parseSimEvent } from './sim-event.parser';

/** The answer of POST /_sim/deployments/{id}/events. */
export interface TriggeredEvent {
  /** The notifications, in order (deployment_stage or event_type). */
  sent: string[];
  /** The VM the event is about (for SCALE_OUT, the new one). */
  vm_name: string;
  /** Where they go: the deployment's Callback-ESC-Events, else its Callback; null: nowhere. */
  url: string | null;
}

type Run = (target: CallbackTarget, context: OperationContext) => Promise<void>;

/**
 * Makes ESC "see" a VM event outside any request: validates it (404, 400; 409 while the
 * deployment deploys, undeploys or runs an operation, so the event applies to a settled
 * deployment) and runs it on the deployment's queue.
 */
@Injectable()
export class DeploymentEventsService {
  constructor(
    private readonly store: DeploymentStore,
    private readonly factory: ResourceFactory,
    private readonly runner: OperationRunner,
    private readonly lifecycle: DeploymentEventLifecycle,
    private readonly vmLifecycle: VmOperationLifecycle,
  ) {}

  trigger(internalId: string, body: unknown): TriggeredEvent {
    const deployment = this.store.get(internalId);
    if (!deployment) throw new NotFoundException(`Deployment ${internalId} not found`);
    const event = simEvent(body);
    this.assertSettled(deployment);

    const { vm, sent, run } = this.plan(deployment, event);
    const url = eventsUrl(deployment);
    this.runner.enqueue(internalId, `event ${event.event} ${vm.name}`, (context) => run(url ? { callbackUrl: url } : {}, context));
    return { sent, vm_name: vm.name, url: url ?? null };
  }

  private plan(deployment: SimDeployment, event: SimEvent): { vm: SimVm; sent: string[]; run: Run } {
    switch (event.event) {
      case 'VM_DOWN': {
        const vm = this.vm(deployment, event.vmName ?? this.firstVm(deployment).name);
        return { vm, sent: ['VM_DOWN'], run: (target, context) => this.lifecycle.vmDown(deployment, vm, target, context) };
      }
      case 'VM_ALIVE': {
        const vm = this.vm(deployment, event.vmName ?? this.firstVm(deployment).name);
        return { vm, sent: ['VM_ALIVE'], run: (target, context) => this.lifecycle.vmAlive(deployment, vm, target, context) };
      }
      case 'VM_RECOVERY': {
        const vm = this.vm(deployment, event.vmName ?? this.firstVm(deployment).name);
        const sent = ['VM_RECOVERY_INIT', 'VM_RECOVERY_UNDEPLOYED', 'VM_RECOVERY_DEPLOYED', 'VM_RECOVERY_COMPLETE'];
        return { vm, sent, run: (target, context) => this.vmLifecycle.recover(deployment, vm, target, context) };
      }
      case 'SCALE_OUT': {
        const group = deployment.spec.vmGroups[0];
        const index = Math.max(-1, ...deployment.vms.filter((vm) => vm.groupName === group.name).map((vm) => vm.index)) + 1;
        const vm = this.factory.vm(deployment.name, group, index);
        return { vm, sent: ['VM_SCALE_OUT_DEPLOYED', 'VM_ALIVE'], run: (target, context) => this.lifecycle.scaleOut(deployment, vm, target, context) };
      }
      case 'SCALE_IN': {
        const vm = event.vmName ? this.vm(deployment, event.vmName) : this.lastOfFirstGroup(deployment);
        this.assertAboveMinActive(deployment, vm);
        return { vm, sent: ['VM_UNDEPLOYED'], run: (target, context) => this.lifecycle.scaleIn(deployment, vm, target, context) };
      }
    }
  }

  private assertSettled(deployment: SimDeployment): void {
    if (deployment.state === 'SERVICE_DEPLOYING_STATE' || deployment.undeployRequested || this.runner.isBusy(deployment.internalId)) {
      throw new ConflictException(
        `Deployment ${deployment.internalId} has an operation in progress (${deployment.state}); send the event when it ends`,
      );
    }
  }

  private vm(deployment: SimDeployment, vmName: string): SimVm {
    const vm = deployment.vms.find((candidate) => candidate.name === vmName);
    if (!vm) throw new NotFoundException(`VM ${vmName} not found in deployment ${deployment.internalId}`);
    return vm;
  }

  private firstVm(deployment: SimDeployment): SimVm {
    const vm = deployment.vms[0];
    if (!vm) throw new ConflictException(`Deployment ${deployment.internalId} has no VM`);
    return vm;
  }

  /** The VM SCALE_OUT would have added last: the highest index of the first vm_group. */
  private lastOfFirstGroup(deployment: SimDeployment): SimVm {
    const group = deployment.spec.vmGroups[0].name;
    const vms = deployment.vms.filter((vm) => vm.groupName === group).sort((a, b) => a.index - b.index);
    const vm = vms[vms.length - 1];
    if (!vm) throw new ConflictException(`Deployment ${deployment.internalId} has no VM in vm_group ${group}`);
    return vm;
  }

  /** ESC never scales a group below its min_active. */
  private assertAboveMinActive(deployment: SimDeployment, vm: SimVm): void {
    const group = deployment.spec.vmGroups.find((candidate) => candidate.name === vm.groupName);
    const count = deployment.vms.filter((candidate) => candidate.groupName === vm.groupName).length;
    if (group && count <= group.minActive) {
      throw new ConflictException(
        `Cannot scale in vm_group ${group.name} of deployment ${deployment.internalId}: it has ${count} VM(s), min_active is ${group.minActive}`,
      );
    }
  }
}

function simEvent(body: unknown): SimEvent {
  try {
    return parseSimEvent(body);
  } catch (error) {
    if (error instanceof SimEventError) throw new BadRequestException(error.message);
    throw error;
  }
}

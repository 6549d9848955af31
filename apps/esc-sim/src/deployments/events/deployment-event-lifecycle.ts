import { Injectable } from '@nestjs/common';
import { CallbackSender, CallbackTarget } from '../../callbacks/callback-sender';
import { OperationContext } from '../../common/operation-runner';
import { SimDeployment, SimVm } from '../deployment.model';
import { DeploymentStage, deploymentNotificationXml } from '../xml/deployment-notification.xml';

// VM_ALIVE's message is the reference's (deploy example); the others are the simulator's own.
const MESSAGES = {
  vmDown: (vm: SimVm) => `VM_Down event received, VM ID: [${vm.name}]`,
  vmAlive: (vm: SimVm) => `VM_Alive event received, VM ID: [${vm.name}]`,
  vmScaledOut: 'VM Deployed',
  vmScaledIn: 'VM Undeployed',
};

/**
 * The asynchronous half of the events ESC sees on its own: <deployment> notifications carrying
 * the VM, to the deployment's events URL and without a transaction id (they answer no request),
 * each after the configured pause. The service state is left as it is.
 */
@Injectable()
export class DeploymentEventLifecycle {
  constructor(private readonly sender: CallbackSender) {}

  async vmDown(deployment: SimDeployment, vm: SimVm, target: CallbackTarget, context: OperationContext): Promise<void> {
    await context.pause();
    vm.state = 'VM_ERROR_STATE';
    await this.report(deployment, vm, 'VM_DOWN', MESSAGES.vmDown(vm), target, context);
  }

  async vmAlive(deployment: SimDeployment, vm: SimVm, target: CallbackTarget, context: OperationContext): Promise<void> {
    await context.pause();
    vm.state = 'VM_ALIVE_STATE';
    await this.report(deployment, vm, 'VM_ALIVE', MESSAGES.vmAlive(vm), target, context);
  }

  /** VM_SCALE_OUT_DEPLOYED, then VM_ALIVE, for a VM new to the deployment. */
  async scaleOut(deployment: SimDeployment, vm: SimVm, target: CallbackTarget, context: OperationContext): Promise<void> {
    await context.pause();
    vm.state = 'VM_INSERT_STATE';
    deployment.vms.push(vm);
    await this.report(deployment, vm, 'VM_SCALE_OUT_DEPLOYED', MESSAGES.vmScaledOut, target, context);

    await context.pause();
    vm.state = 'VM_ALIVE_STATE';
    await this.report(deployment, vm, 'VM_ALIVE', MESSAGES.vmAlive(vm), target, context);
  }

  /** VM_UNDEPLOYED for the VM taken out of the deployment. */
  async scaleIn(deployment: SimDeployment, vm: SimVm, target: CallbackTarget, context: OperationContext): Promise<void> {
    await context.pause();
    vm.state = 'VM_UNDEPLOYED_STATE';
    deployment.vms = deployment.vms.filter((candidate) => candidate !== vm);
    await this.report(deployment, vm, 'VM_UNDEPLOYED', MESSAGES.vmScaledIn, target, context);
  }

  private report(
    deployment: SimDeployment,
    vm: SimVm,
    stage: DeploymentStage,
    message: string,
    target: CallbackTarget,
    context: OperationContext,
  ): Promise<void> {
    const body = deploymentNotificationXml(deployment, { stage, serviceState: deployment.state, vm });
    return this.sender.report(target, 200, message, body, context.signal);
  }
}

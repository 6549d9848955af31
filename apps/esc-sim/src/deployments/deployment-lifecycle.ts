import { Injectable } from '@nestjs/common';
import { CallbackSender } from '../callbacks/callback-sender';
import { SimDeployment, SimVm } from './deployment.model';
import { DeploymentStore } from './deployment-store';
import { OperationContext } from './operation-runner';
import { UpdatePlan } from './update-plan';
import { DeploymentNotification, deploymentNotificationXml } from './xml/deployment-notification.xml';

/** One accepted POST/PUT/DELETE: where its callbacks go and how they are tagged. */
export interface OperationRequest {
  transactionId: string;
  callbackUrl?: string;
  /** From a fault rule: the final service callback reports this failure instead of success. */
  failure?: { statusCode: number; message: string };
}

interface Status {
  code: number;
  message: string;
}

const ok = (message: string): Status => ({ code: 200, message });

// Status messages and state names follow the reference's callback examples, including the
// service state of VM_ALIVE during a deploy (SERVICE_INERT_STATE) and during an update
// (SERVICE_INSERT_STATE). The undeploy ones are not in the reference and are made up.
const MESSAGES = {
  vmDeployed: 'VM Deployed',
  vmAlive: (vm: SimVm) => `VM_Alive event received, VM ID: [${vm.name}]`,
  vmUpdated: (vm: SimVm) => `VM has been updated successfully. vm: VM ID: [${vm.name}]`,
  vmUndeployed: 'VM Undeployed',
  serviceAlive: 'Service group deployment completed successfully!',
  serviceUpdated: 'Service group update completed successfully',
  serviceUndeployed: 'Service group undeployment completed successfully',
};

/**
 * The asynchronous half of the deployment operations: state changes, each announced by a
 * callback, with the configured pause before every callback.
 */
@Injectable()
export class DeploymentLifecycle {
  constructor(
    private readonly store: DeploymentStore,
    private readonly sender: CallbackSender,
  ) {}

  /** VM_DEPLOYED + VM_ALIVE per VM, then SERVICE_ALIVE. */
  async deploy(deployment: SimDeployment, vms: SimVm[], request: OperationRequest, context: OperationContext): Promise<void> {
    for (const vm of vms) {
      await context.pause();
      vm.state = 'VM_INSERT_STATE';
      deployment.vms.push(vm);
      await this.notify(context, deployment, request, { stage: 'VM_DEPLOYED', serviceState: 'SERVICE_DEPLOYING_STATE', vm }, ok(MESSAGES.vmDeployed));
      if (request.failure) continue;

      await context.pause();
      vm.state = 'VM_ALIVE_STATE';
      await this.notify(context, deployment, request, { stage: 'VM_ALIVE', serviceState: 'SERVICE_INERT_STATE', vm }, ok(MESSAGES.vmAlive(vm)));
    }

    await context.pause();
    if (request.failure) {
      deployment.vms.forEach((vm) => (vm.state = 'VM_ERROR_STATE'));
      deployment.state = 'SERVICE_ERROR_STATE';
      await this.notifyFailure(context, deployment, request, 'SERVICE_ALIVE');
      return;
    }
    deployment.state = 'SERVICE_ACTIVE_STATE';
    await this.notify(context, deployment, request, { stage: 'SERVICE_ALIVE', serviceState: 'SERVICE_ACTIVE_STATE' }, ok(MESSAGES.serviceAlive));
  }

  /** New VMs deploy (VM_DEPLOYED, VM_ALIVE), changed ones VM_UPDATED, dropped ones VM_UNDEPLOYED, then SERVICE_UPDATED. */
  async update(deployment: SimDeployment, plan: UpdatePlan, request: OperationRequest, context: OperationContext): Promise<void> {
    deployment.state = 'SERVICE_UPDATING_STATE';
    if (request.failure) {
      // The update is refused as a whole: the deployment keeps its VMs and datamodel.
      await context.pause();
      deployment.state = 'SERVICE_ERROR_STATE';
      await this.notifyFailure(context, deployment, request, 'SERVICE_UPDATED');
      return;
    }

    for (const vm of plan.added) {
      await context.pause();
      vm.state = 'VM_INSERT_STATE';
      deployment.vms.push(vm);
      await this.notify(context, deployment, request, { stage: 'VM_DEPLOYED', serviceState: 'SERVICE_DEPLOYING_STATE', vm }, ok(MESSAGES.vmDeployed));

      await context.pause();
      vm.state = 'VM_ALIVE_STATE';
      await this.notify(context, deployment, request, { stage: 'VM_ALIVE', serviceState: 'SERVICE_INSERT_STATE', vm }, ok(MESSAGES.vmAlive(vm)));
    }
    for (const { vm, interfaces } of plan.updated) {
      await context.pause();
      vm.interfaces = interfaces;
      await this.notify(context, deployment, request, { stage: 'VM_UPDATED', serviceState: 'SERVICE_UPDATING_STATE', vm }, ok(MESSAGES.vmUpdated(vm)));
    }
    for (const vm of plan.removed) {
      await context.pause();
      this.undeployVm(deployment, vm);
      await this.notify(context, deployment, request, { stage: 'VM_UNDEPLOYED', serviceState: 'SERVICE_UPDATING_STATE', vm }, ok(MESSAGES.vmUndeployed));
    }

    await context.pause();
    deployment.spec = plan.spec;
    deployment.state = 'SERVICE_ACTIVE_STATE';
    await this.notify(context, deployment, request, { stage: 'SERVICE_UPDATED', serviceState: 'SERVICE_ACTIVE_STATE' }, ok(MESSAGES.serviceUpdated));
  }

  /** VM_UNDEPLOYED per VM, then SERVICE_UNDEPLOYED; the deployment is gone once that is sent. */
  async undeploy(deployment: SimDeployment, request: OperationRequest, context: OperationContext): Promise<void> {
    deployment.state = 'SERVICE_UNDEPLOYING_STATE';
    if (request.failure) {
      // Nothing was torn down: the deployment stays (in error) and can be deleted again.
      await context.pause();
      deployment.state = 'SERVICE_ERROR_STATE';
      deployment.undeployRequested = false;
      await this.notifyFailure(context, deployment, request, 'SERVICE_UNDEPLOYED');
      return;
    }

    for (const vm of [...deployment.vms]) {
      await context.pause();
      this.undeployVm(deployment, vm);
      await this.notify(context, deployment, request, { stage: 'VM_UNDEPLOYED', serviceState: 'SERVICE_UNDEPLOYING_STATE', vm }, ok(MESSAGES.vmUndeployed));
    }

    await context.pause();
    this.store.remove(deployment.internalId);
    await this.notify(context, deployment, request, { stage: 'SERVICE_UNDEPLOYED', serviceState: 'SERVICE_UNDEPLOYING_STATE' }, ok(MESSAGES.serviceUndeployed));
  }

  private undeployVm(deployment: SimDeployment, vm: SimVm): void {
    vm.state = 'VM_UNDEPLOYED_STATE';
    deployment.vms = deployment.vms.filter((candidate) => candidate !== vm);
  }

  private notifyFailure(
    context: OperationContext,
    deployment: SimDeployment,
    request: OperationRequest,
    stage: DeploymentNotification['stage'],
  ): Promise<void> {
    const { statusCode, message } = request.failure!;
    return this.notify(context, deployment, request, { stage, serviceState: 'SERVICE_ERROR_STATE' }, { code: statusCode, message });
  }

  /** The body is rendered now, so it shows the state as of this step. */
  private async notify(
    context: OperationContext,
    deployment: SimDeployment,
    request: OperationRequest,
    notification: DeploymentNotification,
    status: Status,
  ): Promise<void> {
    if (!request.callbackUrl) return;
    await this.sender.send(
      {
        url: request.callbackUrl,
        transactionId: request.transactionId,
        statusCode: status.code,
        statusMessage: status.message,
        body: deploymentNotificationXml(deployment, notification),
      },
      context.signal,
    );
  }
}

import { Injectable } from '@nestjs/common';
import { CallbackSender } from '../callbacks/callback-sender';
import { ServiceState, SimDeployment, SimVm } from './deployment.model';
import { DeploymentStore } from './deployment-store';
import { OperationContext, OperationRequest } from '../common/operation-runner';
import { UpdatePlan } from './update-plan';
import { DeploymentStage, deploymentNotificationXml } from './xml/deployment-notification.xml';

// Messages and states follow the reference's callback examples, including the service state
// sent with VM_ALIVE: SERVICE_INERT_STATE during a deploy, SERVICE_INSERT_STATE during an
// update. The reference has no undeploy example; those values are the simulator's own.
const MESSAGES = {
  vmDeployed: 'VM Deployed',
  vmAlive: (vm: SimVm) => `VM_Alive event received, VM ID: [${vm.name}]`,
  vmUpdated: (vm: SimVm) => `VM has been updated successfully. vm: VM ID: [${vm.name}]`,
  vmUndeployed: 'VM Undeployed',
  serviceAlive: 'Service group deployment completed successfully!',
  serviceUpdated: 'Service group update completed successfully',
  serviceUndeployed: 'Service group undeployment completed successfully',
};

/** Sends the callbacks of one operation; bodies are rendered at once, so they show the state as of that step. */
interface Reporter {
  vm(stage: DeploymentStage, serviceState: ServiceState, vm: SimVm, message: string): Promise<void>;
  service(stage: DeploymentStage, serviceState: ServiceState, message: string): Promise<void>;
  /** The final service callback carrying the fault rule's status code and message. */
  failure(stage: DeploymentStage): Promise<void>;
}

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

  /** VM_DEPLOYED + VM_ALIVE per VM, then SERVICE_ALIVE (after VM_DEPLOYED only, when failing). */
  async deploy(deployment: SimDeployment, vms: SimVm[], request: OperationRequest, context: OperationContext): Promise<void> {
    const report = this.reporter(deployment, request, context);
    for (const vm of vms) {
      await context.pause();
      vm.state = 'VM_INSERT_STATE';
      deployment.vms.push(vm);
      await report.vm('VM_DEPLOYED', 'SERVICE_DEPLOYING_STATE', vm, MESSAGES.vmDeployed);
      if (request.failure) continue;

      await context.pause();
      vm.state = 'VM_ALIVE_STATE';
      await report.vm('VM_ALIVE', 'SERVICE_INERT_STATE', vm, MESSAGES.vmAlive(vm));
    }

    await context.pause();
    if (request.failure) {
      deployment.vms.forEach((vm) => (vm.state = 'VM_ERROR_STATE'));
      deployment.state = 'SERVICE_ERROR_STATE';
      await report.failure('SERVICE_ALIVE');
      return;
    }
    deployment.state = 'SERVICE_ACTIVE_STATE';
    await report.service('SERVICE_ALIVE', 'SERVICE_ACTIVE_STATE', MESSAGES.serviceAlive);
  }

  /** Added VMs deploy, changed ones VM_UPDATED, dropped ones VM_UNDEPLOYED, then SERVICE_UPDATED. */
  async update(deployment: SimDeployment, plan: UpdatePlan, request: OperationRequest, context: OperationContext): Promise<void> {
    const report = this.reporter(deployment, request, context);
    deployment.state = 'SERVICE_UPDATING_STATE';
    if (request.failure) {
      // Refused as a whole: the deployment keeps its VMs and datamodel.
      await context.pause();
      deployment.state = 'SERVICE_ERROR_STATE';
      await report.failure('SERVICE_UPDATED');
      return;
    }

    for (const vm of plan.added) {
      await context.pause();
      vm.state = 'VM_INSERT_STATE';
      deployment.vms.push(vm);
      await report.vm('VM_DEPLOYED', 'SERVICE_DEPLOYING_STATE', vm, MESSAGES.vmDeployed);

      await context.pause();
      vm.state = 'VM_ALIVE_STATE';
      await report.vm('VM_ALIVE', 'SERVICE_INSERT_STATE', vm, MESSAGES.vmAlive(vm));
    }
    for (const { vm, interfaces } of plan.updated) {
      await context.pause();
      vm.interfaces = interfaces;
      await report.vm('VM_UPDATED', 'SERVICE_UPDATING_STATE', vm, MESSAGES.vmUpdated(vm));
    }
    for (const vm of plan.removed) {
      await context.pause();
      removeVm(deployment, vm);
      await report.vm('VM_UNDEPLOYED', 'SERVICE_UPDATING_STATE', vm, MESSAGES.vmUndeployed);
    }

    await context.pause();
    deployment.spec = plan.spec;
    deployment.state = 'SERVICE_ACTIVE_STATE';
    await report.service('SERVICE_UPDATED', 'SERVICE_ACTIVE_STATE', MESSAGES.serviceUpdated);
  }

  /** VM_UNDEPLOYED per VM, then SERVICE_UNDEPLOYED; the deployment is gone from then on. */
  async undeploy(deployment: SimDeployment, request: OperationRequest, context: OperationContext): Promise<void> {
    const report = this.reporter(deployment, request, context);
    deployment.state = 'SERVICE_UNDEPLOYING_STATE';
    if (request.failure) {
      // Nothing was torn down: the deployment stays, in error, and can be deleted again.
      await context.pause();
      deployment.state = 'SERVICE_ERROR_STATE';
      deployment.undeployRequested = false;
      await report.failure('SERVICE_UNDEPLOYED');
      return;
    }

    for (const vm of [...deployment.vms]) {
      await context.pause();
      removeVm(deployment, vm);
      await report.vm('VM_UNDEPLOYED', 'SERVICE_UNDEPLOYING_STATE', vm, MESSAGES.vmUndeployed);
    }

    await context.pause();
    this.store.remove(deployment.internalId);
    await report.service('SERVICE_UNDEPLOYED', 'SERVICE_UNDEPLOYING_STATE', MESSAGES.serviceUndeployed);
  }

  private reporter(deployment: SimDeployment, request: OperationRequest, context: OperationContext): Reporter {
    const send = async (
      notification: { stage: DeploymentStage; serviceState: ServiceState; vm?: SimVm },
      statusCode: number,
      statusMessage: string,
    ): Promise<void> => {
      const body = deploymentNotificationXml(deployment, notification);
      await this.sender.report(request, statusCode, statusMessage, body, context.signal);
    };
    return {
      vm: (stage, serviceState, vm, message) => send({ stage, serviceState, vm }, 200, message),
      service: (stage, serviceState, message) => send({ stage, serviceState }, 200, message),
      failure: (stage) => {
        const { statusCode, message } = request.failure!;
        return send({ stage, serviceState: 'SERVICE_ERROR_STATE' }, statusCode, message);
      },
    };
  }
}

function removeVm(deployment: SimDeployment, vm: SimVm): void {
  vm.state = 'VM_UNDEPLOYED_STATE';
  deployment.vms = deployment.vms.filter((candidate) => candidate !== vm);
}

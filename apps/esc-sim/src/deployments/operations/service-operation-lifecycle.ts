import { Injectable } from '@nestjs/common';
import { CallbackSender } from '../../callbacks/callback-sender';
import { OperationContext, OperationRequest } from '../../common/operation-runner';
import { SimDeployment } from '../deployment.model';
import { DeploymentNotification, deploymentNotificationXml } from '../xml/deployment-notification.xml';
import { ServiceOperationKind } from './operation-kinds';

/**
 * The asynchronous half of "07-Deployment Operations": one VM_* callback per VM, then the
 * SERVICE_* one, each after the configured pause. The service state a callback reports is the
 * deployment's from that callback on (the reference's first VM_STOPPED already says
 * SERVICE_STOPPED_STATE).
 */
@Injectable()
export class ServiceOperationLifecycle {
  constructor(private readonly sender: CallbackSender) {}

  async run(deployment: SimDeployment, kind: ServiceOperationKind, request: OperationRequest, context: OperationContext): Promise<void> {
    const send = (notification: DeploymentNotification, statusCode: number, message: string): Promise<void> =>
      this.sender.report(request, statusCode, message, deploymentNotificationXml(deployment, notification), context.signal);

    if (request.failure) {
      // Refused as a whole, like a failed update: the VMs stay as they were.
      await context.pause();
      deployment.state = 'SERVICE_ERROR_STATE';
      const { statusCode, message } = request.failure;
      await send({ stage: kind.serviceStage, serviceState: deployment.state, vms: deployment.vms }, statusCode, message);
      return;
    }

    const serviceState = kind.serviceState ?? deployment.state;
    for (const vm of [...deployment.vms]) {
      await context.pause();
      if (kind.vmState) vm.state = kind.vmState;
      deployment.state = serviceState;
      await send({ stage: kind.vmStage, serviceState, vm }, 200, kind.vmMessage);
    }
    await context.pause();
    deployment.state = serviceState;
    await send({ stage: kind.serviceStage, serviceState, vms: deployment.vms }, 200, kind.serviceMessage);
  }
}

import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AcceptedRequest, CallbackUrls, EscRequestHeaders, acceptedRequest, assertXmlBody, callbackUrls } from '../../common/esc-request';
import { AcceptedOperation, acceptedXml } from '../../common/esc-xml';
import { OperationContext, OperationRequest, OperationRunner } from '../../common/operation-runner';
import { FaultOperation, FaultTarget } from '../../faults/fault-rule';
import { FaultsService } from '../../faults/faults.service';
import { ResourceStore } from '../../resources/resource-store';
import { SimDeployment, SimVm } from '../deployment.model';
import { DeploymentStore } from '../deployment-store';
import { eventsUrl } from '../events/events-url';
import {
  OperationBodyError,
  parseRecoveryOperation,
  parseServiceOperation,
  parseSnapshotOperation,
  parseVmOperation,
} from './operation-body.parser';
import { SERVICE_OPERATIONS, VM_OPERATIONS } from './operation-kinds';
import { ServiceOperationLifecycle } from './service-operation-lifecycle';
import { VmOperationLifecycle } from './vm-operation-lifecycle';

/** A VM as a request path names it, with its deployment. */
interface VmRef {
  deployment: SimDeployment;
  vm: SimVm;
}

/**
 * The synchronous half of "07-Deployment Operations" and "08-VM Operations", in the order of the
 * deployment API: 404, then the request itself (400), fault rules, then the deployment's state
 * (400 while it deploys or undeploys, 409 while another operation runs, 400 when the operation
 * does not apply to its state). The callbacks are left to the runner, on the deployment's queue.
 */
@Injectable()
export class DeploymentOperationsService {
  constructor(
    private readonly store: DeploymentStore,
    private readonly resources: ResourceStore,
    private readonly runner: OperationRunner,
    private readonly faults: FaultsService,
    private readonly serviceLifecycle: ServiceOperationLifecycle,
    private readonly vmLifecycle: VmOperationLifecycle,
  ) {}

  serviceOperation(tenantId: string, deploymentId: string, body: unknown, headers: EscRequestHeaders): AcceptedRequest {
    const deployment = this.deploymentOf(tenantId, deploymentId);
    const urls = requiredCallback(headers);
    const operation = readBody(headers, () => parseServiceOperation(body));
    const target = faultTarget(deployment);
    this.faults.assertNoResponseFault('service_operation', target);

    const kind = SERVICE_OPERATIONS[operation];
    this.assertReady(deployment);
    const reason = kind.notApplicable[deployment.state];
    if (reason) throw notApplicable(`Deployment operation ${operation} on ${deployment.internalId}`, reason);

    const subject = { internal_tenant_id: tenantId, internal_deployment_id: deployment.internalId, deployment_name: deployment.name };
    return this.start('service_operation', operation, deployment, target, urls, urls.callbackUrl, subject, (request, context) =>
      this.serviceLifecycle.run(deployment, kind, request, context),
    );
  }

  vmOperation(tenantId: string, vmName: string, body: unknown, headers: EscRequestHeaders): AcceptedRequest {
    const { deployment, vm } = this.vmOf(tenantId, vmName);
    const urls = requiredCallback(headers);
    const operation = readBody(headers, () => parseVmOperation(body));
    const target = faultTarget(deployment, vm);
    this.faults.assertNoResponseFault('vm_operation', target);

    const kind = VM_OPERATIONS[operation];
    this.assertReady(deployment);
    const reason = kind.notApplicable[vm.state];
    if (reason) throw notApplicable(`VM operation ${operation} on VM ${vm.name}`, reason);

    const subject = vmSubject(tenantId, deployment, vm);
    return this.start('vm_operation', operation, deployment, target, urls, urls.callbackUrl, subject, (request, context) =>
      this.vmLifecycle.operate(deployment, vm, kind, request, context),
    );
  }

  /**
   * Callback is optional here (as the reference marks it): the callbacks go to Callback, else to
   * Callback-ESC-Events, else to the deployment's events URL (see eventsUrl).
   */
  recovery(tenantId: string, vmName: string, body: unknown, headers: EscRequestHeaders): AcceptedRequest {
    const { deployment, vm } = this.vmOf(tenantId, vmName);
    const urls = callbackUrls(headers);
    const { checkVmBeforeRecovery } = readBody(headers, () => parseRecoveryOperation(body));
    const target = faultTarget(deployment, vm);
    this.faults.assertNoResponseFault('recovery', target);

    this.assertReady(deployment);
    if (checkVmBeforeRecovery && vm.state === 'VM_ALIVE_STATE') {
      throw notApplicable(`Recovery of VM ${vm.name}`, 'it is alive (checkVmBeforeRecovery is true)');
    }

    const callbackUrl = urls.callbackUrl ?? urls.eventsCallbackUrl ?? eventsUrl(deployment);
    const subject = vmSubject(tenantId, deployment, vm);
    return this.start('recovery', 'recovery_do', deployment, target, urls, callbackUrl, subject, (request, context) =>
      this.vmLifecycle.recover(deployment, vm, request, context),
    );
  }

  snapshot(tenantId: string, vmName: string, body: unknown, headers: EscRequestHeaders): AcceptedRequest {
    const { deployment, vm } = this.vmOf(tenantId, vmName);
    const urls = requiredCallback(headers);
    const { name } = readBody(headers, () => parseSnapshotOperation(body));
    const target = faultTarget(deployment, vm);
    this.faults.assertNoResponseFault('snapshot', target);

    this.assertReady(deployment);
    const subject = { ...vmSubject(tenantId, deployment, vm), snapshot_name: name };
    return this.start('snapshot', 'snapshot', deployment, target, urls, urls.callbackUrl, subject, (request, context) =>
      this.vmLifecycle.snapshot(deployment, vm, name, request, context),
    );
  }

  /** The request's callback headers are remembered on the deployment; its callbacks go to callbackUrl. */
  private start(
    faultOperation: FaultOperation,
    operation: AcceptedOperation,
    deployment: SimDeployment,
    target: FaultTarget,
    headerUrls: CallbackUrls,
    callbackUrl: string | undefined,
    subject: Record<string, string>,
    run: (request: OperationRequest, context: OperationContext) => Promise<void>,
  ): AcceptedRequest {
    Object.assign(deployment, headerUrls);
    const request = this.faults.operationRequest(faultOperation, target, callbackUrl);
    this.runner.enqueue(deployment.internalId, `${operation} ${subject.vm_name ?? deployment.internalId}`, (context) => run(request, context));
    return acceptedRequest(request, acceptedXml(operation, subject, request.transactionId));
  }

  private visibleTenant(tenantId: string): void {
    if (!this.resources.visible('tenant', tenantId)) throw new NotFoundException(`Tenant ${tenantId} not found`);
  }

  private deploymentOf(tenantId: string, deploymentId: string): SimDeployment {
    this.visibleTenant(tenantId);
    const deployment = this.store.get(deploymentId);
    if (!deployment || deployment.tenant.internalId !== tenantId) {
      throw new NotFoundException(`Deployment ${deploymentId} not found in tenant ${tenantId}`);
    }
    return deployment;
  }

  private vmOf(tenantId: string, vmName: string): VmRef {
    this.visibleTenant(tenantId);
    for (const deployment of this.store.inTenant(tenantId)) {
      const vm = deployment.vms.find((candidate) => candidate.name === vmName);
      if (vm) return { deployment, vm };
    }
    throw new NotFoundException(`VM ${vmName} not found in tenant ${tenantId}`);
  }

  /** 400 while the deployment is being deployed or undeployed, 409 while another operation on it runs. */
  private assertReady(deployment: SimDeployment): void {
    if (deployment.state === 'SERVICE_DEPLOYING_STATE' || deployment.undeployRequested) {
      const doing = deployment.undeployRequested ? 'being undeployed' : 'still deploying';
      throw notApplicable(`Deployment ${deployment.internalId}`, `it is ${doing}`);
    }
    if (this.runner.isBusy(deployment.internalId)) {
      throw new ConflictException(`Deployment ${deployment.internalId} has an operation in progress (${deployment.state}); try again when it ends`);
    }
  }
}

function requiredCallback(headers: EscRequestHeaders): CallbackUrls & { callbackUrl: string } {
  const urls = callbackUrls(headers);
  if (urls.callbackUrl === undefined) {
    throw new BadRequestException('Missing callback: the Callback header (an absolute http(s) URL) is required');
  }
  return { ...urls, callbackUrl: urls.callbackUrl };
}

function readBody<T>(headers: EscRequestHeaders, parse: () => T): T {
  assertXmlBody(headers.contentType);
  try {
    return parse();
  } catch (error) {
    if (error instanceof OperationBodyError) throw new BadRequestException(error.message);
    throw error;
  }
}

function notApplicable(what: string, reason: string): BadRequestException {
  return new BadRequestException(`${what} is not applicable: ${reason}`);
}

function faultTarget(deployment: SimDeployment, vm?: SimVm): FaultTarget {
  return { resource: 'deployment', internalId: deployment.internalId, name: deployment.name, ...(vm && { vmName: vm.name }) };
}

function vmSubject(tenantId: string, deployment: SimDeployment, vm: SimVm): Record<string, string> {
  return { internal_tenant_id: tenantId, internal_deployment_id: deployment.internalId, deployment_name: deployment.name, vm_name: vm.name };
}

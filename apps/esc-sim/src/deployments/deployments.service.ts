import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AcceptedRequest, EscRequestHeaders, acceptedRequest, assertValidInternalId, assertXmlBody, callbackUrls } from '../common/esc-request';
import { AcceptedOperation, acceptedXml } from '../common/esc-xml';
import { OperationRequest, OperationRunner } from '../common/operation-runner';
import { FaultTarget } from '../faults/fault-rule';
import { FaultsService } from '../faults/faults.service';
import { DatamodelError, parseEscDatamodel } from './datamodel/esc-datamodel.parser';
import { DeploymentSpec, SimDeployment } from './deployment.model';
import { DeploymentLifecycle } from './deployment-lifecycle';
import { DeploymentStore } from './deployment-store';
import { ResourceFactory } from './resource-factory';
import { planUpdate } from './update-plan';
import { deploymentListXml, deploymentXml } from './xml/deployment-view.xml';

/**
 * The synchronous half of the deployment API: validate, check conflicts and fault rules,
 * record the change, answer 200 with a transaction id and leave the callbacks to the runner.
 */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly store: DeploymentStore,
    private readonly factory: ResourceFactory,
    private readonly lifecycle: DeploymentLifecycle,
    private readonly runner: OperationRunner,
    private readonly faults: FaultsService,
  ) {}

  list(): string {
    return deploymentListXml(this.store.list());
  }

  get(internalId: string): string {
    return deploymentXml(this.existing(internalId));
  }

  create(internalId: string, body: unknown, headers: EscRequestHeaders): AcceptedRequest {
    assertValidInternalId(internalId);
    const urls = callbackUrls(headers);
    const spec = datamodel(body, headers);
    const target = faultTarget(internalId, spec.deploymentName);
    this.faults.assertNoResponseFault('create', target);

    if (this.store.wasEverUsed(internalId)) {
      throw new ConflictException(`Deployment id ${internalId} is already used (ESC internal ids are not reused)`);
    }
    const tenant = this.factory.tenant(spec.tenantName);
    const sameName = this.store.findByName(tenant.internalId, spec.deploymentName);
    if (sameName) {
      throw new ConflictException(
        `Deployment name '${spec.deploymentName}' already exists in tenant '${spec.tenantName}' ` +
          `(internal id ${sameName.internalId})`,
      );
    }

    const deployment: SimDeployment = {
      internalId,
      externalId: randomUUID(),
      name: spec.deploymentName,
      tenant,
      spec,
      vms: [],
      state: 'SERVICE_DEPLOYING_STATE',
      ...urls,
      createdAt: new Date().toISOString(),
      undeployRequested: false,
    };
    const vms = spec.vmGroups.flatMap((group) =>
      Array.from({ length: group.minActive }, (_, index) => this.factory.vm(spec.deploymentName, group, index)),
    );
    this.store.add(deployment);
    const request = this.faults.operationRequest('create', target, urls.callbackUrl);
    this.runner.enqueue(internalId, `create ${internalId}`, (context) =>
      this.lifecycle.deploy(deployment, vms, request, context),
    );
    return this.accepted('create', deployment, request);
  }

  update(internalId: string, body: unknown, headers: EscRequestHeaders): AcceptedRequest {
    const deployment = this.existing(internalId);
    const urls = callbackUrls(headers);
    const spec = datamodel(body, headers);
    const target = faultTarget(internalId, deployment.name);
    this.faults.assertNoResponseFault('update', target);

    if (spec.deploymentName !== deployment.name || spec.tenantName !== deployment.tenant.name) {
      throw new BadRequestException(
        `The datamodel describes deployment '${spec.deploymentName}' in tenant '${spec.tenantName}', ` +
          `but ${internalId} is '${deployment.name}' in tenant '${deployment.tenant.name}' ` +
          '(a deployment cannot be renamed or moved)',
      );
    }
    this.assertIdle(deployment, 'updated');
    if (deployment.state === 'SERVICE_STOPPED_STATE') {
      throw new BadRequestException(`Deployment ${internalId} is stopped: update is not applicable (start it first)`);
    }

    const plan = planUpdate(deployment, spec, this.factory);
    Object.assign(deployment, urls);
    const request = this.faults.operationRequest('update', target, urls.callbackUrl);
    this.runner.enqueue(internalId, `update ${internalId}`, (context) =>
      this.lifecycle.update(deployment, plan, request, context),
    );
    return this.accepted('update', deployment, request);
  }

  delete(internalId: string, headers: EscRequestHeaders): AcceptedRequest {
    const deployment = this.existing(internalId);
    const urls = callbackUrls(headers);
    const target = faultTarget(internalId, deployment.name);
    this.faults.assertNoResponseFault('delete', target);

    if (deployment.undeployRequested) {
      throw new ConflictException(`Deployment ${internalId} is already being undeployed`);
    }
    // Unlike an update, an undeploy is accepted while another operation runs; it starts when that one ends.
    deployment.undeployRequested = true;
    Object.assign(deployment, urls);
    const request = this.faults.operationRequest('delete', target, urls.callbackUrl);
    this.runner.enqueue(internalId, `delete ${internalId}`, (context) =>
      this.lifecycle.undeploy(deployment, request, context),
    );
    return this.accepted('delete', deployment, request);
  }

  /** Internal ids of the live deployments in a tenant (those that keep it from being deleted). */
  idsInTenant(tenantInternalId: string): string[] {
    return this.store.inTenant(tenantInternalId).map((deployment) => deployment.internalId);
  }

  /** Forgets every deployment and burnt id, stopping all pending callbacks. */
  async reset(): Promise<void> {
    await this.runner.abortAll();
    this.store.reset();
    this.factory.reset();
  }

  private existing(internalId: string): SimDeployment {
    const deployment = this.store.get(internalId);
    if (!deployment) throw new NotFoundException(`Deployment ${internalId} not found`);
    return deployment;
  }

  private assertIdle(deployment: SimDeployment, verb: string): void {
    if (deployment.undeployRequested) {
      throw new ConflictException(`Deployment ${deployment.internalId} is being undeployed and cannot be ${verb}`);
    }
    if (this.runner.isBusy(deployment.internalId)) {
      throw new ConflictException(
        `Deployment ${deployment.internalId} has an operation in progress (${deployment.state}) and cannot be ${verb} yet`,
      );
    }
  }

  private accepted(operation: AcceptedOperation, deployment: SimDeployment, request: OperationRequest): AcceptedRequest {
    const subject = { internal_deployment_id: deployment.internalId, deployment_name: deployment.name };
    return acceptedRequest(request, acceptedXml(operation, subject, request.transactionId));
  }
}

function faultTarget(internalId: string, deploymentName: string): FaultTarget {
  return { resource: 'deployment', internalId, name: deploymentName };
}

function datamodel(body: unknown, headers: EscRequestHeaders): DeploymentSpec {
  assertXmlBody(headers.contentType);
  try {
    return parseEscDatamodel(body);
  } catch (error) {
    if (error instanceof DatamodelError) throw new BadRequestException(error.message);
    throw error;
  }
}

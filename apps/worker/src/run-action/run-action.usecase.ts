import { Injectable, Logger } from '@nestjs/common';
import { CamServiceDocument, findAction, stepsOf } from '@cam-esc/catalog';
import { AppConfig } from '@cam-esc/config';
import { DomainException } from '@cam-esc/errors';
import { EscClient, EscOperation, EscUnreachableError, renderDeployment } from '@cam-esc/esc';
import { ActionStatus, ActionType, EscRequestStatus, EscResourceStatus } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { ActionInstance, EscRequest, InstanceRepository, ServiceInstance, Tx } from '@cam-esc/persistence';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendActionLog } from '../action-log';
import { finishAction, markActionRunning } from './action-outcome';

export interface RunActionCommand {
  actionInstanceId: string;
  serviceInstanceId: string;
  /** True when the job will not be retried again: an unreachable ESC then fails the action. */
  lastAttempt: boolean;
}

/** Per-step values stored by the gateway's deploy (see DeployInstanceUseCase). */
interface StepParameters {
  templateId: string;
  values: Record<string, string>;
}

type NextMove = { kind: 'idle' } | { kind: 'send'; requestId: string };

/**
 * Advances an action by one step: decides under the instance lock what comes next (persisting
 * the ESC request before it is sent), then sends it and records ESC's answer. Running it twice
 * for the same state sends nothing twice: a request already accepted is never re-sent.
 */
@Injectable()
export class RunActionUseCase {
  private readonly logger = new Logger(RunActionUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly esc: EscClient,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async execute(cmd: RunActionCommand): Promise<void> {
    const move = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx, instance) => {
      const action = await tx.actionInstance.findUnique({ where: { id: cmd.actionInstanceId } });
      if (!action || action.serviceInstanceId !== instance.id || instance.currentActionInstanceId !== action.id) return { kind: 'idle' } as NextMove;
      if (action.status === ActionStatus.Succeeded || action.status === ActionStatus.Failed) return { kind: 'idle' } as NextMove;
      try {
        return action.type === ActionType.Terminate ? await this.nextTerminateMove(tx, action) : await this.nextProvisionMove(tx, instance, action);
      } catch (e) {
        if (!(e instanceof DomainException)) throw e;
        await finishAction(tx, action, false, `${action.name} failed: ${e.message}`);
        return { kind: 'idle' } as NextMove;
      }
    });
    if (move.kind === 'send') await this.send(move.requestId, cmd);
  }

  private async nextProvisionMove(tx: Tx, instance: ServiceInstance, action: ActionInstance): Promise<NextMove> {
    const version = await tx.serviceVersion.findUniqueOrThrow({ where: { id: instance.serviceVersionId } });
    const definition = findAction((version.document as unknown as CamServiceDocument).actions, action.name);
    if (!definition) throw DomainException.invalid(`service version ${version.version} no longer has action '${action.name}'`);
    const resources = await tx.escResource.findMany({ where: { serviceInstanceId: instance.id } });
    for (const step of stepsOf(definition)) {
      const resource = resources.find((r) => r.stepId === step.id);
      if (!resource) return this.createDeployment(tx, instance, action, step.id, step.sequenceNo);
      switch (resource.status) {
        case EscResourceStatus.Active:
          continue;
        case EscResourceStatus.Creating:
          return this.resendPending(tx, resource.id);
        case EscResourceStatus.Deploying:
          return { kind: 'idle' };
        default:
          throw DomainException.invalid(`step '${step.id}': ESC deployment ${resource.internalId} is ${resource.status}`);
      }
    }
    await finishAction(tx, action, true, `${action.name} completed: every step is active on ESC`);
    this.logger.log({ serviceInstanceId: instance.id, actionInstanceId: action.id }, `${action.name} completed`);
    return { kind: 'idle' };
  }

  private async nextTerminateMove(tx: Tx, action: ActionInstance): Promise<NextMove> {
    const resources = await tx.escResource.findMany({
      where: { serviceInstanceId: action.serviceInstanceId },
      orderBy: { sequenceNo: 'desc' },
      include: { requests: { orderBy: { createdAt: 'desc' }, take: 1 } },
    });
    for (const resource of resources) {
      const last = resource.requests[0];
      if (resource.status === EscResourceStatus.Undeployed) continue;
      if (resource.status === EscResourceStatus.Undeploying) {
        if (last?.operation === 'DELETE_DEPLOYMENT' && last.status === EscRequestStatus.Pending) return this.resendPending(tx, resource.id);
        return { kind: 'idle' };
      }
      if (last?.operation === 'CREATE_DEPLOYMENT' && last.status === EscRequestStatus.Failed && last.httpStatus !== null) {
        // ESC refused the create outright: there is nothing on ESC to delete
        await tx.escResource.update({ where: { id: resource.id }, data: { status: EscResourceStatus.Undeployed } });
        await appendActionLog(tx, action.id, `step '${resource.stepId}': deployment ${resource.internalId} was never created on ESC; nothing to delete`);
        continue;
      }
      await markActionRunning(tx, action);
      await tx.escResource.update({ where: { id: resource.id }, data: { status: EscResourceStatus.Undeploying } });
      const request = await this.persistRequest(tx, action, resource.id, resource.stepId, 'DELETE_DEPLOYMENT', 'DELETE', `/v0/deployments/${resource.internalId}`);
      await appendActionLog(tx, action.id, `step '${resource.stepId}': DELETE /v0/deployments/${resource.internalId} (deployment ${resource.name})`);
      return { kind: 'send', requestId: request.id };
    }
    await finishAction(tx, action, true, 'terminate completed: every ESC deployment is undeployed');
    this.logger.log({ serviceInstanceId: action.serviceInstanceId, actionInstanceId: action.id }, 'terminate completed');
    return { kind: 'idle' };
  }

  private async createDeployment(tx: Tx, instance: ServiceInstance, action: ActionInstance, stepId: string, sequenceNo: number): Promise<NextMove> {
    const params = (action.parameters as { steps?: Record<string, StepParameters> }).steps?.[stepId];
    if (!params) throw DomainException.invalid(`step '${stepId}' has no resolved parameters`);
    const template = await tx.escTemplate.findUnique({ where: { id: params.templateId } });
    if (!template) throw DomainException.invalid(`step '${stepId}': its ESC template was deleted from the library after the deploy was accepted`);
    const resourceId = randomUUID();
    // the gateway owns ESC identities: an internal id never reused, a name unique in the tenant
    const internalId = `ceg-${resourceId}`;
    const rendered = renderDeployment(template.content, params.values, (name) => `${name.slice(0, 240)}-${resourceId.slice(0, 8)}`);
    const deploymentName = `${rendered.templateDeploymentName.slice(0, 240)}-${resourceId.slice(0, 8)}`;
    await markActionRunning(tx, action);
    await tx.escResource.create({
      data: {
        id: resourceId,
        serviceInstanceId: instance.id,
        stepId,
        sequenceNo,
        kind: 'deployment',
        internalId,
        name: deploymentName,
        escTenant: rendered.escTenant,
        status: EscResourceStatus.Creating,
      },
    });
    const request = await this.persistRequest(tx, action, resourceId, stepId, 'CREATE_DEPLOYMENT', 'POST', `/v0/deployments/${internalId}`, rendered.xml);
    await appendActionLog(tx, action.id, `step '${stepId}': POST /v0/deployments/${internalId} (deployment ${deploymentName} in ESC tenant ${rendered.escTenant}, template ${template.name} ${template.version})`);
    return { kind: 'send', requestId: request.id };
  }

  private persistRequest(tx: Tx, action: ActionInstance, escResourceId: string, stepId: string, operation: EscOperation, method: 'POST' | 'DELETE', path: string, body?: string): Promise<EscRequest> {
    return tx.escRequest.create({
      data: {
        actionInstanceId: action.id,
        escResourceId,
        stepId,
        operation,
        method,
        path,
        body,
        callbackToken: randomBytes(24).toString('base64url'),
        status: EscRequestStatus.Pending,
      },
    });
  }

  /** A request persisted but never answered (worker crash, ESC unreachable): send it again. */
  private async resendPending(tx: Tx, escResourceId: string): Promise<NextMove> {
    const pending = await tx.escRequest.findFirst({ where: { escResourceId, status: EscRequestStatus.Pending }, orderBy: { createdAt: 'desc' } });
    return pending ? { kind: 'send', requestId: pending.id } : { kind: 'idle' };
  }

  private async send(requestId: string, cmd: RunActionCommand): Promise<void> {
    const { instances } = this;
    const request = await instances.withInstanceLock(cmd.serviceInstanceId, (tx) => tx.escRequest.findUniqueOrThrow({ where: { id: requestId }, include: { escResource: true } }));
    const log = { serviceInstanceId: cmd.serviceInstanceId, actionInstanceId: cmd.actionInstanceId, escRequestId: request.id, internalId: request.escResource.internalId };
    let answer;
    try {
      answer = await this.esc.call({
        method: request.method as 'POST' | 'DELETE',
        path: request.path,
        body: request.body ?? undefined,
        callbackUrl: `${this.config.publicUrl}/esc/callbacks/${request.callbackToken}`,
      });
    } catch (e) {
      if (!(e instanceof EscUnreachableError) || !cmd.lastAttempt) {
        this.logger.warn({ ...log, err: (e as Error).message }, 'ESC not reachable; the job will retry');
        throw e;
      }
      await instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
        await tx.escRequest.update({ where: { id: request.id }, data: { status: EscRequestStatus.Failed, responseBody: e.message, completedAt: new Date() } });
        await tx.escResource.update({ where: { id: request.escResourceId }, data: { status: EscResourceStatus.Error } });
        const action = await tx.actionInstance.findUniqueOrThrow({ where: { id: request.actionInstanceId } });
        await finishAction(tx, action, false, `step '${request.stepId}': ${e.message}; gave up after retries`);
      });
      this.logger.error(log, 'ESC not reachable; action failed');
      return;
    }
    const escLog = { ...log, escTransactionId: answer.transactionId };
    const ok = answer.status >= 200 && answer.status < 300;
    const deleteOfMissing = request.operation === 'DELETE_DEPLOYMENT' && answer.status === 404;
    const advance = await instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const answered = { httpStatus: answer.status, responseBody: answer.body.slice(0, 10_000), sentAt: new Date() };
      if (ok) {
        // callbacks may have been applied already: only move forward from Pending/Creating
        await tx.escRequest.update({ where: { id: request.id }, data: { ...answered, transactionId: answer.transactionId ?? request.transactionId } });
        await tx.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending }, data: { status: EscRequestStatus.Accepted } });
        await tx.escResource.updateMany({ where: { id: request.escResourceId, status: EscResourceStatus.Creating }, data: { status: EscResourceStatus.Deploying } });
        await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ESC accepted ${request.method} (HTTP ${answer.status}, esc-transaction-id ${answer.transactionId ?? 'none'})`);
        return false;
      }
      await tx.escRequest.update({ where: { id: request.id }, data: { ...answered, status: deleteOfMissing ? EscRequestStatus.Succeeded : EscRequestStatus.Failed, completedAt: new Date() } });
      if (deleteOfMissing) {
        await tx.escResource.update({ where: { id: request.escResourceId }, data: { status: EscResourceStatus.Undeployed } });
        await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ESC does not know deployment ${request.escResource.internalId} (404); treated as already deleted`);
        return true;
      }
      await tx.escResource.update({ where: { id: request.escResourceId }, data: { status: EscResourceStatus.Error } });
      const action = await tx.actionInstance.findUniqueOrThrow({ where: { id: request.actionInstanceId } });
      await finishAction(tx, action, false, `step '${request.stepId}': ESC answered HTTP ${answer.status} to ${request.method} ${request.path}: ${answer.body.trim().slice(0, 2000) || '(empty body)'}`);
      return false;
    });
    if (ok) {
      this.logger.log(escLog, `ESC accepted ${request.method} ${request.path}`);
      // if the final callback never comes, ask ESC
      await this.jobs.enqueue(JobName.ReconcileEscRequest, { escRequestId: request.id, serviceInstanceId: cmd.serviceInstanceId, check: 1 }, { delayMs: this.config.escCallbackTimeoutMs });
    }
    else if (!deleteOfMissing) this.logger.warn({ ...escLog, httpStatus: answer.status }, `ESC refused ${request.method} ${request.path}`);
    if (advance) await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: cmd.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: request.id });
  }
}

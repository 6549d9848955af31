import { Injectable, Logger } from '@nestjs/common';
import { ActionParameters, CamServiceDocument, findAction, stepsOf } from '@cam-esc/catalog';
import { AppConfig } from '@cam-esc/config';
import { DomainException } from '@cam-esc/errors';
import { EscAnswer, EscClient, EscOperation, EscUnreachableError, renderDeployment } from '@cam-esc/esc';
import { ActionStatus, ActionType, EscRequestStatus, EscResourceStatus, OPEN_ESC_REQUEST_STATUSES } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { ActionInstance, EscRequest, EscRequestRepository, EscRequestWithResource, InstanceRepository, ServiceInstance, Tx } from '@cam-esc/persistence';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendActionLog } from '../action-log';
import { finishAction, markActionRunning } from './action-outcome';

export interface RunActionCommand {
  actionInstanceId: string;
  serviceInstanceId: string;
  /** True when the job will not be retried again: an unreachable ESC then fails the action. */
  lastAttempt: boolean;
}

/** What to do once the instance lock is released. */
type NextMove = { kind: 'idle' } | { kind: 'send'; requestId: string } | { kind: 'watch'; requestId: string };

/** How ESC's answer to a request is taken. */
type Verdict = { kind: 'accepted'; note?: string } | { kind: 'gone' } | { kind: 'refused' };

/**
 * Advances an action by one step: decides under the instance lock what comes next (persisting
 * the ESC request before it is sent), then sends it and records ESC's answer. Running it again
 * for the same state is safe: a request is only re-sent while ESC has not accepted it, and a
 * create that finds its own internal id already on ESC (an earlier send did reach ESC) counts as
 * accepted.
 */
@Injectable()
export class RunActionUseCase {
  private readonly logger = new Logger(RunActionUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly requests: EscRequestRepository,
    private readonly esc: EscClient,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async execute(cmd: RunActionCommand): Promise<void> {
    const move = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx, instance): Promise<NextMove> => {
      const action = await tx.actionInstance.findUnique({ where: { id: cmd.actionInstanceId } });
      if (!action || action.serviceInstanceId !== instance.id || instance.currentActionInstanceId !== action.id) return { kind: 'idle' };
      if (action.status === ActionStatus.Succeeded || action.status === ActionStatus.Failed) return { kind: 'idle' };
      try {
        return action.type === ActionType.Terminate ? await this.nextTerminateMove(tx, action) : await this.nextProvisionMove(tx, instance, action);
      } catch (e) {
        if (!(e instanceof DomainException)) throw e;
        await finishAction(tx, action, false, `${action.name} failed: ${e.message}`);
        return { kind: 'idle' };
      }
    });
    if (move.kind === 'send') await this.send(move.requestId, cmd);
    // a step waiting on ESC always has its overdue check scheduled (a no-op when it exists)
    if (move.kind === 'watch') await this.scheduleOverdueCheck(move.requestId, cmd.serviceInstanceId);
  }

  /** The job failed for good (not for ESC being unreachable): end the action rather than leave it running. */
  async abandon(cmd: Omit<RunActionCommand, 'lastAttempt'>, reason: string): Promise<void> {
    await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const action = await tx.actionInstance.findUnique({ where: { id: cmd.actionInstanceId } });
      if (action) await finishAction(tx, action, false, `${action.name} failed: the worker could not run it (internal error; the worker log has the details of ${reason})`);
    });
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
        case EscResourceStatus.Deploying:
          return (await this.openRequestMove(tx, action, resource.id)) ?? { kind: 'idle' };
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
    });
    for (const resource of resources) {
      if (resource.status === EscResourceStatus.Undeployed) continue;
      if (resource.status === EscResourceStatus.Rejected) {
        await tx.escResource.update({ where: { id: resource.id }, data: { status: EscResourceStatus.Undeployed } });
        await appendActionLog(tx, action, `step '${resource.stepId}': ESC refused to create deployment ${resource.internalId}; nothing to delete`);
        continue;
      }
      // a DELETE of this terminate still out: resend or wait; one left by an earlier, ended action is not ours to wait for
      const open = resource.status === EscResourceStatus.Undeploying ? await this.openRequestMove(tx, action, resource.id) : undefined;
      if (open) return open;
      await markActionRunning(tx, action);
      await tx.escResource.update({ where: { id: resource.id }, data: { status: EscResourceStatus.Undeploying } });
      const request = await this.persistRequest(tx, action, resource.id, resource.stepId, 'DELETE_DEPLOYMENT', 'DELETE', `/v0/deployments/${resource.internalId}`);
      await appendActionLog(tx, action, `step '${resource.stepId}': DELETE /v0/deployments/${resource.internalId} (deployment ${resource.name})`);
      return { kind: 'send', requestId: request.id };
    }
    await finishAction(tx, action, true, 'terminate completed: every ESC deployment is undeployed');
    this.logger.log({ serviceInstanceId: action.serviceInstanceId, actionInstanceId: action.id }, 'terminate completed');
    return { kind: 'idle' };
  }

  private async createDeployment(tx: Tx, instance: ServiceInstance, action: ActionInstance, stepId: string, sequenceNo: number): Promise<NextMove> {
    const params = (action.parameters as unknown as ActionParameters).steps?.[stepId];
    if (!params) throw DomainException.invalid(`step '${stepId}' has no resolved parameters`);
    const template = await tx.escTemplate.findUnique({ where: { id: params.templateId } });
    if (!template) throw DomainException.invalid(`step '${stepId}': its ESC template was deleted from the library after the deploy was accepted`);
    const resourceId = randomUUID();
    // the gateway owns ESC identities: an internal id never reused, a name unique in the tenant
    // (both carry the resource id, so an operator can go from one to the other)
    const internalId = `ceg-${resourceId}`;
    const rendered = renderDeployment(template.content, params.values, (name) => `${name.slice(0, 200)}-${resourceId}`);
    await markActionRunning(tx, action);
    await tx.escResource.create({
      data: {
        id: resourceId,
        serviceInstanceId: instance.id,
        stepId,
        sequenceNo,
        kind: 'deployment',
        internalId,
        name: rendered.deploymentName,
        escTenant: rendered.escTenant,
        status: EscResourceStatus.Creating,
      },
    });
    const request = await this.persistRequest(tx, action, resourceId, stepId, 'CREATE_DEPLOYMENT', 'POST', `/v0/deployments/${internalId}`, rendered.xml);
    await appendActionLog(tx, action, `step '${stepId}': POST /v0/deployments/${internalId} (deployment ${rendered.deploymentName} in ESC tenant ${rendered.escTenant}, template ${template.name} ${template.version})`);
    return { kind: 'send', requestId: request.id };
  }

  private persistRequest(tx: Tx, action: ActionInstance, escResourceId: string, stepId: string, operation: EscOperation, method: 'POST' | 'DELETE', path: string, body?: string): Promise<EscRequest> {
    return tx.escRequest.create({
      data: { actionInstanceId: action.id, escResourceId, stepId, operation, method, path, body, callbackToken: randomBytes(24).toString('base64url'), status: EscRequestStatus.Pending },
    });
  }

  /** This action's request for the resource, if still out: re-send it while ESC has not accepted it, else wait for ESC. */
  private async openRequestMove(tx: Tx, action: ActionInstance, escResourceId: string): Promise<NextMove | undefined> {
    const open = await tx.escRequest.findFirst({
      where: { escResourceId, actionInstanceId: action.id, status: { in: [...OPEN_ESC_REQUEST_STATUSES] } },
      orderBy: { createdAt: 'desc' },
    });
    if (!open) return undefined;
    return open.status === EscRequestStatus.Pending ? { kind: 'send', requestId: open.id } : { kind: 'watch', requestId: open.id };
  }

  private async send(requestId: string, cmd: RunActionCommand): Promise<void> {
    const request = await this.requests.findWithResource(requestId);
    if (!request || request.status !== EscRequestStatus.Pending) return;
    const log = { serviceInstanceId: cmd.serviceInstanceId, actionInstanceId: cmd.actionInstanceId, escRequestId: request.id, internalId: request.escResource.internalId };
    let answer: EscAnswer;
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
      await this.recordFailure(cmd.serviceInstanceId, request, { responseBody: e.message }, `step '${request.stepId}': ${e.message}; gave up after retries`);
      this.logger.error(log, 'ESC not reachable; action failed');
      return;
    }
    const verdict = await this.judge(request, answer);
    const escLog = { ...log, escTransactionId: answer.transactionId, httpStatus: answer.status };
    const answered = { httpStatus: answer.status, responseBody: answer.body.slice(0, 10_000), sentAt: new Date() };
    switch (verdict.kind) {
      case 'accepted':
        await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
          // callbacks (or a concurrent send) may already have moved this request on: the first answer wins
          await tx.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending }, data: { ...answered, status: EscRequestStatus.Accepted } });
          if (answer.transactionId) await tx.escRequest.updateMany({ where: { id: request.id, transactionId: null }, data: { transactionId: answer.transactionId } });
          await tx.escResource.updateMany({ where: { id: request.escResourceId, status: EscResourceStatus.Creating }, data: { status: EscResourceStatus.Deploying } });
          await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ESC accepted ${request.method} (HTTP ${answer.status}, esc-transaction-id ${answer.transactionId ?? 'none'})${verdict.note ? `; ${verdict.note}` : ''}`);
        });
        this.logger.log(escLog, `ESC accepted ${request.method} ${request.path}`);
        await this.scheduleOverdueCheck(request.id, cmd.serviceInstanceId);
        return;
      case 'gone': {
        const advance = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
          const { count } = await tx.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending }, data: { ...answered, status: EscRequestStatus.Succeeded, completedAt: new Date() } });
          if (count === 0) return false;
          await tx.escResource.update({ where: { id: request.escResourceId }, data: { status: EscResourceStatus.Undeployed } });
          await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ESC does not know deployment ${request.escResource.internalId} (404); treated as already deleted`);
          return true;
        });
        if (advance) await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: cmd.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: request.id });
        return;
      }
      case 'refused':
        await this.recordFailure(
          cmd.serviceInstanceId,
          request,
          answered,
          `step '${request.stepId}': ESC answered HTTP ${answer.status} to ${request.method} ${request.path}: ${answer.body.trim().slice(0, 2000) || '(empty body)'}`,
          request.operation === 'CREATE_DEPLOYMENT' ? EscResourceStatus.Rejected : EscResourceStatus.Error,
        );
        this.logger.warn(escLog, `ESC refused ${request.method} ${request.path}`);
        return;
    }
  }

  private async judge(request: EscRequestWithResource, answer: EscAnswer): Promise<Verdict> {
    if (answer.status >= 200 && answer.status < 300) return { kind: 'accepted' };
    if (request.operation === 'DELETE_DEPLOYMENT' && answer.status === 404) return { kind: 'gone' };
    if (request.operation === 'CREATE_DEPLOYMENT' && answer.status === 409) {
      // internal ids are ours and never reused: if ESC has this one, an earlier send reached it
      // (an unreachable ESC here throws, and the job retries)
      const probe = await this.esc.call({ method: 'GET', path: `/v0/deployments/${request.escResource.internalId}` });
      if (probe.status === 200) return { kind: 'accepted', note: `ESC answered 409 but already has deployment ${request.escResource.internalId}: an earlier attempt reached it` };
      if (probe.status !== 404) throw new EscUnreachableError(`ESC answered ${probe.status} to GET /v0/deployments/${request.escResource.internalId} after a 409; will try again`);
    }
    return { kind: 'refused' };
  }

  /** Fails the request, its resource and the action, unless ESC's callbacks already settled it. */
  private async recordFailure(
    serviceInstanceId: string,
    request: EscRequest,
    data: { httpStatus?: number; responseBody: string; sentAt?: Date },
    line: string,
    resourceStatus: EscResourceStatus = EscResourceStatus.Error,
  ): Promise<void> {
    await this.instances.withInstanceLock(serviceInstanceId, async (tx) => {
      const { count } = await tx.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending }, data: { ...data, status: EscRequestStatus.Failed, completedAt: new Date() } });
      if (count === 0) return;
      await tx.escResource.update({ where: { id: request.escResourceId }, data: { status: resourceStatus } });
      const action = await tx.actionInstance.findUniqueOrThrow({ where: { id: request.actionInstanceId } });
      await finishAction(tx, action, false, line);
    });
  }

  private scheduleOverdueCheck(escRequestId: string, serviceInstanceId: string): Promise<void> {
    return this.jobs.enqueue(JobName.ReconcileEscRequest, { escRequestId, serviceInstanceId, round: 'accepted', check: 1 }, { delayMs: this.config.escCallbackTimeoutMs });
  }
}

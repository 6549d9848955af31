import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { EscClient, EscDeploymentState, parseDeploymentState } from '@cam-esc/esc';
import { EscRequestStatus } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { EscRequest, InstanceRepository } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';
import { completeEscRequest, EscRequestResult } from '../esc-requests/complete-esc-request';

/** Checks of ESC before giving up on a request whose final callback never came. */
export const RECONCILE_CHECKS = 3;

export interface ReconcileEscRequestCommand {
  escRequestId: string;
  serviceInstanceId: string;
  check: number;
}

const OPEN = [EscRequestStatus.Pending, EscRequestStatus.Accepted] as string[];

/**
 * When ESC's final callback does not come in time (lost, or ESC restarted), asks ESC for the
 * deployment (GET /v0/deployments/{id}) and ends the request from what ESC says; if ESC is still
 * working, looks again later, and after RECONCILE_CHECKS looks fails the step.
 */
@Injectable()
export class ReconcileEscRequestUseCase {
  private readonly logger = new Logger(ReconcileEscRequestUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly esc: EscClient,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async execute(cmd: ReconcileEscRequestCommand): Promise<void> {
    const request = await this.instances.withInstanceLock(cmd.serviceInstanceId, (tx) =>
      tx.escRequest.findUnique({ where: { id: cmd.escRequestId }, include: { escResource: true } }),
    );
    if (!request || !OPEN.includes(request.status)) return; // the callback came after all
    const internalId = request.escResource.internalId;
    const answer = await this.esc.call({ method: 'GET', path: `/v0/deployments/${internalId}` });
    const waited = Math.round((this.config.escCallbackTimeoutMs * cmd.check) / 1000);
    const result = this.judge(request, answer.status, answer.body, waited, cmd.check);
    const log = { serviceInstanceId: cmd.serviceInstanceId, escRequestId: request.id, escTransactionId: request.transactionId, internalId };

    if (result === 'wait') {
      await this.instances.withInstanceLock(cmd.serviceInstanceId, (tx) =>
        appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': no final callback from ESC after ${waited} s; ESC still reports the deployment in progress, checking again`),
      );
      this.logger.warn(log, 'ESC callback overdue; ESC still working');
      await this.jobs.enqueue(JobName.ReconcileEscRequest, { ...cmd, check: cmd.check + 1 }, { delayMs: this.config.escCallbackTimeoutMs });
      return;
    }
    const advance = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const current = await tx.escRequest.findUniqueOrThrow({ where: { id: request.id } });
      if (!OPEN.includes(current.status)) return false;
      return completeEscRequest(tx, current, result);
    });
    this.logger.warn({ ...log, succeeded: result.succeeded }, `ESC callback overdue; reconciled from GET: ${result.summary}`);
    if (advance) await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: request.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: request.id });
  }

  private judge(request: EscRequest, status: number, body: string, waited: number, check: number): EscRequestResult | 'wait' {
    const lastCheck = check >= RECONCILE_CHECKS;
    const prefix = `no final callback from ESC after ${waited} s; GET /v0/deployments answered`;
    if (status === 404) {
      return request.operation === 'DELETE_DEPLOYMENT'
        ? { succeeded: true, summary: `${prefix} 404: the deployment is gone` }
        : { succeeded: false, summary: `${prefix} 404: ESC does not know the deployment` };
    }
    if (status < 200 || status >= 300) {
      if (!lastCheck) return 'wait';
      return { succeeded: false, summary: `${prefix} HTTP ${status}: ${body.trim().slice(0, 500)}` };
    }
    let state: EscDeploymentState;
    try {
      state = parseDeploymentState(body);
    } catch (e) {
      return lastCheck ? { succeeded: false, summary: `${prefix} with XML the gateway cannot read: ${(e as Error).message}` } : 'wait';
    }
    const described = `${prefix} ${state.serviceState ?? 'no service state'}`;
    if (state.phase === 'error') return { succeeded: false, summary: described };
    if (state.phase === 'active' && request.operation !== 'DELETE_DEPLOYMENT') return { succeeded: true, summary: described };
    return lastCheck ? { succeeded: false, summary: `${described}; giving up` } : 'wait';
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { EscAnswer, EscClient, EscDeploymentState, EscUnreachableError, parseDeploymentState } from '@cam-esc/esc';
import { EscRequestStatus } from '@cam-esc/instances';
import { JobName, JobPayloads, JobQueue } from '@cam-esc/jobs';
import { EscRequest, EscRequestRepository, InstanceRepository } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';
import { completeEscRequest, EscRequestResult } from '../esc-requests/complete-esc-request';
import { recordVm } from '../esc-requests/record-vm';

/** Checks of ESC before giving up on a request whose final callback never came. */
export const RECONCILE_CHECKS = 3;

export type ReconcileEscRequestCommand = JobPayloads[JobName.ReconcileEscRequest];

const OPEN: string[] = [EscRequestStatus.Pending, EscRequestStatus.Accepted];

type Judgement = { kind: 'done'; result: EscRequestResult; state?: EscDeploymentState } | { kind: 'wait'; why: string; state?: EscDeploymentState };

/**
 * When ESC's final callback does not come in time (lost, or ESC restarted), asks ESC for the
 * deployment (GET /v0/deployments/{id}) and ends the request from what ESC says, recording the
 * VMs ESC lists; while ESC is still working (or not answering) it looks again later, and after
 * RECONCILE_CHECKS looks it fails the step.
 */
@Injectable()
export class ReconcileEscRequestUseCase {
  private readonly logger = new Logger(ReconcileEscRequestUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly requests: EscRequestRepository,
    private readonly esc: EscClient,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async execute(cmd: ReconcileEscRequestCommand): Promise<void> {
    const request = await this.requests.findWithResource(cmd.escRequestId);
    if (!request || !OPEN.includes(request.status)) return; // the callback came after all
    const internalId = request.escResource.internalId;
    const waited = Math.round((this.config.escCallbackTimeoutMs * cmd.check) / 1000);
    let answer: EscAnswer | undefined;
    let unreachable: string | undefined;
    try {
      answer = await this.esc.call({ method: 'GET', path: `/v0/deployments/${internalId}` });
    } catch (e) {
      if (!(e instanceof EscUnreachableError)) throw e;
      unreachable = e.message;
    }
    const judged = answer ? this.judge(request, answer, waited, cmd.check) : this.unanswered(unreachable!, waited, cmd.check);
    const log = { serviceInstanceId: cmd.serviceInstanceId, escRequestId: request.id, escTransactionId: request.transactionId, internalId };

    const advance = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const current = await tx.escRequest.findUniqueOrThrow({ where: { id: request.id } });
      if (!OPEN.includes(current.status)) return false;
      for (const { vm, stage } of judged.state?.vms ?? []) await recordVm(tx, request.escResourceId, vm, stage);
      if (judged.kind === 'wait') {
        await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': no final callback from ESC after ${waited} s; ${judged.why}; checking again`);
        return false;
      }
      return completeEscRequest(tx, current, judged.result);
    });
    if (judged.kind === 'wait') {
      this.logger.warn(log, `ESC callback overdue: ${judged.why}`);
      await this.jobs.enqueue(JobName.ReconcileEscRequest, { ...cmd, check: cmd.check + 1 }, { delayMs: this.config.escCallbackTimeoutMs });
      return;
    }
    this.logger.warn({ ...log, succeeded: judged.result.succeeded }, `ESC callback overdue; reconciled from GET: ${judged.result.summary}`);
    if (advance) await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: request.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: request.id });
  }

  /** Schedules this check again, in a new round (the failed job keeps its id). */
  async later(cmd: ReconcileEscRequestCommand): Promise<void> {
    await this.jobs.enqueue(JobName.ReconcileEscRequest, { ...cmd, round: `${cmd.round}-again` }, { delayMs: this.config.escCallbackTimeoutMs });
  }

  private unanswered(reason: string, waited: number, check: number): Judgement {
    if (check < RECONCILE_CHECKS) return { kind: 'wait', why: `ESC did not answer GET (${reason})` };
    return { kind: 'done', result: { succeeded: false, summary: `no final callback from ESC after ${waited} s, and ESC does not answer: ${reason}` } };
  }

  private judge(request: EscRequest, answer: EscAnswer, waited: number, check: number): Judgement {
    const lastCheck = check >= RECONCILE_CHECKS;
    const prefix = `no final callback from ESC after ${waited} s; GET /v0/deployments answered`;
    if (answer.status === 404) {
      return request.operation === 'DELETE_DEPLOYMENT'
        ? { kind: 'done', result: { succeeded: true, summary: `${prefix} 404: the deployment is gone` } }
        : { kind: 'done', result: { succeeded: false, summary: `${prefix} 404: ESC does not know the deployment` } };
    }
    if (answer.status < 200 || answer.status >= 300) {
      const why = `GET /v0/deployments answered HTTP ${answer.status}: ${answer.body.trim().slice(0, 500)}`;
      return lastCheck ? { kind: 'done', result: { succeeded: false, summary: `${prefix} HTTP ${answer.status}: ${answer.body.trim().slice(0, 500)}` } } : { kind: 'wait', why };
    }
    let state: EscDeploymentState;
    try {
      state = parseDeploymentState(answer.body);
    } catch (e) {
      const why = `ESC's answer to GET is not XML the gateway can read (${(e as Error).message})`;
      return lastCheck ? { kind: 'done', result: { succeeded: false, summary: `${prefix} ${why}` } } : { kind: 'wait', why };
    }
    const described = `${prefix} ${state.serviceState ?? 'no service state'}`;
    if (state.phase === 'error') return { kind: 'done', result: { succeeded: false, summary: described }, state };
    if (state.phase === 'active' && request.operation !== 'DELETE_DEPLOYMENT') return { kind: 'done', result: { succeeded: true, summary: described }, state };
    if (lastCheck) return { kind: 'done', result: { succeeded: false, summary: `${described}; giving up` }, state };
    return { kind: 'wait', why: `ESC still reports ${state.serviceState ?? 'no service state'}`, state };
  }
}

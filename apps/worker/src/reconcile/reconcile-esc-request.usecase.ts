import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { EscConnections } from '@cam-esc/connections';
import { EscClient, EscUnreachableError } from '@cam-esc/esc';
import { ActionParameters, escOperationOfRequest, EscReading, EscStepKind, resthookTimeoutMs, stepKind } from '@cam-esc/flow';
import { ActionStatus, EscRequestStatus } from '@cam-esc/instances';
import { JobName, JobPayloads, JobQueue } from '@cam-esc/jobs';
import { EscRequestRepository, EscRequestWithResource, InstanceRepository, MaintenanceCounterRepository } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';
import { completeEscRequest, EscRequestResult } from '../esc-requests/complete-esc-request';
import { recordVm } from '../esc-requests/record-vm';
import { outcomeOnEsc } from './outcome-on-esc';

/** Checks of ESC before giving up on a request whose final callback never came. */
export const RECONCILE_CHECKS = 3;

export type ReconcileEscRequestCommand = JobPayloads[JobName.ReconcileEscRequest];

const OPEN: string[] = [EscRequestStatus.Pending, EscRequestStatus.Accepted];

type Judgement = { kind: 'done'; result: EscRequestResult; reading?: EscReading } | { kind: 'wait'; why: string; reading?: EscReading };

/**
 * When a step's request does not end in time: for ESC (its final callback lost, or ESC
 * restarted), asks ESC for the resource with its kind's GET and ends the request from what ESC
 * says, recording the VMs it lists; while ESC is still working (or not answering) it looks again
 * later, and after RECONCILE_CHECKS looks it fails the step. A resthook call still open this late
 * was interrupted (its worker died): it is failed, never repeated.
 */
@Injectable()
export class ReconcileEscRequestUseCase {
  private readonly logger = new Logger(ReconcileEscRequestUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly requests: EscRequestRepository,
    private readonly esc: EscClient,
    private readonly connections: EscConnections,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    private readonly counters: MaintenanceCounterRepository,
  ) {}

  async execute(cmd: ReconcileEscRequestCommand): Promise<void> {
    const request = await this.requests.findWithResource(cmd.escRequestId);
    if (!request) return;
    // it ended after all; should the run that ended it have failed to queue the next step, queue it
    if (!OPEN.includes(request.status)) return this.runOnIfRunning(request.id, cmd.serviceInstanceId);
    const kind = stepKind(request.escResource.kind);
    if (kind.transport === 'http') {
      const left = await this.resthookTimeLeft(request);
      if (left > 0) {
        await this.jobs.enqueue(JobName.ReconcileEscRequest, { ...cmd, check: cmd.check + 1 }, { delayMs: left });
        return;
      }
    }
    const judged: Judgement =
      kind.transport === 'esc'
        ? await this.askEsc(request, kind, cmd.check)
        : { kind: 'done', result: { succeeded: false, summary: 'the resthook call was interrupted (its worker stopped) and its outcome is unknown; it is not repeated' } };
    const log = { serviceInstanceId: cmd.serviceInstanceId, escRequestId: request.id, escTransactionId: request.transactionId, internalId: request.escResource.internalId };

    const advance = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const current = await tx.escRequest.findUniqueOrThrow({ where: { id: request.id } });
      if (!OPEN.includes(current.status)) return false;
      for (const { vm, stage } of judged.reading?.vms ?? []) await recordVm(tx, request.escResourceId, vm, stage);
      if (judged.kind === 'wait') {
        await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ${judged.why}; checking again`);
        return false;
      }
      return completeEscRequest(tx, current, judged.result);
    });
    await this.counters.add('reconciliations', judged.kind === 'wait' ? 'still_running' : judged.result.succeeded ? 'succeeded' : 'failed');
    if (judged.kind === 'wait') {
      this.logger.warn(log, `ESC callback overdue: ${judged.why}`);
      await this.jobs.enqueue(JobName.ReconcileEscRequest, { ...cmd, check: cmd.check + 1 }, { delayMs: this.config.escCallbackTimeoutMs });
      return;
    }
    this.logger.warn({ ...log, succeeded: judged.result.succeeded }, `step overdue; reconciled: ${judged.result.summary}`);
    if (advance) await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: request.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: request.id });
  }

  private async runOnIfRunning(escRequestId: string, serviceInstanceId: string): Promise<void> {
    const request = await this.requests.findWithAction(escRequestId);
    if (!request || !request.isCurrentAction || request.actionInstance.status !== ActionStatus.InProgress) return;
    await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: request.actionInstanceId, serviceInstanceId, trigger: request.id });
  }

  /** How long a claimed resthook call may still be running (its timeout and a grace from when it was claimed). */
  private async resthookTimeLeft(request: EscRequestWithResource): Promise<number> {
    if (!request.sentAt) return 0;
    const action = await this.instances.withInstanceLock(request.escResource.serviceInstanceId, (tx) => tx.actionInstance.findUnique({ where: { id: request.actionInstanceId } }));
    const def = (action?.parameters as unknown as Partial<ActionParameters> | undefined)?.plan?.find((s) => s.id === request.stepId)?.resthook;
    const deadline = request.sentAt.getTime() + (def ? resthookTimeoutMs(def) : 300_000) + 30_000;
    return Math.max(0, deadline - Date.now());
  }

  /** Schedules this check again, in a new round (the failed job keeps its id). */
  async later(cmd: ReconcileEscRequestCommand): Promise<void> {
    await this.jobs.enqueue(JobName.ReconcileEscRequest, { ...cmd, round: `${cmd.round}-again` }, { delayMs: this.config.escCallbackTimeoutMs });
  }

  private async askEsc(request: EscRequestWithResource, kind: EscStepKind, check: number): Promise<Judgement> {
    const lastCheck = check >= RECONCILE_CHECKS;
    const waited = Math.round((this.config.escCallbackTimeoutMs * check) / 1000);
    const path = kind.getPath(request.escResource);
    const prefix = `no final callback from ESC after ${waited} s; GET ${path} answered`;
    let reading: EscReading;
    try {
      const target = await this.connections.resolve(request.escResource.serviceInstance.tenantId, request.escResource.connectionName);
      reading = kind.readGet(await this.esc.call({ method: 'GET', path }, target));
    } catch (e) {
      const why = e instanceof EscUnreachableError ? `ESC did not answer GET (${e.message})` : `ESC's answer to GET is not one the gateway can read (${(e as Error).message})`;
      if (!lastCheck) return { kind: 'wait', why: `no final callback from ESC after ${waited} s; ${why}` };
      return { kind: 'done', result: { succeeded: false, summary: `no final callback from ESC after ${waited} s, and ${why}` } };
    }
    const described = `${prefix} ${reading.state ?? reading.phase}`;
    const { outcome, why } = outcomeOnEsc(request.operation, reading, kind.kind);
    if (outcome !== 'open') {
      const result = { succeeded: outcome === 'succeeded', summary: `${described}: ${why}`, ...(outcome === 'succeeded' && !escOperationOfRequest(request.operation) ? { outputs: reading.outputs } : {}) };
      return { kind: 'done', result, reading };
    }
    if (lastCheck) return { kind: 'done', result: { succeeded: false, summary: `${described}: ${why}; giving up` }, reading };
    return { kind: 'wait', why: described, reading };
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { EscConnections } from '@cam-esc/connections';
import { EscClient, EscUnreachableError } from '@cam-esc/esc';
import { EscReading, stepKind } from '@cam-esc/flow';
import { EscRequestStatus, EscResourceStatus, InstanceStatus, OPEN_ESC_REQUEST_STATUSES } from '@cam-esc/instances';
import { JobName, JobPayloads, JobQueue } from '@cam-esc/jobs';
import { EscRequestRepository, EscRequestWithResource, InstanceRepository, MaintenanceCounterRepository, PrismaService, recordInstanceEvent } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';
import { recordResourceOutcome } from '../esc-requests/complete-esc-request';
import { recordVm } from '../esc-requests/record-vm';
import { outcomeOnEsc } from './outcome-on-esc';

export type SettleContradictedOutcomeCommand = JobPayloads[JobName.SettleContradictedOutcome];

/** GETs of ESC while it cannot tell yet (still working, not answering) before the recorded outcome is left as it is. */
export const SETTLE_CHECKS = 4;
const SETTLE_RETRY_MS = 10_000;

type Verdict = 'confirmed' | 'corrected' | 'undecided' | 'outdated';

/**
 * A final callback said the opposite of how its request was recorded to end (a SERVICE_ALIVE
 * success after a failure, or a failure after a success): ESC's own state decides. The request,
 * its resource and its VMs are made to say what ESC's GET says; an Active instance whose resource
 * ESC holds in error becomes Error. An action that already ended is not run again: the action log
 * says what happened, and an instance left in Error with a resource ESC holds well is terminated
 * or deployed again by its owner.
 */
@Injectable()
export class SettleContradictedOutcomeUseCase {
  private readonly logger = new Logger(SettleContradictedOutcomeUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly requests: EscRequestRepository,
    private readonly esc: EscClient,
    private readonly connections: EscConnections,
    private readonly jobs: JobQueue,
    private readonly counters: MaintenanceCounterRepository,
    private readonly prisma: PrismaService,
  ) {}

  async execute(cmd: SettleContradictedOutcomeCommand): Promise<void> {
    const request = await this.requests.findWithResource(cmd.escRequestId);
    // an open request is ended by its own path (callbacks, reconciliation)
    if (!request || OPEN_ESC_REQUEST_STATUSES.includes(request.status)) return;
    const kind = stepKind(request.escResource.kind);
    if (kind.transport !== 'esc') return;
    const callback = await this.prisma.escCallback.findUnique({ where: { id: cmd.callbackId }, select: { stage: true, statusCode: true } });
    const recorded = request.status === EscRequestStatus.Succeeded ? 'success' : 'failure';
    const told = `ESC's later ${callback?.stage ?? 'callback'} (ESC-Status-Code ${callback?.statusCode ?? 'none'}) contradicted the recorded ${recorded} of ${request.method} ${request.path}`;
    const path = kind.getPath(request.escResource);
    let reading: EscReading;
    try {
      const target = await this.connections.resolve(request.escResource.serviceInstance.tenantId, request.escResource.connectionName);
      reading = kind.readGet(await this.esc.call({ method: 'GET', path }, target));
    } catch (e) {
      if (!(e instanceof EscUnreachableError)) throw e;
      return this.again(cmd, request, `${told}; ESC did not answer GET ${path} (${e.message})`);
    }
    const { outcome, why } = outcomeOnEsc(request.operation, reading, kind.kind);
    const said = `${told}; GET ${path} answered ${reading.state ?? reading.phase}: ${why}`;
    if (outcome === 'open') return this.again(cmd, request, said);

    const verdict = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx, instance): Promise<Verdict> => {
      for (const { vm, stage } of reading.vms ?? []) await recordVm(tx, request.escResourceId, vm, stage);
      const current = await tx.escRequest.findUniqueOrThrow({ where: { id: request.id } });
      const latest = await tx.escRequest.findFirst({ where: { escResourceId: request.escResourceId }, orderBy: { createdAt: 'desc' }, select: { id: true } });
      if (latest?.id !== request.id) {
        // a later request (a delete, an update) speaks for the resource now: what ESC holds says nothing of this one
        await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ${told}; a later request of the ${kind.kind} has spoken for it since: nothing is changed`);
        return 'outdated';
      }
      if ((current.status === EscRequestStatus.Succeeded) === (outcome === 'succeeded')) {
        await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ${said}; the recorded ${recorded} stands`);
        return 'confirmed';
      }
      // ESC's state overrules what the gateway recorded
      await tx.escRequest.update({ where: { id: request.id }, data: { status: outcome === 'succeeded' ? EscRequestStatus.Succeeded : EscRequestStatus.Failed } });
      const resourceStatus = await recordResourceOutcome(tx, current, outcome === 'succeeded', outcome === 'succeeded' ? reading.outputs : undefined);
      let line = `step '${request.stepId}': ${said}; the request is now recorded as ${outcome === 'succeeded' ? 'succeeded' : 'failed'}${resourceStatus ? `, the ${kind.kind} as ${resourceStatus}` : ''}`;
      if (resourceStatus === EscResourceStatus.Error && instance.status === InstanceStatus.Active) {
        await tx.serviceInstance.update({ where: { id: instance.id }, data: { status: InstanceStatus.Error } });
        await recordInstanceEvent(tx, { serviceInstanceId: instance.id, actionInstanceId: request.actionInstanceId, type: 'state', data: { Status: InstanceStatus.Error, reason: said } });
        line += '; the instance is now Error';
      } else if (resourceStatus && outcome === 'succeeded' && instance.status === InstanceStatus.Error) {
        line += `; the instance stays Error (its action ended): terminate it, or deploy it again`;
      }
      await appendActionLog(tx, request.actionInstanceId, line);
      return 'corrected';
    });
    await this.counters.add('contradictions', verdict);
    const log = { serviceInstanceId: cmd.serviceInstanceId, escRequestId: request.id, internalId: request.escResource.internalId, verdict };
    if (verdict === 'corrected') this.logger.warn(log, `${said}; the records now follow ESC`);
    else this.logger.log(log, verdict === 'outdated' ? `${told}; a later request speaks for the resource` : `${said}; the recorded ${recorded} stands`);
  }

  /** ESC cannot tell yet: asked again a little later, SETTLE_CHECKS times in all; then the recorded outcome stands. */
  private async again(cmd: SettleContradictedOutcomeCommand, request: EscRequestWithResource, said: string): Promise<void> {
    if (cmd.check < SETTLE_CHECKS) {
      await this.jobs.enqueue(JobName.SettleContradictedOutcome, { ...cmd, check: cmd.check + 1 }, { delayMs: SETTLE_RETRY_MS * cmd.check });
      return;
    }
    await this.instances.withInstanceLock(cmd.serviceInstanceId, (tx) => appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ${said}; after ${cmd.check} checks the recorded outcome stands`));
    await this.counters.add('contradictions', 'undecided' satisfies Verdict);
  }
}

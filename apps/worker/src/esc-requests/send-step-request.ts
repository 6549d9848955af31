import { openRequest, SecretBox } from '@cam-esc/secrets';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { EscConnections } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';
import { EscAnswer, EscCircuitOpenError, EscClient, EscTarget, EscUnreachableError } from '@cam-esc/esc';
import { ActionParameters, EscStepKind, HttpStepKind, requestVerb, resthookTimeoutMs, stepKind } from '@cam-esc/flow';
import { EscRequestStatus, EscResourceStatus, OPEN_ESC_REQUEST_STATUSES } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { EscRequest, EscRequestRepository, EscRequestWithResource, InstanceRepository, MaintenanceCounterRepository, PrismaService, WORKER_GONE_MS } from '@cam-esc/persistence';
import { appendActionLog, maskActionSecrets } from '../action-log';
import { WorkerLiveness } from '../liveness/worker-liveness';
import { ResthookClient } from '../resthooks/resthook-client';
import { failAction } from '../run-action/action-outcome';
import { completeEscRequest } from './complete-esc-request';
import { adoptSupersededId, giveFreshInternalId, supersededInternalIds } from './fresh-internal-id';
import { backoffMs, isTransient, mayHaveApplied, probeBeforeResend, ProbeVerdict } from './resend-policy';

export interface SendCommand {
  requestId: string;
  serviceInstanceId: string;
  actionInstanceId: string;
  /** True when the job will not be retried again: an unreachable ESC then fails the step. */
  lastAttempt: boolean;
}

/** How ESC's answer to a request is taken. */
type Verdict = { kind: 'accepted'; note?: string } | { kind: 'gone'; note?: string } | { kind: 'refused' };

/**
 * What a refused request leaves of its resource: a refused create made nothing; after a 5xx ESC may
 * have made it all the same (terminate deletes it); a refused update, delete or operation leaves it
 * as it was on ESC (undefined: unchanged), unless ESC says it has no such resource.
 */
function refusedResourceStatus(verb: ReturnType<typeof requestVerb>, httpStatus: number): EscResourceStatus | undefined {
  if (verb === 'create') return httpStatus < 500 ? EscResourceStatus.Rejected : EscResourceStatus.Error;
  // ESC no longer has what the update was for (it lost it, or it was deleted behind the gateway's back): a retry makes it again
  if (verb === 'update' && httpStatus === 404) return EscResourceStatus.Undeployed;
  if (verb === 'operate' || verb === 'update') return undefined;
  return EscResourceStatus.Error;
}

/**
 * What a request that may not have reached ESC leaves of its resource: a create or delete may have
 * been done (Error: terminate or a retry deals with it); an update or an operation leaves it as it
 * was (undefined: unchanged), since ESC's copy is what it was or what the request asked.
 */
function unsentResourceStatus(verb: ReturnType<typeof requestVerb>): EscResourceStatus | undefined {
  return verb === 'update' || verb === 'operate' ? undefined : EscResourceStatus.Error;
}

/** A send to ESC is claimed while its worker lives, and at most for its connection's timeout and this long. */
const SEND_LEASE_GRACE_MS = 30_000;

/** A resthook call is claimed for this long past its timeout before the sweep calls it interrupted. */
const RESTHOOK_GRACE_MS = 30_000;

/**
 * Sends a persisted step request and records the answer. To ESC: a request is only re-sent while
 * ESC has not accepted it, and a create that finds its own internal id already on ESC (an earlier
 * send did reach it) counts as accepted; its callback ends it later. A resthook's call is claimed
 * before it is made (so it is made once) and its answer ends the step.
 */
@Injectable()
export class SendStepRequest {
  private readonly logger = new Logger(SendStepRequest.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly requests: EscRequestRepository,
    private readonly esc: EscClient,
    private readonly connections: EscConnections,
    private readonly resthooks: ResthookClient,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly liveness: WorkerLiveness,
    private readonly counters: MaintenanceCounterRepository,
    private readonly box: SecretBox,
  ) {}

  async send(cmd: SendCommand): Promise<void> {
    const request = await this.requests.findWithResource(cmd.requestId);
    if (!request || request.status !== EscRequestStatus.Pending) return;
    const kind = stepKind(request.escResource.kind);
    if (kind.transport === 'http') return this.callResthook(cmd, request, kind);
    return this.sendToEsc(cmd, request, kind);
  }

  /** When the overdue check of an accepted request is due: ESC's callback timeout, or a resthook's own. */
  overdueDelayMs(request: Pick<EscRequest, 'stepId'> & { escResource: { kind: string } }, plan?: ActionParameters['plan']): number {
    if (stepKind(request.escResource.kind).transport === 'esc') return this.config.escCallbackTimeoutMs;
    const def = plan?.find((s) => s.id === request.stepId)?.resthook;
    return (def ? resthookTimeoutMs(def) : 300_000) + RESTHOOK_GRACE_MS;
  }

  private async sendToEsc(cmd: SendCommand, first: EscRequestWithResource, kind: EscStepKind): Promise<void> {
    let request = first;
    const log = { serviceInstanceId: cmd.serviceInstanceId, actionInstanceId: cmd.actionInstanceId, escRequestId: request.id, internalId: request.escResource.internalId };
    let answer: EscAnswer;
    let verdict: Verdict;
    let target: EscTarget;
    try {
      target = await this.connections.resolve(request.escResource.serviceInstance.tenantId, request.escResource.connectionName);
    } catch (e) {
      if (!(e instanceof DomainException)) throw e;
      // the connection is gone: the step cannot be sent
      await this.recordFailure(cmd, request, { responseBody: e.message }, `step '${request.stepId}': ${e.message}`, unsentResourceStatus(requestVerb(request.operation)));
      return;
    }
    // one sender at a time: a second run (a sweep, a stalled job) waits for this one's answer rather
    // than racing it (a DELETE sent twice could read as gone, or as refused, while ESC deletes)
    const leaseMs = target.timeoutMs + SEND_LEASE_GRACE_MS;
    const claim = (await this.liveness.mayClaim()) ? await this.requests.claimSend(request.id, this.liveness.id, leaseMs) : ({ claimed: false } as const);
    if (!claim.claimed) {
      // another sender holds it (or this worker's beat is late); should that one die mid-send, the
      // takeover watch runs this action again within seconds; this run is a backstop (its own job id
      // each time: the id of the job running now would be ignored)
      await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: cmd.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: `lease.${request.id}.${Date.now().toString(36)}` }, { delayMs: WORKER_GONE_MS + 2000 });
      return;
    }
    if (claim.tookOverFrom) {
      // the worker that was sending it stopped mid-send: it may have reached ESC, which is asked first
      request = { ...request, maybeReceived: true };
      await this.noteTakeOver(cmd, request, claim.tookOverFrom).catch((e) => this.logger.warn({ ...log, err: (e as Error).message }, 'could not record the takeover of a send'));
    }
    try {
      const probed: ProbeVerdict = request.maybeReceived ? await probeBeforeResend(this.esc, request, kind, target) : { kind: 'send' };
      if (probed.kind !== 'send') {
        // ESC's answer to the attempt that reached it was lost: what is recorded is what the check found
        answer = { status: 0, body: probed.note };
        verdict = probed;
      } else {
        if (probed.freshId) {
          const moved = await giveFreshInternalId(this.instances, cmd.serviceInstanceId, request, kind);
          if (!moved) return await this.release(request.id);
          request = moved;
        }
        // the probe may have taken a while: a worker whose beat has gone stale by now could be taken over mid-send
        if (!(await this.liveness.mayClaim())) throw new EscUnreachableError('this worker could not write its beat lately; the request is sent later, from here or another worker', false);
        // sent with its secured values (stored sealed); ESC's answer may echo them: it is kept masked
        const sent = openRequest(this.box, request);
        answer = await this.esc.call({ method: request.method as 'POST' | 'PUT' | 'DELETE', path: request.path, body: sent.body ?? undefined, callbackUrl: `${this.config.publicUrl}/esc/callbacks/${request.callbackToken}`, eventsUrl: `${this.config.publicUrl}/esc/callbacks/${request.callbackToken}/events` }, target);
        answer = { ...answer, body: await maskActionSecrets(this.prisma, request.actionInstanceId, answer.body) };
        if (isTransient(answer.status)) {
          // ESC is failing over or overloaded: the same request again, later (a 500, or a proxy's 502 or 504, may have been applied all the same; 503, 429 and 408 say it was not)
          const said = `ESC answered HTTP ${answer.status} to ${request.method} ${request.path}: ${answer.body.trim().slice(0, 300) || '(empty body)'}`;
          return await this.sendLater(cmd, request, said, mayHaveApplied(answer.status), answer.retryAfterMs, { httpStatus: answer.status, responseBody: answer.body.slice(0, 10_000) });
        }
        verdict = await this.judge(request, answer, kind, target);
      }
    } catch (e) {
      if (e instanceof EscCircuitOpenError) return this.waitForCircuit(cmd, request, e);
      if (!(e instanceof EscUnreachableError)) {
        await this.release(request.id);
        throw e;
      }
      return this.sendLater(cmd, request, e.message, e.maybeReceived);
    }
    const escLog = { ...log, escTransactionId: answer.transactionId, httpStatus: answer.status };
    const answered = { httpStatus: answer.status || null, responseBody: answer.body.slice(0, 10_000), sentAt: new Date() };
    switch (verdict.kind) {
      case 'accepted':
        await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
          // callbacks (or a concurrent send) may already have moved this request on: the first answer wins
          await tx.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending }, data: { ...answered, status: EscRequestStatus.Accepted } });
          if (answer.transactionId) await tx.escRequest.updateMany({ where: { id: request.id, transactionId: null }, data: { transactionId: answer.transactionId } });
          await tx.escResource.updateMany({ where: { id: request.escResourceId, status: EscResourceStatus.Creating }, data: { status: EscResourceStatus.Deploying } });
          const how = answer.status ? `HTTP ${answer.status}, esc-transaction-id ${answer.transactionId ?? 'none'}` : 'its answer was lost';
          await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ESC accepted ${request.method} (${how})${verdict.note ? `; ${verdict.note}` : ''}`);
        });
        this.logger.log(escLog, `ESC accepted ${request.method} ${request.path}`);
        await this.scheduleOverdueCheck(request.id, cmd.serviceInstanceId, this.config.escCallbackTimeoutMs);
        return;
      case 'gone': {
        const advance = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
          const { count } = await tx.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending }, data: { ...answered, status: EscRequestStatus.Succeeded, completedAt: new Date() } });
          if (count === 0) return false;
          await tx.escResource.update({ where: { id: request.escResourceId }, data: { status: EscResourceStatus.Undeployed } });
          await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ESC does not know ${kind.kind} ${request.escResource.internalId} (404); treated as already deleted${verdict.note ? ` (${verdict.note})` : ''}`);
          return true;
        });
        if (advance) await this.runOn(cmd, request.id);
        return;
      }
      case 'refused':
        await this.recordFailure(
          cmd,
          request,
          answered,
          `step '${request.stepId}': ESC answered HTTP ${answer.status} to ${request.method} ${request.path}: ${answer.body.trim().slice(0, 2000) || '(empty body)'}`,
          refusedResourceStatus(requestVerb(request.operation), answer.status),
        );
        this.logger.warn(escLog, `ESC refused ${request.method} ${request.path}`);
        return;
    }
  }

  /**
   * ESC could not take the request now: it is sent again after a backoff (ESC's Retry-After when
   * longer), up to ESC_RETRY_LIMIT attempts; then the step fails with ESC's last words.
   */
  private async sendLater(cmd: SendCommand, request: EscRequestWithResource, why: string, maybeReceived: boolean, retryAfterMs?: number, answered?: { httpStatus: number; responseBody: string }): Promise<void> {
    const attempts = request.sendAttempts + 1;
    const { limit } = this.config.escRetry;
    const log = { serviceInstanceId: cmd.serviceInstanceId, escRequestId: request.id, internalId: request.escResource.internalId, attempt: attempts };
    if (attempts >= limit) {
      this.logger.error(log, `ESC could not take ${request.method} ${request.path} in ${attempts} attempts; step failed`);
      const verb = requestVerb(request.operation);
      const status = answered && verb === 'create' && answered.httpStatus >= 500 ? EscResourceStatus.Error : unsentResourceStatus(verb);
      return this.recordFailure(cmd, request, { responseBody: why, ...(answered ?? {}) }, `step '${request.stepId}': ${why}; gave up after ${attempts} attempts`, status);
    }
    const delayMs = backoffMs(attempts, this.config.escRetry, retryAfterMs);
    const still = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const { count } = await tx.escRequest.updateMany({
        // only this worker's claim: one taken over since (this worker was thought gone) is the new holder's
        where: { id: request.id, status: EscRequestStatus.Pending, sentBy: this.liveness.id },
        data: { sendAttempts: attempts, maybeReceived: request.maybeReceived || maybeReceived, sentAt: null, sentBy: null, ...(answered ?? {}) },
      });
      if (count === 1) await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ${why}; sending again in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempts + 1} of ${limit})`);
      return count === 1;
    });
    this.logger.warn({ ...log, delayMs, maybeReceived }, `ESC could not take ${request.method} ${request.path}; sending again later`);
    if (still) await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: cmd.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: `resend.${request.id}.${attempts}` }, { delayMs });
  }

  /**
   * The connection's circuit is open: nothing was sent, so no attempt is counted; the request
   * waits for the circuit's trial (plus a little jitter, so that the waiting requests do not all
   * come back at once) and is logged once per wait, not once per refusal.
   */
  private async waitForCircuit(cmd: SendCommand, request: EscRequestWithResource, e: EscCircuitOpenError): Promise<void> {
    await this.release(request.id);
    const delayMs = e.retryInMs + Math.floor(Math.random() * Math.min(1000, Math.max(100, e.retryInMs)));
    const marker = `circuit open on ESC connection '${e.connection}'`;
    await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      // the request remembers that it waits for the circuit: one log line per outage, however many refusals
      const { count } = await tx.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending, OR: [{ responseBody: null }, { responseBody: { not: marker } }] }, data: { responseBody: marker } });
      if (count === 1) await appendActionLog(tx, request.actionInstanceId, `step '${request.stepId}': ${e.message}; the request waits for ESC, without counting attempts`);
    });
    await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: cmd.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: `circuit.${request.id}.${Date.now().toString(36)}` }, { delayMs });
  }

  private async judge(request: EscRequestWithResource, answer: EscAnswer, kind: EscStepKind, target: Parameters<EscClient['call']>[1]): Promise<Verdict> {
    if (answer.status >= 200 && answer.status < 300) return { kind: 'accepted' };
    const verb = requestVerb(request.operation);
    if (verb === 'delete' && answer.status === 404) return { kind: 'gone' };
    // sent again after an attempt whose answer was lost: ESC is busy with that first one
    if (answer.status === 409 && request.maybeReceived && verb !== 'create') return { kind: 'accepted', note: 'ESC is busy with an earlier attempt of this request (409), whose callbacks end it' };
    if (verb === 'create' && answer.status === 409) {
      // internal ids are ours and never reused: if ESC has this one, an earlier send reached it
      // (an unreachable ESC here throws, and the job retries)
      const path = kind.getPath(request.escResource);
      const probe = await this.esc.call({ method: 'GET', path }, target);
      if (probe.status === 200) return { kind: 'accepted', note: `ESC answered 409 but already has ${kind.kind} ${request.escResource.internalId}: an earlier attempt reached it` };
      if (probe.status !== 404) throw new EscUnreachableError(`ESC answered ${probe.status} to GET ${path} after a 409; will try again`);
      // sent under a fresh id after an attempt ESC did not hold then: that attempt may have reached it late (ESC refuses the name twice)
      for (const earlier of supersededInternalIds(request.escResource.outputs)) {
        const earlierPath = kind.getPath({ ...request.escResource, internalId: earlier });
        const found = await this.esc.call({ method: 'GET', path: earlierPath }, target);
        if (found.status !== 200) continue;
        const why = `ESC refused ${request.escResource.internalId} (409)`;
        const adopted = await this.instances.withInstanceLock(request.escResource.serviceInstanceId, async (tx) => {
          if (await adoptSupersededId(tx, request, kind, earlier, why)) return true;
          // a callback of that late attempt may have taken the id back already: then it is accepted all the same
          const now = await tx.escRequest.findUnique({ where: { id: request.id }, include: { escResource: { select: { internalId: true } } } });
          return !!now && OPEN_ESC_REQUEST_STATUSES.includes(now.status) && now.escResource.internalId === earlier;
        });
        // otherwise something else ended the request meanwhile: recording a refusal then changes nothing
        if (!adopted) return { kind: 'refused' };
        return { kind: 'accepted', note: `ESC holds it as ${earlier}` };
      }
    }
    return { kind: 'refused' };
  }

  private async callResthook(cmd: SendCommand, request: EscRequestWithResource, kind: HttpStepKind): Promise<void> {
    // the plan is fixed at deploy: read without the instance lock
    const action = await this.prisma.actionInstance.findUniqueOrThrow({ where: { id: request.actionInstanceId } });
    const def = (action.parameters as unknown as ActionParameters).plan.find((s) => s.id === request.stepId)!.resthook!;
    const timeoutMs = resthookTimeoutMs(def);
    // scheduled before the call is claimed: should this worker die during it, the check ends the step as interrupted
    await this.scheduleOverdueCheck(request.id, cmd.serviceInstanceId, timeoutMs + RESTHOOK_GRACE_MS);
    // claim the call (one conditional update): it is made once, even when two jobs get here
    const { count } = await this.prisma.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending }, data: { status: EscRequestStatus.Accepted, sentAt: new Date() } });
    if (count === 0) return;
    const sent = openRequest<Record<string, string>>(this.box, { ...request, headers: request.headers as Record<string, string> | null });
    const raw = await this.resthooks.call({ method: request.method as 'GET', path: sent.path, body: sent.body ?? undefined, headers: sent.headers ?? {} }, timeoutMs);
    // an answer that echoes a secret is recorded (and read by later steps) with the secret masked
    const answer = { ...raw, body: await maskActionSecrets(this.prisma, action.id, raw.body) };
    const outcome = kind.judge(def, answer);
    const advance = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const { count } = await tx.escRequest.updateMany({
        where: { id: request.id, status: EscRequestStatus.Accepted },
        data: { httpStatus: answer.status || null, responseBody: answer.body.slice(0, 10_000) },
      });
      if (count === 0) return false;
      const current = await tx.escRequest.findUniqueOrThrow({ where: { id: request.id } });
      return completeEscRequest(tx, current, { succeeded: outcome.succeeded, statusCode: answer.status || null, summary: outcome.summary, outputs: outcome.outputs });
    });
    this.logger.log({ serviceInstanceId: cmd.serviceInstanceId, escRequestId: request.id, httpStatus: answer.status }, `resthook ${request.stepId} answered ${answer.status}`);
    if (advance) await this.runOn(cmd, request.id);
  }

  /** Fails the request, its resource and the step, unless callbacks already settled it. */
  private async recordFailure(
    cmd: SendCommand,
    request: EscRequest,
    data: { httpStatus?: number | null; responseBody: string; sentAt?: Date },
    line: string,
    resourceStatus: EscResourceStatus | undefined,
  ): Promise<void> {
    const advance = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const { count } = await tx.escRequest.updateMany({ where: { id: request.id, status: EscRequestStatus.Pending }, data: { ...data, status: EscRequestStatus.Failed, completedAt: new Date() } });
      if (count === 0) return false;
      if (resourceStatus) await tx.escResource.update({ where: { id: request.escResourceId }, data: { status: resourceStatus } });
      const action = await tx.actionInstance.findUniqueOrThrow({ where: { id: request.actionInstanceId } });
      return failAction(tx, action, line);
    });
    if (advance) await this.runOn(cmd, request.id);
  }

  private release(id: string): Promise<void> {
    return this.requests.releaseSend(id, this.liveness.id);
  }

  private async noteTakeOver(cmd: SendCommand, request: EscRequestWithResource, from: { worker: string | null; since: Date }): Promise<void> {
    const line = `step '${request.stepId}': the worker sending ${request.method} ${request.path} (${from.worker ?? 'unnamed'}, since ${from.since.toISOString()}) stopped mid-send; ESC is asked whether it got it before it is sent again`;
    await this.instances.withInstanceLock(cmd.serviceInstanceId, (tx) => appendActionLog(tx, request.actionInstanceId, line));
    this.logger.warn({ serviceInstanceId: cmd.serviceInstanceId, escRequestId: request.id, heldBy: from.worker }, 'took over a send whose worker is gone');
    await this.counters.add('send_takeovers', from.worker ? 'worker_gone' : 'lease_ended');
  }

  private runOn(cmd: SendCommand, trigger: string): Promise<void> {
    return this.jobs.enqueue(JobName.RunAction, { actionInstanceId: cmd.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger });
  }

  scheduleOverdueCheck(escRequestId: string, serviceInstanceId: string, delayMs: number): Promise<void> {
    return this.jobs.enqueue(JobName.ReconcileEscRequest, { escRequestId, serviceInstanceId, round: 'accepted', check: 1 }, { delayMs });
  }
}

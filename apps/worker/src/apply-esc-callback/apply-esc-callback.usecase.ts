import { Injectable, Logger } from '@nestjs/common';
import { EscCallback as ParsedCallback, HeaderBag, isSuccessCode, parseEscCallback } from '@cam-esc/esc';
import { EscStepKind, handlingOf, RequestHandling, stepKind } from '@cam-esc/flow';
import { ActionStatus, CallbackChannel, CallbackOutcome, EscRequestStatus, OPEN_ESC_REQUEST_STATUSES } from '@cam-esc/instances';
import { JobName, JobQueue, OutboxRelay, outboxEntry } from '@cam-esc/jobs';
import { EscCallback, EscCallbackRepository, EscRequest, EscRequestRepository, EscResource, InstanceRepository, OutboxEntry, Prisma, recordCallbackApplied, Tx, writeOutbox } from '@cam-esc/persistence';
import { actionSecrets, appendActionLog } from '../action-log';
import { maskSecrets, maskSecretsDeep } from '@cam-esc/catalog';
import { completeEscRequest } from '../esc-requests/complete-esc-request';
import { adoptSupersededId, supersededInternalIds } from '../esc-requests/fresh-internal-id';
import { recordVm } from '../esc-requests/record-vm';
import { ApplyEscEvent } from './apply-esc-event';

type RequestWithResource = EscRequest & { escResource: EscResource };

interface Applied {
  outcome: CallbackOutcome;
  detail?: string;
  /** A final stage (applied, or a duplicate of one): the request has ended and the flow may move on. */
  final?: boolean;
  /** It says the opposite of how the request was recorded to end: ESC is to be asked. */
  contradicts?: boolean;
}

/**
 * Applies stored ESC callbacks to instance state under the instance lock. Callbacks of one request
 * are applied in the order they arrived (an earlier one still queued is applied first),
 * the same callback twice changes nothing, and a late callback never moves a VM or a step backwards.
 */
@Injectable()
export class ApplyEscCallbackUseCase {
  private readonly logger = new Logger(ApplyEscCallbackUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly callbacks: EscCallbackRepository,
    private readonly requests: EscRequestRepository,
    private readonly jobs: JobQueue,
    private readonly events: ApplyEscEvent,
    private readonly outbox: OutboxRelay,
  ) {}

  async execute(callbackId: string): Promise<void> {
    const callback = await this.callbacks.findWithInstance(callbackId);
    if (!callback?.escRequestId || !callback.serviceInstanceId) return;
    const { serviceInstanceId, escRequestId } = callback;

    // a callback applied by an earlier attempt (which may not have got to enqueue) always follows up
    let ended = callback.outcome !== CallbackOutcome.Received;
    let relay: (readonly [bigint, OutboxEntry])[] = [];
    if (!ended) {
      ended = await this.instances.withInstanceLock(serviceInstanceId, async (tx) => {
        const due = await tx.escCallback.findMany({
          where: { escRequestId, outcome: CallbackOutcome.Received, seq: { lte: callback.seq } },
          orderBy: { seq: 'asc' },
        });
        if (due.length === 0) return false;
        // every due callback answers this one request: read it once, and keep the copy in step with what is applied
        const request = await tx.escRequest.findUniqueOrThrow({ where: { id: escRequestId }, include: { escResource: true } });
        let final = false;
        const settle: OutboxEntry[] = [];
        for (const cb of due) {
          const result = await this.applyOne(tx, cb, request);
          await keepMasked(tx, cb, request.actionInstanceId);
          final ||= result.final === true;
          if (result.contradicts) settle.push(outboxEntry(JobName.SettleContradictedOutcome, { escRequestId, serviceInstanceId, callbackId: cb.id, check: 1 }));
          const detail = result.detail ?? cb.detail;
          await recordCallbackApplied(tx, { id: cb.id, outcome: result.outcome, detail }, {
            serviceInstanceId,
            actionInstanceId: request.actionInstanceId,
            data: { channel: cb.channel, stage: cb.stage, outcome: result.outcome, detail, esc_transaction_id: cb.transactionId, status_code: cb.statusCode, step_id: request.stepId, callback_id: cb.id },
          });
          this.logger.log(
            { serviceInstanceId, escTransactionId: cb.transactionId, callbackId: cb.id, stage: cb.stage, outcome: result.outcome },
            `ESC callback ${cb.stage ?? '(unparsed)'}: ${result.outcome}${result.detail ? ` (${result.detail})` : ''}`,
          );
        }
        // queued with the outcome it follows: a crash after this commit does not lose the check
        const ids = await writeOutbox(tx, settle);
        relay = ids.map((id, i) => [id, settle[i]] as const);
        return final;
      });
      for (const [id, entry] of relay) this.outbox.relaySoon(id, entry);
    }
    // a VM's progress leaves the request open: nothing to follow up, nothing more to read
    if (ended) await this.followUp(escRequestId, serviceInstanceId);
  }

  /** Once the request has completed: drop its overdue check, and start the next step if due. */
  private async followUp(escRequestId: string, serviceInstanceId: string): Promise<void> {
    const request = await this.requests.findWithAction(escRequestId);
    if (!request || OPEN_ESC_REQUEST_STATUSES.includes(request.status)) return;
    await this.jobs.cancel(JobName.ReconcileEscRequest, { escRequestId, serviceInstanceId, round: 'accepted', check: 1 });
    // on success the next step, on failure the error_sequence (if the action still runs)
    if (!request.isCurrentAction || request.actionInstance.status !== ActionStatus.InProgress) return;
    await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: request.actionInstanceId, serviceInstanceId, trigger: request.id });
  }

  private async applyOne(tx: Tx, cb: EscCallback, request: RequestWithResource): Promise<Applied> {
    let parsed: ParsedCallback;
    try {
      parsed = parseEscCallback(cb.headers as HeaderBag, cb.body);
    } catch (e) {
      return { outcome: CallbackOutcome.Ignored, detail: `body is not well-formed XML: ${(e as Error).message}` };
    }
    const kind = stepKind(request.escResource.kind);
    if (kind.transport !== 'esc') return { outcome: CallbackOutcome.Unmatched, detail: `a ${kind.kind} step gets no ESC callbacks` };
    // posted to the Callback-ESC-Events URL: an event of the resource, outside any request
    if (cb.channel === CallbackChannel.Events) return this.events.apply(tx, request, parsed, kind);
    const mismatch = await this.correlate(tx, request, parsed, kind);
    if (mismatch) return { outcome: CallbackOutcome.Unmatched, detail: mismatch };

    const externalId = parsed.fields[kind.idOutput.replace(/^internal_/, 'external_')];
    if (externalId && !request.escResource.externalId) {
      await tx.escResource.update({ where: { id: request.escResourceId }, data: { externalId } });
      request.escResource.externalId = externalId;
    }
    const handling = handlingOf(kind, request.operation);
    switch (handling.roleOf(parsed.stage)) {
      case 'progress':
        return this.applyVmStage(tx, request, parsed);
      case 'final':
        return this.applyFinalStage(tx, request, parsed, kind, handling);
      case 'other':
        return { outcome: CallbackOutcome.Ignored, detail: `stage '${parsed.stage ?? ''}' is not tracked` };
    }
  }

  /**
   * The path token named the request; the transaction id (or, without one, the resource's internal
   * id: internal_deployment_id, internal_tenant_id, ...) must agree with it. Returns why not, or
   * undefined when it does.
   */
  private async correlate(tx: Tx, request: RequestWithResource, parsed: ParsedCallback, kind: EscStepKind): Promise<string | undefined> {
    const tid = parsed.transactionId;
    // the transaction id ESC gave for this very request wins over however the body names the resource
    if (tid && request.transactionId === tid) return undefined;
    const namedId = parsed.fields[kind.idOutput];
    if (namedId && namedId !== request.escResource.internalId) {
      // an id the resource gave up for a fresh one, which ESC made late after all: the resource takes it back
      const given = supersededInternalIds(request.escResource.outputs).includes(namedId);
      if (!given || !(await adoptSupersededId(tx, request, kind, namedId, `ESC's ${parsed.stage ?? 'callback'} names ${namedId}`))) {
        return `${kind.idOutput} ${namedId} is not ${request.escResource.internalId}`;
      }
    }
    if (!tid) return namedId ? undefined : `neither a transaction id nor an ${kind.idOutput}`;
    const other = await tx.escRequest.findUnique({ where: { transactionId: tid } });
    if (other && other.id !== request.id) return `transaction id ${tid} belongs to another request`;
    // an id the gateway never saw (ESC took an attempt whose answer was lost, and answered a later one with
    // another): the request's own URL and the resource the body names say whose callback it is
    if (request.transactionId) return namedId ? undefined : `transaction id ${tid} is not the one ESC gave for this request (${request.transactionId})`;
    // the callback beat ESC's answer to the worker: adopt the id now
    await tx.escRequest.update({ where: { id: request.id }, data: { transactionId: tid } });
    request.transactionId = tid;
    return undefined;
  }

  private async applyVmStage(tx: Tx, request: RequestWithResource, parsed: ParsedCallback): Promise<Applied> {
    const vm = parsed.vm;
    if (!vm) return { outcome: CallbackOutcome.Ignored, detail: `${parsed.stage} without deployment_details/vm_name` };
    if (!(await recordVm(tx, request.escResourceId, vm, parsed.stage!))) {
      return { outcome: CallbackOutcome.Ignored, detail: `VM ${vm.name} is already at a later stage` };
    }
    const ips = vm.interfaces.map((i) => i.ipAddress).filter(Boolean).join(', ');
    await appendActionLog(tx, request.actionInstanceId, `ESC ${parsed.stage}: VM ${vm.name} (group ${vm.group}${ips ? `, ${ips}` : ''})`);
    return { outcome: CallbackOutcome.Applied };
  }

  private async applyFinalStage(tx: Tx, request: RequestWithResource, parsed: ParsedCallback, kind: EscStepKind, handling: RequestHandling): Promise<Applied> {
    const expected = handling.successStages;
    const matches = expected.length === 0 || expected.includes(parsed.stage ?? '');
    const succeeded = matches && isSuccessCode(parsed.statusCode);
    if (request.status === EscRequestStatus.Succeeded || request.status === EscRequestStatus.Failed) {
      if ((request.status === EscRequestStatus.Succeeded) === succeeded) return { outcome: CallbackOutcome.Duplicate, detail: `request already ${request.status}`, final: true };
      // a failure after a success, or a success after a failure: ESC's own state (GET) decides
      const recorded = request.status === EscRequestStatus.Succeeded ? 'success' : 'failure';
      return { outcome: CallbackOutcome.Ignored, detail: `contradicts the recorded ${recorded} of the request; ESC is asked (GET) which holds`, contradicts: true };
    }
    // an operation's final event may describe its VM (VM_STOP_COMPLETE names it in vm_source)
    if (handling.operation && parsed.vm && parsed.stage && handling.operation.finalDescribesVm(parsed.stage)) await recordVm(tx, request.escResourceId, parsed.vm, parsed.stage);
    const summary = `ESC ${parsed.stage} with ESC-Status-Code ${parsed.statusCode ?? 'none'}: ${parsed.statusMessage ?? ''}`.trim();
    await completeEscRequest(tx, request, {
      succeeded,
      statusCode: parsed.statusCode,
      statusMessage: parsed.statusMessage,
      summary: matches ? summary : `${summary} (expected ${expected.join(' or ')})`,
      outputs: handling.verb === 'operate' ? {} : kind.outputsOf(parsed),
    });
    request.status = succeeded ? EscRequestStatus.Succeeded : EscRequestStatus.Failed;
    return { outcome: CallbackOutcome.Applied, final: true };
  }
}

/** Once applied, a callback is kept (for its audit) with the action's secured values that ESC echoed masked. */
async function keepMasked(tx: Tx, cb: EscCallback, actionInstanceId: string): Promise<void> {
  const secrets = await actionSecrets(tx, actionInstanceId);
  if (!secrets.length) return;
  const masked = {
    body: maskSecrets(cb.body, secrets),
    headers: maskSecretsDeep(cb.headers ?? {}, secrets) as Prisma.InputJsonValue,
    statusMessage: cb.statusMessage === null ? null : maskSecrets(cb.statusMessage, secrets),
  };
  if (JSON.stringify(masked) !== JSON.stringify({ body: cb.body, headers: cb.headers ?? {}, statusMessage: cb.statusMessage })) await tx.escCallback.update({ where: { id: cb.id }, data: masked });
}

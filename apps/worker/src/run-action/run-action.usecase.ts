import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ActionParameters, PlannedStep, StepPhase } from '@cam-esc/flow';
import { ActionStatus, ActionType, EscRequestStatus, EscResourceStatus, OPEN_ESC_REQUEST_STATUSES } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { ActionInstance, EscResource, InstanceRepository, PrismaService, Tx } from '@cam-esc/persistence';
import { SendStepRequest } from '../esc-requests/send-step-request';
import { WITH_VMS } from '../esc-requests/step-outputs';
import { failAction, finishAction } from './action-outcome';
import { StepStarter } from './step-starter';

export interface RunActionCommand {
  actionInstanceId: string;
  serviceInstanceId: string;
  /** True when the job will not be retried again: an unreachable ESC then fails the action. */
  lastAttempt: boolean;
}

/** What to do once the instance lock is released. */
type NextMove = { kind: 'idle' } | { kind: 'send'; requestId: string } | { kind: 'watch'; requestId: string } | { kind: 'again'; trigger: string };

/**
 * Advances an action by one step: decides under the instance lock what comes next (persisting
 * the step's request before it is sent), then has it sent. It only sequences: a provision runs its
 * planned steps in order, then, once one failed, its error steps; a terminate undoes what the
 * steps made in reverse order. What a step is (a deployment, a tenant, a resthook, ...) is its
 * kind's business (libs/flow). Running it again for the same state is safe.
 */
@Injectable()
export class RunActionUseCase {
  private readonly logger = new Logger(RunActionUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly starter: StepStarter,
    private readonly sender: SendStepRequest,
    private readonly jobs: JobQueue,
    private readonly prisma: PrismaService,
  ) {}

  async execute(cmd: RunActionCommand): Promise<void> {
    const move = await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx, instance): Promise<NextMove> => {
      const action = await tx.actionInstance.findUnique({ where: { id: cmd.actionInstanceId } });
      if (!action || action.serviceInstanceId !== instance.id || instance.currentActionInstanceId !== action.id) return { kind: 'idle' };
      if (action.status === ActionStatus.Succeeded || action.status === ActionStatus.Failed) return { kind: 'idle' };
      try {
        return action.type === ActionType.Terminate ? await this.nextTerminateMove(tx, action) : await this.nextProvisionMove(tx, instance.tenantId, action);
      } catch (e) {
        if (!(e instanceof DomainException)) throw e;
        const goOn = await failAction(tx, action, `${action.name} failed: ${e.message}`);
        return goOn ? { kind: 'again', trigger: `failed-${Date.now().toString(36)}` } : { kind: 'idle' };
      }
    });
    const send = { serviceInstanceId: cmd.serviceInstanceId, actionInstanceId: cmd.actionInstanceId, lastAttempt: cmd.lastAttempt };
    switch (move.kind) {
      case 'send':
        return this.sender.send({ ...send, requestId: move.requestId });
      case 'watch': {
        // a step waiting on ESC always has its overdue check scheduled (a no-op when it exists)
        const request = await this.prisma.escRequest.findUnique({ where: { id: move.requestId }, include: { escResource: true, actionInstance: true } });
        if (!request) return;
        const plan = (request.actionInstance.parameters as unknown as Partial<ActionParameters>).plan;
        return this.sender.scheduleOverdueCheck(move.requestId, cmd.serviceInstanceId, this.sender.overdueDelayMs(request, plan));
      }
      case 'again':
        return this.jobs.enqueue(JobName.RunAction, { actionInstanceId: cmd.actionInstanceId, serviceInstanceId: cmd.serviceInstanceId, trigger: move.trigger });
      case 'idle':
        return;
    }
  }

  /** The job failed for good (not for ESC being unreachable): end the action rather than leave it running. */
  async abandon(cmd: Omit<RunActionCommand, 'lastAttempt'>, reason: string): Promise<void> {
    await this.instances.withInstanceLock(cmd.serviceInstanceId, async (tx) => {
      const action = await tx.actionInstance.findUnique({ where: { id: cmd.actionInstanceId } });
      if (action) await finishAction(tx, action, false, `${action.name} failed: the worker could not run it (internal error; the worker log has the details of ${reason})`);
    });
  }

  private async nextProvisionMove(tx: Tx, tenantId: string, action: ActionInstance): Promise<NextMove> {
    const plan = (action.parameters as unknown as Partial<ActionParameters>).plan;
    if (!plan) throw DomainException.invalid('the action has no planned steps (it was submitted by an older gateway); deploy again');
    const phase: StepPhase = action.failure === null ? 'main' : 'error';
    const read = () => tx.escResource.findMany({ where: { serviceInstanceId: action.serviceInstanceId }, include: WITH_VMS });
    let rows = await read();
    const resources = new Map(rows.map((r) => [r.stepId, r]));
    for (const step of plan.filter((s) => s.phase === phase)) {
      const resource = resources.get(step.id);
      if (!resource) {
        try {
          return { kind: 'send', requestId: await this.starter.start(tx, tenantId, action, step, rows) };
        } catch (e) {
          if (!(e instanceof DomainException) || phase === 'main') throw e;
          // an error step that cannot even start is recorded as such, and the next one runs
          await this.starter.recordUnstartable(tx, action, step, e.message);
          rows = await read(); // the next error step may read this one's outputs
          continue;
        }
      }
      const next = await this.stepMove(tx, action, step, resource, phase);
      if (next) return next;
    }
    if (action.failure !== null) {
      await finishAction(tx, action, false, `${action.name} failed: ${action.failure} (the error_sequence has run)`);
      return { kind: 'idle' };
    }
    await finishAction(tx, action, true, `${action.name} completed: every step is done`);
    this.logger.log({ serviceInstanceId: action.serviceInstanceId, actionInstanceId: action.id }, `${action.name} completed`);
    return { kind: 'idle' };
  }

  /** For a step that has its resource: what to wait for, or undefined to go on to the next step. */
  private async stepMove(tx: Tx, action: ActionInstance, step: PlannedStep, resource: EscResource, phase: StepPhase): Promise<NextMove | undefined> {
    switch (resource.status) {
      case EscResourceStatus.Active:
        return undefined;
      case EscResourceStatus.Creating:
      case EscResourceStatus.Deploying:
        return (await this.openRequestMove(tx, action, resource.id)) ?? { kind: 'idle' };
      default:
        // an error step that failed was logged when it failed: the next one runs
        if (phase === 'error') return undefined;
        throw DomainException.invalid(`step '${step.id}': ${resource.kind} ${resource.internalId} is ${resource.status}`);
    }
  }

  private async nextTerminateMove(tx: Tx, action: ActionInstance): Promise<NextMove> {
    const resources = await tx.escResource.findMany({ where: { serviceInstanceId: action.serviceInstanceId }, orderBy: { sequenceNo: 'desc' } });
    for (const resource of resources) {
      if (resource.status === EscResourceStatus.Undeployed) continue;
      // a DELETE of this terminate still out: resend or wait; one left by an earlier, ended action is not ours to wait for
      const open = resource.status === EscResourceStatus.Undeploying ? await this.openRequestMove(tx, action, resource.id) : undefined;
      if (open) return open;
      const requestId = await this.starter.undo(tx, action, resource);
      if (requestId) return { kind: 'send', requestId };
    }
    await finishAction(tx, action, true, 'terminate completed: everything the steps made is deleted');
    this.logger.log({ serviceInstanceId: action.serviceInstanceId, actionInstanceId: action.id }, 'terminate completed');
    return { kind: 'idle' };
  }

  /** This action's request for the resource, if still out: re-send it while nobody has taken it, else wait. */
  private async openRequestMove(tx: Tx, action: ActionInstance, escResourceId: string): Promise<NextMove | undefined> {
    const open = await tx.escRequest.findFirst({
      where: { escResourceId, actionInstanceId: action.id, status: { in: [...OPEN_ESC_REQUEST_STATUSES] } },
      orderBy: { createdAt: 'desc' },
    });
    if (!open) return undefined;
    return open.status === EscRequestStatus.Pending ? { kind: 'send', requestId: open.id } : { kind: 'watch', requestId: open.id };
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ActionParameters } from '@cam-esc/flow';
import { ActionDetails, ActionMode, ActionStatus, ActionType } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { InstanceRepository, PrismaService } from '@cam-esc/persistence';
import { SendStepRequest } from '../esc-requests/send-step-request';
import { failAction, finishAction, markActionRunning } from './action-outcome';
import { FlowMoves } from './flow-moves';
import { NextMove } from './next-move';
import { OperationMoves } from './operation-moves';
import { TerminateMoves } from './terminate-moves';

export interface RunActionCommand {
  actionInstanceId: string;
  serviceInstanceId: string;
  /** True when the job will not be retried again: an unreachable ESC then fails the action. */
  lastAttempt: boolean;
}


/**
 * Advances an action by one step: decides under the instance lock what comes next (persisting
 * the step's request before it is sent), then has it sent. It only dispatches: a flow (deploy,
 * update, retry, resume, version change, custom) to FlowMoves, a terminate to TerminateMoves, an
 * ESC operation to OperationMoves. What a step is (a deployment, a tenant, a resthook, ...) is its
 * kind's business (libs/flow). Running it again for the same state is safe.
 */
@Injectable()
export class RunActionUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly flow: FlowMoves,
    private readonly terminate: TerminateMoves,
    private readonly operations: OperationMoves,
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
        await markActionRunning(tx, action);
        if (action.type === ActionType.Terminate) return await this.terminate.next(tx, action);
        if ((action.details as ActionDetails).mode === ActionMode.EscOperation) return await this.operations.next(tx, action);
        return await this.flow.next(tx, instance.tenantId, action);
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
}

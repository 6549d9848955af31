import { Injectable, Logger } from '@nestjs/common';
import { EscResourceStatus, PROVISION_SCOPE } from '@cam-esc/instances';
import { ActionInstance, EscResource, Tx } from '@cam-esc/persistence';
import { finishAction } from './action-outcome';
import { IDLE, NextMove, openRequestMove } from './next-move';
import { StepStarter } from './step-starter';

/**
 * A terminate: undoes what the steps made, one resource at a time: what custom actions made first
 * (newest first), then the instance's flow in reverse step order.
 */
@Injectable()
export class TerminateMoves {
  private readonly logger = new Logger(TerminateMoves.name);

  constructor(private readonly starter: StepStarter) {}

  async next(tx: Tx, action: ActionInstance): Promise<NextMove> {
    const resources = deletionOrder(await tx.escResource.findMany({ where: { serviceInstanceId: action.serviceInstanceId } }));
    for (const resource of resources) {
      if (resource.status === EscResourceStatus.Undeployed) continue;
      // a DELETE of this terminate still out: resend or wait; one left by an earlier, ended action is not ours to wait for
      const open = resource.status === EscResourceStatus.Undeploying ? await openRequestMove(tx, action, resource.id) : undefined;
      if (open) return open;
      const requestId = await this.starter.undo(tx, action, resource);
      if (requestId) return { kind: 'send', requestId };
    }
    await finishAction(tx, action, true, `${action.name} completed: everything the steps made is deleted`);
    this.logger.log({ serviceInstanceId: action.serviceInstanceId, actionInstanceId: action.id }, `${action.name} completed`);
    return IDLE;
  }
}

/** Custom actions' resources (newest first), then the flow's in reverse sequence order (the newest of a step first). */
export function deletionOrder<T extends Pick<EscResource, 'scope' | 'sequenceNo' | 'createdAt'>>(resources: T[]): T[] {
  return [...resources].sort((a, b) => {
    const customA = a.scope !== PROVISION_SCOPE ? 1 : 0;
    const customB = b.scope !== PROVISION_SCOPE ? 1 : 0;
    if (customA !== customB) return customB - customA;
    if (customA === 0 && a.sequenceNo !== b.sequenceNo) return b.sequenceNo - a.sequenceNo;
    return b.createdAt.getTime() - a.createdAt.getTime();
  });
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { escOperationNamed } from '@cam-esc/flow';
import { ActionDetails, EscResourceStatus, PROVISION_SCOPE } from '@cam-esc/instances';
import { ActionInstance, Tx } from '@cam-esc/persistence';
import { finishAction } from './action-outcome';
import { IDLE, NextMove, openRequestMove } from './next-move';
import { StepStarter } from './step-starter';

/**
 * A built-in ESC operation (stop, start, reboot, monitoring, recovery, snapshot): one request per
 * deployment of the instance (in step order, a stop in reverse), or one on the deployment that
 * holds the named VM. ESC's callbacks end each; the resources stay as they are.
 */
@Injectable()
export class OperationMoves {
  constructor(private readonly starter: StepStarter) {}

  async next(tx: Tx, action: ActionInstance): Promise<NextMove> {
    const asked = (action.details as ActionDetails).escOperation;
    const operation = asked && escOperationNamed(asked.operation);
    if (!asked || !operation) throw DomainException.invalid(`the action names no ESC operation the worker knows (${asked?.operation ?? 'none'})`);
    const deployments = await tx.escResource.findMany({
      where: { serviceInstanceId: action.serviceInstanceId, scope: PROVISION_SCOPE, kind: operation.onKind, status: EscResourceStatus.Active },
      include: { vms: { select: { vmName: true } } },
      orderBy: [{ sequenceNo: operation.order === 'reverse' ? 'desc' : 'asc' }],
    });
    const targets = operation.scope === 'vm' ? deployments.filter((d) => d.vms.some((vm) => vm.vmName === asked.vmName)) : deployments;
    if (targets.length === 0) {
      throw DomainException.invalid(operation.scope === 'vm' ? `no active ESC deployment of the instance has a VM named '${asked.vmName}'` : 'the instance has no active ESC deployment');
    }
    for (const deployment of targets) {
      const open = await openRequestMove(tx, action, deployment.id);
      if (open) return open;
      const done = await tx.escRequest.count({ where: { escResourceId: deployment.id, actionInstanceId: action.id } });
      if (done > 0) continue;
      return { kind: 'send', requestId: await this.starter.startOperation(tx, action, deployment, operation, { vmName: asked.vmName, snapshotName: asked.snapshotName }) };
    }
    await finishAction(tx, action, true, `${action.name} completed: ESC ${operation.name} done on ${targets.map((d) => d.name).join(', ')}`);
    return IDLE;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { InstanceStatus } from '@cam-esc/instances';
import { announceInstanceDeleted, InstanceRepository } from '@cam-esc/persistence';
import { knownFields } from '../lifecycle/instance-values';
import { quoted } from './started-answer';

/** How long a running action holds its instance's lock against a cleanup (the seed's 1 hour). */
export const ACTION_LOCK_MS = 60 * 60 * 1000;

/**
 * POST ServiceInstances/{id}/cleanup ({ force }): deletes the instance's record from the gateway
 * (not what it made on ESC: terminate does that). An instance in Error, terminated or never started
 * always goes; an Active one only with force: true; one whose action is still in progress is
 * refused with CAM's 419 ResourceLockError until its lock (1 hour from the action's start)
 * expires, unless forced. A forced cleanup of a running action leaves whatever ESC is doing to it.
 */
@Injectable()
export class CleanupInstanceUseCase {
  private readonly logger = new Logger(CleanupInstanceUseCase.name);

  constructor(private readonly instances: InstanceRepository) {}

  async execute(tenantId: string, id: string, body: unknown, now = new Date()) {
    const fields = knownFields(body, ['force', 'serviceInstanceId'], 'body');
    const force = fields.force ?? false;
    if (typeof force !== 'boolean') throw DomainException.invalid('force: must be true or false', { field: 'force' });
    const named = fields.serviceInstanceId;
    if (named !== undefined && named !== id) throw DomainException.invalid(`serviceInstanceId: '${quoted(named)}' is not the instance of the path (${id})`, { field: 'serviceInstanceId' });
    const found = await this.instances.findDetails(tenantId, id);
    if (!found) throw DomainException.notFound('service instance', id);
    const removed = await this.instances.withInstanceLock(id, async (tx, instance) => {
      const running = await tx.actionInstance.findFirst({ where: { serviceInstanceId: id, status: { in: ['Submitted', 'In_Progress'] } }, orderBy: { createdAt: 'desc' } });
      if (running && !force) {
        const since = running.startedAt ?? running.createdAt;
        if (now.getTime() - since.getTime() < ACTION_LOCK_MS) {
          throw new DomainException(
            DomainErrorCode.RESOURCE_LOCKED,
            `ResourceLockError: Failed to obtain lock for resource stack_${id}.; caused by Error: unable to obtain lock (action '${running.name}' is ${running.status} since ${since.toISOString()}; the lock expires at ${new Date(since.getTime() + ACTION_LOCK_MS).toISOString()}, or cleanup with force: true)`,
          );
        }
      }
      if (!running && instance.status === InstanceStatus.Active && !force) {
        throw DomainException.conflict(`service instance '${instance.name}' is Active: cleanup with force: false deletes only instances that are not active (terminate it first, or pass force: true)`);
      }
      await tx.serviceInstance.delete({ where: { id } });
      await announceInstanceDeleted(tx, id, tenantId);
      return { name: instance.name, Status: instance.status, running: running?.name };
    });
    this.logger.warn({ serviceInstanceId: id, force, status: removed.Status, runningAction: removed.running }, `instance '${removed.name}' cleaned up`);
    return { id, name: removed.name, Status: removed.Status, deleted: true, force };
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService, Tx } from '../prisma.service';
import { keysetAfter } from './keyset';
import { TextPattern, textPatternFilter } from './text-pattern';
import { INSTANCE_EVENTS_CHANNEL, recordInstanceEvent } from './instance-event.repository';
import type { VersionWithService } from './service.repository';
import { outboxInsertFrom, OutboxEntry, writeOutbox } from './job-outbox.repository';
import { isUuid } from './uuid';
import { ActionInstance, EscResource, EscVm, Prisma, ServiceInstance, ServiceVersion, Service } from '../generated/prisma/client';

export type InstanceDetails = ServiceInstance & {
  serviceVersion: ServiceVersion & { service: Service };
  actions: ActionInstance[];
  escResources: Array<EscResource & { vms: EscVm[]; requests: Array<{ transactionId: string | null; operation: string; status: string; createdAt: Date }> }>;
};

export interface NewInstance {
  tenantId: string;
  namespaceId: string;
  name: string;
  status: string;
  owner: string;
  group: string;
  serviceId: string;
  serviceVersionId: string;
  plan: string;
  planId: string;
  request: Prisma.InputJsonValue;
}

export interface NewAction {
  name: string;
  type: string;
  status: string;
  parameters: Prisma.InputJsonValue;
  securedNames: string[];
  /** The secured values, sealed (libs/secrets sealActionParameters); `parameters` holds them masked. */
  secretsSealed?: string | null;
  log: string;
  /** What the run is (ActionDetails); `{}` for a first deploy. */
  details?: Prisma.InputJsonValue;
}

const SUMMARY = {
  id: true,
  name: true,
  status: true,
  owner: true,
  group: true,
  namespaceId: true,
  tenantId: true,
  serviceId: true,
  serviceVersionId: true,
  plan: true,
  planId: true,
  currentActionInstanceId: true,
  activeAt: true,
  createdAt: true,
  updatedAt: true,
  serviceVersion: { select: { version: true, service: { select: { name: true } } } },
  actions: { select: { id: true, name: true, type: true, status: true }, orderBy: { createdAt: 'desc' }, take: 1 },
} satisfies Prisma.ServiceInstanceSelect;

export type InstanceSummary = Prisma.ServiceInstanceGetPayload<{ select: typeof SUMMARY }>;

export interface InstanceListQuery {
  tenantId: string;
  where: { name?: string; status?: string; owner?: string; serviceId?: string };
  /** filter[where][name][like|ilike]: part of a name. */
  namePattern?: TextPattern;
  order: { field: 'createdAt' | 'updatedAt' | 'name'; direction: 'asc' | 'desc' };
  limit: number;
  skip: number;
  after?: { value: string; id: string };
}

const DETAILS = {
  serviceVersion: { include: { service: true } },
  actions: { orderBy: { createdAt: 'asc' } },
  escResources: {
    orderBy: { sequenceNo: 'asc' },
    include: {
      vms: { orderBy: [{ groupName: 'asc' }, { vmName: 'asc' }] },
      requests: { select: { transactionId: true, operation: true, status: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
    },
  },
} satisfies Prisma.ServiceInstanceInclude;

/** Every column of service_instance under its model name (the compiler checks none is missing). */
const INSTANCE_COLUMNS: Record<keyof ServiceInstance, string> = {
  id: 'id',
  tenantId: 'tenant_id',
  namespaceId: 'namespace_id',
  name: 'name',
  status: 'status',
  owner: 'owner',
  group: 'group',
  serviceId: 'service_id',
  serviceVersionId: 'service_version_id',
  plan: 'plan',
  planId: 'plan_id',
  request: 'request',
  currentActionInstanceId: 'current_action_instance_id',
  activeAt: 'active_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const UUID_COLUMNS = new Set(['id', 'service_id', 'service_version_id', 'current_action_instance_id']);
const LOCKED_INSTANCE_COLUMNS = Prisma.raw(
  Object.entries(INSTANCE_COLUMNS)
    .map(([field, column]) => `"${column}"${UUID_COLUMNS.has(column) ? '::text' : ''} AS "${field}"`)
    .join(', '),
);

/** An item of a batch whose next action waits for the batch to start it. */
export interface BatchTurn {
  batchId: string;
  index: number;
}

@Injectable()
export class InstanceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * An instance with its first action (and the event that announces it), in one statement (all written or none), answered as
   * findDetails would without reading them back: the caller has the version, the rest is what was
   * written. `id` is chosen by the caller.
   */
  /** Writes the instance, its first action, its "started" event and the job that runs it (an outbox row) in one statement. */
  /**
   * The instance, its first action, its first event and (`job`) the outbox row that runs it, in one
   * statement. Without a job the action waits for whoever starts it (a batch: action status Queued).
   */
  async createWithAction(id: string, instance: NewInstance, action: NewAction & { id: string }, version: VersionWithService, job?: OutboxEntry): Promise<{ instance: InstanceDetails; outboxId?: bigint }> {
    // timestamps from here, in UTC as Prisma writes them (the database's now() follows its session time zone)
    const now = new Date();
    const [written] = await this.prisma.$queryRaw<{ outbox_id: bigint | null }[]>`
      WITH si AS (
        INSERT INTO service_instance (id, tenant_id, namespace_id, name, status, owner, "group", service_id, service_version_id, plan, plan_id, request, current_action_instance_id, created_at, updated_at)
        VALUES (${id}::uuid, ${instance.tenantId}, ${instance.namespaceId}, ${instance.name}, ${instance.status}, ${instance.owner}, ${instance.group}, ${instance.serviceId}::uuid,
                ${instance.serviceVersionId}::uuid, ${instance.plan}, ${instance.planId}, ${JSON.stringify(instance.request)}::jsonb, ${action.id}::uuid, ${now}::timestamp(3), ${now}::timestamp(3))
        RETURNING id, tenant_id
      )
      , ai AS (
        INSERT INTO action_instance (id, service_instance_id, name, type, status, parameters, secured_names, secrets_sealed, log, details, created_at, updated_at)
        SELECT ${action.id}::uuid, si.id, ${action.name}, ${action.type}, ${action.status}, ${JSON.stringify(action.parameters)}::jsonb, ${action.securedNames}::text[], ${action.secretsSealed ?? null}, ${action.log},
               ${JSON.stringify(action.details ?? {})}::jsonb, ${now}::timestamp(3), ${now}::timestamp(3)
        FROM si
      )
      , ev AS (
        INSERT INTO instance_event (tenant_id, service_instance_id, action_instance_id, type, data, created_at)
        SELECT si.tenant_id, si.id, ${action.id}::uuid, 'action', ${JSON.stringify({ event: 'started', action: action.name, action_type: action.type, action_status: action.status, Status: instance.status })}::jsonb, ${now}::timestamp(3)
        FROM si
        RETURNING id, tenant_id, service_instance_id
      )
      ${job ? Prisma.sql`, ob AS (${outboxInsertFrom(job, 'si')})` : Prisma.empty}
      SELECT ${job ? Prisma.sql`ob.id` : Prisma.sql`NULL::bigint`} AS outbox_id, pg_notify(${INSTANCE_EVENTS_CHANNEL}, json_build_object('id', ev.id::text, 'instance', ev.service_instance_id::text, 'tenant', ev.tenant_id)::text)::text AS notified
        FROM ev ${job ? Prisma.sql`, ob` : Prisma.empty}`;
    return { outboxId: written.outbox_id ?? undefined, instance: {
      id,
      ...instance,
      request: instance.request as Prisma.JsonValue,
      currentActionInstanceId: action.id,
      activeAt: null,
      createdAt: now,
      updatedAt: now,
      serviceVersion: version,
      actions: [
        {
          ...action,
          parameters: action.parameters as Prisma.JsonValue,
          secretsSealed: action.secretsSealed ?? null,
          details: (action.details ?? {}) as Prisma.JsonValue,
          progress: {},
          serviceInstanceId: id,
          failure: null,
          startedAt: null,
          finishedAt: null,
          createdAt: now,
          updatedAt: now,
        },
      ],
      escResources: [],
    } };
  }

  async delete(id: string): Promise<void> {
    await this.prisma.serviceInstance.deleteMany({ where: { id } });
  }

  async exists(tenantId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.prisma.serviceInstance.count({ where: { tenantId, id } })) > 0;
  }

  findDetails(tenantId: string, id: string): Promise<InstanceDetails | null> {
    return this.prisma.serviceInstance.findFirst({ where: { tenantId, id }, include: DETAILS });
  }

  /** An action instance of the tenant, with the instance it ran on. */
  findActionInstance(tenantId: string, id: string): Promise<(ActionInstance & { serviceInstance: ServiceInstance }) | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return Promise.resolve(null);
    return this.prisma.actionInstance.findFirst({ where: { id, serviceInstance: { tenantId } }, include: { serviceInstance: true } });
  }

  /** A page of the tenant's instances: the columns a list answers, and the service's name (never documents or logs). */
  listSummaries(q: InstanceListQuery): Promise<InstanceSummary[]> {
    return this.prisma.serviceInstance.findMany({
      where: {
        tenantId: q.tenantId,
        ...(q.after ? (keysetAfter(q.order, q.after, ['name']) as Prisma.ServiceInstanceWhereInput) : {}),
        ...(q.where.name !== undefined || q.namePattern
          ? { AND: [...(q.where.name !== undefined ? [{ name: q.where.name }] : []), ...(q.namePattern ? [{ name: textPatternFilter(q.namePattern) }] : [])] }
          : {}),
        ...(q.where.status !== undefined ? { status: q.where.status } : {}),
        ...(q.where.owner !== undefined ? { owner: q.where.owner } : {}),
        ...(q.where.serviceId !== undefined ? (isUuid(q.where.serviceId) ? { serviceId: q.where.serviceId } : { id: { in: [] } }) : {}),
      },
      select: SUMMARY,
      orderBy: [{ [q.order.field]: q.order.direction }, { id: q.order.direction }],
      take: q.limit,
      skip: q.skip,
    });
  }

  /**
   * Starts a new action on an existing instance under its row lock; `check` may refuse (throw)
   * on the instance's current state and its current action, so two requests cannot both start one.
   */
  startAction(
    instanceId: string,
    check: (instance: ServiceInstance, current: Pick<ActionInstance, 'id' | 'name' | 'type' | 'status' | 'startedAt' | 'createdAt'> | null) => void,
    action: NewAction & { id: string },
    status: string,
    /** The job that runs it; or, for an action that waits for its batch's turn (status Queued), the batch item that waits. */
    start: { job: OutboxEntry } | { turn: BatchTurn },
  ): Promise<{ instance: ServiceInstance; outboxId?: bigint }> {
    // a batch's turn takes the batch's lock first (as its cancel does), so that a cancel ends the rerun that races it
    const first = 'turn' in start ? (tx: Tx) => takeBatchTurn(tx, start.turn.batchId) : undefined;
    return this.withInstanceLock(instanceId, async (tx, instance) => {
      const current = instance.currentActionInstanceId
        ? await tx.actionInstance.findUnique({ where: { id: instance.currentActionInstanceId }, select: { id: true, name: true, type: true, status: true, startedAt: true, createdAt: true } })
        : null;
      check(instance, current);
      await tx.actionInstance.create({ data: { ...action, serviceInstanceId: instanceId } });
      const updated = await tx.serviceInstance.update({ where: { id: instanceId }, data: { status, currentActionInstanceId: action.id } });
      await recordInstanceEvent(tx, { serviceInstanceId: instanceId, actionInstanceId: action.id, type: 'action', data: { event: 'started', action: action.name, action_type: action.type, action_status: action.status, Status: status } });
      if ('turn' in start) {
        await tx.batchItem.updateMany({ where: { batchId: start.turn.batchId, index: start.turn.index, serviceInstanceId: instanceId }, data: { state: 'Pending', startedAt: null } });
        return { instance: updated };
      }
      const [outboxId] = await writeOutbox(tx, [start.job]);
      return { instance: updated, outboxId };
    }, first);
  }

  /**
   * Runs fn in a transaction holding the instance's row lock, so the steps and callbacks of one
   * instance are applied one at a time, whatever worker or gateway process runs them.
   */
  withInstanceLock<T>(instanceId: string, fn: (tx: Tx, instance: ServiceInstance) => Promise<T>, first?: (tx: Tx) => Promise<void>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await first?.(tx);
        // one round trip takes the lock and reads the row
        const [instance] = await tx.$queryRaw<ServiceInstance[]>`SELECT ${LOCKED_INSTANCE_COLUMNS} FROM service_instance WHERE id = ${instanceId}::uuid FOR UPDATE`;
        if (!instance) throw new InstanceGoneError(instanceId);
        return fn(tx, instance);
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }
}

/**
 * A batch's lock, for an action that waits for its turn in it: refused (BatchClosedError) once the
 * batch was cancelled; a batch that was Done runs again.
 */
async function takeBatchTurn(tx: Tx, batchId: string): Promise<void> {
  const [batch] = await tx.$queryRaw<Array<{ state: string }>>`SELECT state FROM batch WHERE id = ${batchId}::uuid FOR UPDATE`;
  if (!batch || batch.state === 'Cancelled' || batch.state === 'Validating') throw new BatchClosedError(batchId, batch?.state ?? 'gone');
  if (batch.state === 'Done') await tx.$executeRaw`UPDATE batch SET state = 'Running', updated_at = (now() AT TIME ZONE 'UTC')::timestamp(3) WHERE id = ${batchId}::uuid`;
}

export class BatchClosedError extends Error {
  constructor(
    readonly batchId: string,
    readonly state: string,
  ) {
    super(`batch ${batchId} is ${state}: it runs nothing more`);
  }
}

export class InstanceGoneError extends Error {
  constructor(readonly instanceId: string) {
    super(`service instance ${instanceId} no longer exists`);
  }
}

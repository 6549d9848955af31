import { Injectable, Logger } from '@nestjs/common';
import { MASK, SvcInstanceContext } from '@cam-esc/catalog';
import { ActionParameters } from '@cam-esc/flow';
import { ActionMode, ActionStatus, ActionType, InstanceStatus } from '@cam-esc/instances';
import { JobName, OutboxRelay, outboxEntry } from '@cam-esc/jobs';
import { InstanceDetails, InstanceRepository, Prisma } from '@cam-esc/persistence';
import { randomUUID } from 'node:crypto';
import { DeployInstanceDto } from '../dto/deploy-instance.dto';
import { InstanceRequestEcho } from '../instance.view';
import { DeployPreparation } from './deploy-preparation';

export interface DeployInstanceCommand {
  tenantId: string;
  versionId: string;
  body: DeployInstanceDto;
  aceOrgGuid?: string;
  namespace?: string;
  /** The kind of service the version belongs to (a standalone action's, for invokeAction). */
  serviceKind?: string;
}

/**
 * Validates a deploy completely before anything is written (DeployPreparation), then stores the
 * instance and its Provision action with the planned steps and hands the run to the worker.
 */
@Injectable()
export class DeployInstanceUseCase {
  private readonly logger = new Logger(DeployInstanceUseCase.name);

  constructor(
    private readonly preparation: DeployPreparation,
    private readonly instances: InstanceRepository,
    private readonly outbox: OutboxRelay,
  ) {}

  async execute(cmd: DeployInstanceCommand): Promise<InstanceDetails> {
    const instanceId = randomUUID();
    const { version, action, plan, owner, group, resolved, secured, steps, given } = await this.preparation.prepare(cmd, instanceId);
    const { body } = cmd;
    const specifications = body.resourceProperties?.specifications ?? [];
    const parameters: ActionParameters = { ...resolved, plan: steps, given, plan_name: plan.name };
    const actionId = randomUUID();
    const svc = resolved.svc_instance;
    const echo: InstanceRequestEcho = {
      ownership: { username: owner, displayName: body.ownership?.displayName ?? owner, orgGuid: group, spaceGuid: cmd.namespace ?? body.ownership?.spaceGuid ?? 'default', tenantId: cmd.tenantId },
      tags_input: (body.tags_input ?? []).map((t) => ({ ...t, value: t.secured ? MASK : resolveTag(t.value, svc) })),
      resourceProperties: {
        templateParameters: body.resourceProperties?.templateParameters ?? [],
        specifications: specifications.map((s) => ({ ...s, value: secured.includes(s.name) ? MASK : s.value })),
      },
      ace_orgGuid: cmd.aceOrgGuid,
      cloudOE_spaceGuid: cmd.namespace,
    };
    const job = outboxEntry(JobName.RunAction, { actionInstanceId: actionId, serviceInstanceId: instanceId, trigger: 'start' });
    // the instance, its action and the job that runs it, committed together; the answer shows the instance as submitted, whatever the worker does next
    const { instance: submitted, outboxId } = await this.instances.createWithAction(
      instanceId,
      {
        tenantId: cmd.tenantId,
        namespaceId: cmd.namespace ?? 'default',
        name: body.name,
        status: InstanceStatus.Submitted,
        owner,
        group,
        serviceId: version.serviceId,
        serviceVersionId: version.id,
        plan: plan.name,
        planId: body.instance_plan_id ?? version.id,
        request: echo as unknown as Prisma.InputJsonValue,
      },
      {
        id: actionId,
        name: action.name,
        type: ActionType.Provision,
        status: ActionStatus.Submitted,
        parameters: parameters as unknown as Prisma.InputJsonValue,
        securedNames: secured,
        log: '',
        details: { mode: ActionMode.Deploy, flowAction: action.name },
      },
      version,
      job,
    );
    this.outbox.relaySoon(outboxId, job);
    this.logger.log({ serviceInstanceId: instanceId, actionInstanceId: actionId }, `instance '${body.name}' submitted`);
    return submitted;
  }
}

function resolveTag(value: unknown, svc: SvcInstanceContext): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{svc_instance\.([a-z_]+)\}/g, (whole, key: string) => svc[key as keyof SvcInstanceContext] ?? whole);
}

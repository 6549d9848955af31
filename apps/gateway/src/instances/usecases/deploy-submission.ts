import { sealActionParameters, SecretBox } from '@cam-esc/secrets';
import { Injectable } from '@nestjs/common';
import { MASK, SvcInstanceContext } from '@cam-esc/catalog';
import { ActionParameters } from '@cam-esc/flow';
import { ActionMode, ActionStatus, ActionType, InstanceStatus } from '@cam-esc/instances';
import { InstanceDetails, InstanceRepository, NewAction, NewInstance, OutboxEntry, Prisma, VersionWithService } from '@cam-esc/persistence';
import { randomUUID } from 'node:crypto';
import { DeployInstanceDto } from '../dto/deploy-instance.dto';
import { InstanceRequestEcho } from '../instance.view';
import { DeployPreparation, LookupMemo } from './deploy-preparation';

export interface DeployInstanceCommand {
  tenantId: string;
  versionId: string;
  body: DeployInstanceDto;
  aceOrgGuid?: string;
  namespace?: string;
  /** The kind of service the version belongs to (a standalone action's, for invokeAction). */
  serviceKind?: string;
  /** Lookups shared by the deploys of one batch. */
  memo?: LookupMemo;
}

/** An instance and its Provision action as a deploy makes them, checked and ready to write. */
export interface BuiltDeploy {
  instanceId: string;
  instance: NewInstance;
  action: NewAction & { id: string };
  version: VersionWithService;
}

/**
 * What a deploy writes, for one instance (deploy) or many (a batch, whose actions wait: Queued):
 * every check of DeployPreparation, then the instance's record with its request echo (secured
 * values masked) and its Provision action with the planned steps.
 */
@Injectable()
export class DeploySubmission {
  constructor(
    private readonly preparation: DeployPreparation,
    private readonly instances: InstanceRepository,
    private readonly box: SecretBox,
  ) {}

  async build(cmd: DeployInstanceCommand, status: ActionStatus.Submitted | ActionStatus.Queued): Promise<BuiltDeploy> {
    const instanceId = randomUUID();
    const { version, action, plan, owner, group, resolved, secured, steps, given } = await this.preparation.prepare(cmd, instanceId);
    const { body } = cmd;
    const specifications = body.resourceProperties?.specifications ?? [];
    // stored with its secured values masked, and sealed beside
    const sealed = sealActionParameters<ActionParameters>(this.box, { ...resolved, plan: steps, given, plan_name: plan.name }, secured);
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
    return {
      instanceId,
      version,
      instance: {
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
      action: {
        id: randomUUID(),
        name: action.name,
        type: ActionType.Provision,
        status,
        parameters: sealed.parameters as unknown as Prisma.InputJsonValue,
        securedNames: secured,
        secretsSealed: sealed.secretsSealed,
        log: '',
        details: { mode: ActionMode.Deploy, flowAction: action.name },
      },
    };
  }

  write(built: BuiltDeploy, job?: OutboxEntry): Promise<{ instance: InstanceDetails; outboxId?: bigint }> {
    return this.instances.createWithAction(built.instanceId, built.instance, built.action, built.version, job);
  }
}

function resolveTag(value: unknown, svc: SvcInstanceContext): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{svc_instance\.([a-z_]+)\}/g, (whole, key: string) => svc[key as keyof SvcInstanceContext] ?? whole);
}

import { Injectable, Logger } from '@nestjs/common';
import {
  ActionParameters,
  CamServiceDocument,
  blockingMessage,
  checkServiceDocument,
  findAction,
  resolveInputParameters,
  resolveTemplateParams,
  StepParameters,
  stepsOf,
  SvcInstanceContext,
} from '@cam-esc/catalog';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { renderDeployment } from '@cam-esc/esc';
import { ActionStatus, ActionType, InstanceStatus } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { EscTemplate, InstanceDetails, InstanceRepository, Prisma, ServiceRepository, TemplateRepository } from '@cam-esc/persistence';
import { randomUUID } from 'node:crypto';
import { DeployInstanceDto } from '../dto/deploy-instance.dto';
import { MASK } from '../../common/mask';
import { InstanceRequestEcho } from '../instance.view';

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
 * Validates a deploy completely before anything is written (plan, parameters, every step's
 * template and placeholder), then stores the instance and its Provision action and hands the
 * run to the worker.
 */
@Injectable()
export class DeployInstanceUseCase {
  private readonly logger = new Logger(DeployInstanceUseCase.name);

  constructor(
    private readonly services: ServiceRepository,
    private readonly templates: TemplateRepository,
    private readonly instances: InstanceRepository,
    private readonly jobs: JobQueue,
  ) {}

  async execute(cmd: DeployInstanceCommand): Promise<InstanceDetails> {
    const version = await this.services.findVersion(cmd.tenantId, cmd.versionId, cmd.serviceKind);
    if (!version) {
      const service = await this.services.findById(cmd.tenantId, cmd.versionId);
      if (service) {
        throw new DomainException(
          DomainErrorCode.NOT_FOUND,
          `service version '${cmd.versionId}' was not found: that is the id of service '${service.name}'; deploy one of its versions (its default version, the serviceManifestId, is '${service.defaultVersionId}')`,
        );
      }
      throw DomainException.notFound('service version', cmd.versionId);
    }
    if (version.status === 'Retired') throw DomainException.invalid(`service version '${version.version}' is Retired and cannot be deployed (unretire it first)`, { field: 'status' });
    const doc = version.document as unknown as CamServiceDocument;
    const { body } = cmd;

    const actionName = body.action ?? 'Provision';
    const action = findAction(doc.actions, actionName);
    if (!action) throw DomainException.invalid(`action: service version '${version.version}' has no action '${actionName}'`, { field: 'action' });
    if (action.type !== ActionType.Provision) throw DomainException.invalid(`action: '${actionName}' is a '${action.type}' action; deploy runs a provision action`, { field: 'action' });

    const plans = doc.plans ?? [];
    const plan = body.instance_plan ? plans.find((p) => p.name === body.instance_plan) : plans[0];
    if (!plan) {
      throw DomainException.invalid(`instance_plan: '${body.instance_plan ?? ''}' is not a plan of this service version (plans: ${plans.map((p) => p.name).join(', ') || 'none'})`, {
        field: 'instance_plan',
      });
    }

    const instanceId = randomUUID();
    const owner = body.ownership?.username || body.ownership?.displayName || 'admin';
    const group = body.ownership?.orgGuid || cmd.aceOrgGuid || 'all';
    const specifications = body.resourceProperties?.specifications ?? [];
    const { resolved, secured } = resolveInputParameters(action, plan, specifications, { name: body.name, owner, group, service_instance_id: instanceId });

    // the checker behind createService's warnings: here what it finds stops the deploy
    // the checker reads each template once; the render below uses what it read
    const read = new Map<string, Promise<EscTemplate | null>>();
    const findTemplate = (name: string, version: string) => {
      const key = JSON.stringify([name, version]);
      if (!read.has(key)) read.set(key, this.templates.findByNameAndVersion(cmd.tenantId, name, version));
      return read.get(key)!;
    };
    const problem = blockingMessage(await checkServiceDocument(doc, findTemplate, { actionName: action.name, planName: plan.name }));
    if (problem) throw DomainException.invalid(problem);
    const steps: Record<string, StepParameters> = {};
    for (const step of stepsOf(action)) {
      if (step.kind !== 'template') continue; // the checker refused resthooks already
      const t = step.template;
      const template = await findTemplate(t.template_name!, t.version!);
      if (!template) throw DomainException.conflict(`Action '${action.name}', step '${step.id}': template '${t.template_name}' ${t.version} was deleted meanwhile`);
      const values = resolveTemplateParams(step.id, t.template_params ?? {}, resolved);
      // render once now, so what the worker will render is known to work (the worker renders again with its own ids)
      try {
        renderDeployment(template.content, values, (name) => name);
      } catch (e) {
        if (e instanceof DomainException) throw DomainException.invalid(`Action '${action.name}', step '${step.id}': ${e.message}`);
        throw e;
      }
      steps[step.id] = { templateId: template.id, templateName: template.name, templateVersion: template.version, values };
    }

    const parameters: ActionParameters = { ...resolved, steps };
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
    await this.instances.createWithAction(
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
      },
    );
    // the answer shows the instance as submitted, whatever the worker does next
    const submitted = (await this.instances.findDetails(cmd.tenantId, instanceId))!;
    try {
      await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: actionId, serviceInstanceId: instanceId, trigger: 'start' });
    } catch (e) {
      // nothing half-written: without its job the instance would never start
      await this.instances.delete(instanceId);
      this.logger.error({ serviceInstanceId: instanceId, err: e }, 'could not enqueue the deploy; instance removed');
      throw new DomainException(DomainErrorCode.UNAVAILABLE, 'the job queue is not reachable; nothing was deployed, try again');
    }
    this.logger.log({ serviceInstanceId: instanceId, actionInstanceId: actionId }, `instance '${body.name}' submitted`);
    return submitted;
  }
}

function resolveTag(value: unknown, svc: SvcInstanceContext): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{svc_instance\.([a-z_]+)\}/g, (whole, key: string) => svc[key as keyof SvcInstanceContext] ?? whole);
}

import { Injectable, Logger } from '@nestjs/common';
import {
  ActionParameters,
  CamServiceDocument,
  ESC_TEMPLATE_TYPE,
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
import { InstanceDetails, InstanceRepository, Prisma, ServiceRepository, TemplateRepository } from '@cam-esc/persistence';
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
    const version = await this.services.findVersion(cmd.tenantId, cmd.versionId);
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
    if (version.status === 'Retired') throw DomainException.conflict(`service version '${version.version}' is retired and cannot be deployed`);
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

    const steps: Record<string, StepParameters> = {};
    for (const step of stepsOf(action)) {
      const where = `action '${action.name}', step '${step.id}'`;
      if (step.kind === 'resthook') throw DomainException.invalid(`${where}: resthook steps are not supported by this gateway`);
      const t = step.template;
      if (t.template_type !== ESC_TEMPLATE_TYPE) {
        throw DomainException.invalid(`${where}: template '${t.template_name ?? step.title}' is of type '${t.template_type ?? 'unknown'}'; only 'ESC' templates can be deployed on ESC`);
      }
      const template = t.template_name && t.version ? await this.templates.findByNameAndVersion(cmd.tenantId, t.template_name, t.version) : null;
      if (!template) throw DomainException.invalid(`${where}: ESC template '${t.template_name ?? ''}' version '${t.version ?? ''}' is not in the template library`);
      if (template.resourceKind !== 'esc_datamodel') {
        throw DomainException.invalid(`${where}: template '${template.name}' makes an ESC ${template.resourceKind}; only esc_datamodel (deployment) templates can be deployed so far`);
      }
      const values = resolveTemplateParams(step.id, t.template_params ?? {}, resolved);
      const missing = template.placeholders.filter((p) => !Object.hasOwn(values, p));
      if (missing.length) throw DomainException.invalid(`${where}: template_params give no value for placeholder(s) ${missing.map((p) => `\${${p}}`).join(', ')} of template '${template.name}'`);
      // render once now, so what the worker will render is known to work (the worker renders again with its own ids)
      try {
        renderDeployment(template.content, values, (name) => name);
      } catch (e) {
        if (e instanceof DomainException) throw DomainException.invalid(`${where}: ${e.message}`);
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

import { sealActionParameters, SecretBox } from '@cam-esc/secrets';
import { Injectable } from '@nestjs/common';
import { CamAction, CamServiceDocument } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { ActionParameters } from '@cam-esc/flow';
import { ActionDetails, ActionType } from '@cam-esc/instances';
import { InstanceDetails, NewAction, Prisma, VersionWithService } from '@cam-esc/persistence';
import { DeployPreparation } from '../usecases/deploy-preparation';
import { svcInstanceOf } from './instance-values';

export interface FlowRunRequest {
  tenantId: string;
  instance: InstanceDetails;
  /** The version whose action runs (the instance's, or a version change's target). */
  version: VersionWithService;
  action: CamAction;
  planName: string;
  values: Record<string, unknown>;
  /** Where the values came from, for messages (update_details.instance_parameters, ...). */
  parametersField: string;
  type: ActionType;
  name: string;
  details: ActionDetails;
}

/**
 * An action run on an existing instance, checked as a deploy is (the flow, every parameter against
 * its type, every step rendered) before anything is written: the action instance to start.
 */
@Injectable()
export class FlowRunPreparation {
  constructor(
    private readonly preparation: DeployPreparation,
    private readonly box: SecretBox,
  ) {}

  async prepare(req: FlowRunRequest): Promise<Omit<NewAction, 'status'>> {
    const doc = req.version.document as unknown as CamServiceDocument;
    const plans = doc.plans ?? [];
    const plan = plans.find((p) => p.name === req.planName) ?? (req.planName ? undefined : plans[0]);
    if (!plan) throw DomainException.invalid(`plan: '${req.planName}' is not a plan of service version '${req.version.version}' (plans: ${plans.map((p) => p.name).join(', ') || 'none'})`, { field: 'plan' });
    const prepared = await this.preparation.prepareAction({
      tenantId: req.tenantId,
      version: req.version,
      action: req.action,
      plan,
      specifications: Object.entries(req.values).map(([name, value]) => ({ name, value })),
      svcInstance: svcInstanceOf(req.instance),
      parametersField: req.parametersField,
    });
    // stored with its secured values masked, and sealed beside
    const sealed = sealActionParameters<ActionParameters>(this.box, { ...prepared.resolved, plan: prepared.steps, given: prepared.given, plan_name: plan.name }, prepared.secured);
    return {
      name: req.name,
      type: req.type,
      parameters: sealed.parameters as unknown as Prisma.InputJsonValue,
      securedNames: prepared.secured,
      secretsSealed: sealed.secretsSealed,
      log: '',
      details: { ...req.details, serviceVersionId: req.version.id } as unknown as Prisma.InputJsonValue,
    };
  }
}

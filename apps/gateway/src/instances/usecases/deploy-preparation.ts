import { Injectable } from '@nestjs/common';
import { CamAction, CamPlan, CamServiceDocument, findAction, maskSecrets, OUTPUTS_NOT_YET_KNOWN, securedValues, ParameterLookups, resolveInputParameters, ResolvedParameters, Specification, SvcInstanceContext } from '@cam-esc/catalog';
import { EscConnections, SharedParameters } from '@cam-esc/connections';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { blockingMessage, checkServiceDocument, PlannedStep, planAction, RenderedCreate, renderStep, TemplateCache } from '@cam-esc/flow';
import { ActionType } from '@cam-esc/instances';
import { EscTemplate, ServiceRepository, TemplateRepository, VersionWithService } from '@cam-esc/persistence';
import { DeployInstanceDto } from '../dto/deploy-instance.dto';

export interface DeployRequest {
  tenantId: string;
  versionId: string;
  body: DeployInstanceDto;
  aceOrgGuid?: string;
  /** The kind of service the version belongs to (a standalone action's, for invokeAction). */
  serviceKind?: string;
  /** Lookups shared by many deploys of one submission (a batch): each read once. */
  memo?: LookupMemo;
}

/**
 * What many deploys of one version look up, read once for all of them: the version, its
 * templates, connections and shared parameters, as they were when the submission began.
 */
export class LookupMemo {
  private readonly seen = new Map<string, Promise<unknown>>();

  once<T>(key: unknown[], read: () => Promise<T>): Promise<T> {
    const k = JSON.stringify(key);
    if (!this.seen.has(k)) this.seen.set(k, read());
    return this.seen.get(k) as Promise<T>;
  }
}

/** One run of an action of a version, as prepareAction checks it. */
export interface ActionRunInput {
  tenantId: string;
  version: VersionWithService;
  action: CamAction;
  plan: CamPlan;
  specifications: Specification[];
  svcInstance: SvcInstanceContext;
  /** Where the values came from, for messages (resourceProperties.specifications by default). */
  parametersField?: string;
  memo?: LookupMemo;
}

/** An action run checked through and through. */
export interface PreparedAction {
  resolved: ResolvedParameters;
  secured: string[];
  steps: PlannedStep[];
  /** Each step's create request as it renders now (earlier steps' outputs shown as `${templates.…}`). */
  rendered: RenderedCreate[];
  /** The values as given (ActionParameters.given). */
  given: Record<string, unknown>;
}

/** A deploy checked through and through: what a real deploy stores and a dry run shows. */
export interface PreparedDeploy extends PreparedAction {
  version: VersionWithService;
  action: CamAction;
  plan: CamPlan;
  instanceId: string;
  owner: string;
  group: string;
}

/**
 * Everything a deploy checks before anything is written, shared by the deploy and its dry run:
 * version, action, plan, every parameter against its type, every step's template, connection and
 * references, and each step rendered once (the worker renders again with its own ids and the
 * outputs of the steps before).
 */
@Injectable()
export class DeployPreparation {
  private readonly compiled = new TemplateCache(200);

  constructor(
    private readonly services: ServiceRepository,
    private readonly templates: TemplateRepository,
    private readonly connections: EscConnections,
    private readonly sharedParameters: SharedParameters,
  ) {}

  async prepare(req: DeployRequest, instanceId: string): Promise<PreparedDeploy> {
    const version = await this.findVersion(req);
    const doc = version.document as unknown as CamServiceDocument;
    const { body } = req;
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

    const owner = body.ownership?.username || body.ownership?.displayName || 'admin';
    const group = body.ownership?.orgGuid || req.aceOrgGuid || 'all';
    const svcInstance = { name: body.name, owner, group, service_instance_id: instanceId };
    const prepared = await this.prepareAction({ tenantId: req.tenantId, version, action, plan, specifications: body.resourceProperties?.specifications ?? [], svcInstance, memo: req.memo });
    return { version, action, plan, instanceId, owner, group, ...prepared };
  }

  /**
   * Checks an action of a version for one run (a deploy, an update, a retry, a version change, a
   * custom action): the flow, every parameter against its type, every step's template and
   * connection, each step rendered once. Throws DomainException naming the field and the rule.
   */
  async prepareAction(input: ActionRunInput): Promise<PreparedAction> {
    const { tenantId, version, action, plan, specifications, svcInstance } = input;
    const doc = version.document as unknown as CamServiceDocument;
    // the checker behind createService's warnings: here what it finds stops the run;
    // it reads each template once, and the planning and rendering below use what it read
    const memo = input.memo ?? new LookupMemo();
    const findTemplate = (name: string, v: string): Promise<EscTemplate | null> => memo.once(['template', name, v], () => this.templates.findByNameAndVersion(tenantId, name, v));
    const lookups = this.lookups(tenantId, memo);
    const connectionExists = lookups.connectionExists;
    const flowProblem = blockingMessage(await checkServiceDocument(doc, findTemplate, { actionName: action.name, planName: plan.name, connectionExists }));
    // the parameters' problems and the flow's, in one answer
    let input2: Awaited<ReturnType<typeof resolveInputParameters>>;
    try {
      input2 = await resolveInputParameters(action, plan, specifications, svcInstance, lookups, input.parametersField);
    } catch (e) {
      if (!(e instanceof DomainException) || !flowProblem) throw e;
      throw DomainException.invalid(`${e.message}; ${flowProblem}`, e.details);
    }
    if (flowProblem) throw DomainException.invalid(flowProblem);
    const { resolved, secured } = input2;

    // what only the run knows stays as written: earlier steps' outputs, and why the action failed (error steps)
    const ctx = { ...resolved, templates: OUTPUTS_NOT_YET_KNOWN, errorMessage: '${svc_instance.error.message}' };
    const steps = await planAction(action, plan, ctx, findTemplate);
    const rendered: RenderedCreate[] = [];
    for (const step of steps) {
      if (step.connection && !(await connectionExists(step.connection))) {
        throw DomainException.invalid(`Action '${action.name}', step '${step.id}': ESC connection '${step.connection}' does not exist (see /cam/api/v1/connections)`);
      }
      const template = step.template ? await findTemplate(step.template.name, step.template.version) : null;
      try {
        rendered.push(renderStep(step, ctx, { resourceId: '00000000-0000-4000-8000-000000000000', internalId: `ceg-dry-run-${step.id}`.slice(0, 72) }, template ? this.compiled.compiled(template) : undefined));
      } catch (e) {
        // a message may quote a resolved value: secured ones stay masked
        if (e instanceof DomainException) throw new DomainException(e.code, maskSecrets(`Action '${action.name}', step '${step.id}': ${e.message}`, securedValues(resolved, secured)), e.details);
        throw e;
      }
    }
    const given = Object.fromEntries(specifications.map((s) => [s.name, s.value]));
    return { resolved, secured, steps, rendered, given };
  }

  private async findVersion(req: DeployRequest): Promise<VersionWithService> {
    const find = () => this.services.findVersion(req.tenantId, req.versionId, req.serviceKind);
    const version = await (req.memo ? req.memo.once(['version', req.versionId, req.serviceKind], find) : find());
    if (!version) {
      const service = await this.services.findById(req.tenantId, req.versionId);
      if (service) {
        throw new DomainException(
          DomainErrorCode.NOT_FOUND,
          `service version '${req.versionId}' was not found: that is the id of service '${service.name}'; deploy one of its versions (its default version, the serviceManifestId, is '${service.defaultVersionId}')`,
        );
      }
      throw DomainException.notFound('service version', req.versionId);
    }
    if (version.status === 'Retired') throw DomainException.invalid(`service version '${version.version}' is Retired and cannot be deployed (unretire it first)`, { field: 'status' });
    return version;
  }

  private lookups(tenantId: string, memo: LookupMemo): ParameterLookups {
    return {
      connectionExists: (name) => memo.once(['connection', name], () => this.connections.exists(tenantId, name)),
      sharedParameter: (name) => memo.once(['shared', name], () => this.sharedParameters.resolve(tenantId, name)),
    };
  }
}

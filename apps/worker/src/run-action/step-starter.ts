import { Injectable } from '@nestjs/common';
import { EscConnections } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';
import { CompiledTemplate } from '@cam-esc/esc';
import { ActionParameters, EscOperation, OperationArguments, operationName, PlannedStep, RenderedCreate, renderStep, StepRequest, stepKind, TemplateCache } from '@cam-esc/flow';
import { EscRequestStatus, EscResourceStatus, PROVISION_SCOPE } from '@cam-esc/instances';
import { ActionInstance, EscResource, Prisma, Tx } from '@cam-esc/persistence';
import { TemplateOutputs } from '@cam-esc/catalog';
import { randomBytes, randomUUID } from 'node:crypto';
import { actionSecrets, appendActionLog } from '../action-log';
import { openActionParameters, openRequest, sealHeaders, SecretBox, sealText } from '@cam-esc/secrets';
import { ResourceWithVms, stepOutputs } from '../esc-requests/step-outputs';
import { markActionRunning } from './action-outcome';

/**
 * Makes the resource row and the persisted request of a step (before anything is sent), or of
 * its undoing. The caller holds the instance lock; every kind-specific part is its kind's.
 */
@Injectable()
export class StepStarter {
  private readonly templates = new TemplateCache();

  constructor(
    private readonly connections: EscConnections,
    private readonly box: SecretBox,
  ) {}

  /**
   * Renders the step with the values of now (earlier steps' outputs included), as a new resource,
   * or, given `existing`, as that resource (same internal id and name) to see whether it changed.
   * `resources`: the instance's, as the caller just read them under the lock (with WITH_VMS).
   */
  async render(tx: Tx, tenantId: string, action: ActionInstance, step: PlannedStep, resources: ResourceWithVms[], existing?: EscResource): Promise<RenderedStep> {
    const kind = stepKind(step.kind);
    // the values with their secrets: what ESC gets (stored requests keep them sealed)
    const parameters = openActionParameters(this.box, action) as unknown as ActionParameters;
    const outputs = stepOutputs(resources);
    // error steps run after a failure: an output of a step that never ran reads as empty
    const templates: TemplateOutputs = step.phase === 'error' ? (id, name) => outputs(id, name) ?? '' : outputs;
    const ctx = { ...parameters, templates, errorMessage: action.failure ?? undefined };
    const resourceId = existing?.id ?? randomUUID();
    // the gateway owns ESC identities: an internal id never reused, carrying the resource id
    const identity = { resourceId, internalId: existing?.internalId ?? internalIdOf(resourceId), defaultTenant: undefined as string | undefined };
    let template: CompiledTemplate | undefined;
    let connection = step.connection;
    if (kind.transport === 'esc') {
      const target = await this.connections.resolve(tenantId, existing?.connectionName ?? step.connection);
      identity.defaultTenant = target.defaultTenant;
      connection = target.name;
      const stored = await tx.escTemplate.findUnique({ where: { id: step.template!.id } });
      if (!stored) throw DomainException.invalid(`step '${step.id}': its ESC template was deleted from the library after the action was accepted`);
      template = this.templates.compiled(stored);
    }
    try {
      return { resourceId, connection, rendered: renderStep(step, ctx, identity, template) };
    } catch (e) {
      if (e instanceof DomainException) throw DomainException.invalid(`step '${step.id}': ${e.message}`);
      throw e;
    }
  }

  /** Renders the step as a new resource of `scope` and persists its create; returns the request's id. */
  async start(tx: Tx, tenantId: string, action: ActionInstance, step: PlannedStep, resources: ResourceWithVms[], scope: string = PROVISION_SCOPE): Promise<string> {
    const kind = stepKind(step.kind);
    const { resourceId, connection, rendered } = await this.render(tx, tenantId, action, step, resources);
    await markActionRunning(tx, action);
    await this.createResource(tx, action, step, resourceId, scope, { name: rendered.name, escTenant: rendered.escTenant, connectionName: connection, outputs: rendered.outputs, status: EscResourceStatus.Creating });
    const requestId = await this.persistRequest(tx, action, resourceId, step.id, operationName('create', kind.kind), rendered.request);
    const what = kind.transport === 'esc' ? `${kind.kind} ${rendered.name}${rendered.escTenant ? ` in ESC tenant ${rendered.escTenant}` : ''}, template ${step.template!.name} ${step.template!.version}, connection ${connection}` : 'resthook call';
    await appendActionLog(tx, action, `step '${step.id}': ${rendered.request.method} ${rendered.request.path} (${what})`);
    return requestId;
  }

  /** Persists the request that changes a resource to its new rendering (a PUT; a resthook's call again). */
  async startUpdate(tx: Tx, action: ActionInstance, resource: EscResource, request: StepRequest, why: string): Promise<string> {
    await markActionRunning(tx, action);
    const requestId = await this.persistRequest(tx, action, resource.id, resource.stepId, operationName('update', resource.kind), request);
    await appendActionLog(tx, action, `step '${resource.stepId}': ${request.method} ${request.path} (${resource.kind} ${resource.name}: ${why})`);
    return requestId;
  }

  /** Persists the request of an ESC operation (stop, reboot, ...) on a deployment. */
  async startOperation(tx: Tx, action: ActionInstance, deployment: EscResource, operation: EscOperation, args: OperationArguments): Promise<string> {
    await markActionRunning(tx, action);
    // the tenant as ESC names it (its callbacks' internal_tenant_id): the datamodel's `admin` is SystemAdminTenantId to ESC
    const escTenant = (deployment.outputs as Record<string, string>).esc_internal_tenant_id || deployment.escTenant;
    const request = operation.request({ internalId: deployment.internalId, escTenant }, args);
    const requestId = await this.persistRequest(tx, action, deployment.id, deployment.stepId, operation.requestName, request);
    const on = args.vmName ? `VM ${args.vmName} of deployment ${deployment.name}` : `deployment ${deployment.name}`;
    await appendActionLog(tx, action, `${operation.name}: ${request.method} ${request.path} (${on}, connection ${deployment.connectionName})`);
    return requestId;
  }

  /** An error step that could not start (its connection or template gone, a value it cannot render): a row that says so, with nothing on ESC. */
  async recordUnstartable(tx: Tx, action: ActionInstance, step: PlannedStep, reason: string, scope: string = PROVISION_SCOPE): Promise<void> {
    await this.createResource(tx, action, step, randomUUID(), scope, { name: step.id, escTenant: '', connectionName: step.connection, outputs: {}, status: EscResourceStatus.Rejected });
    await appendActionLog(tx, action, `error step '${step.id}' could not start: ${reason}`);
  }

  /** The row of what a step makes; its internal id carries the row's id, as its name does. */
  private async createResource(
    tx: Tx,
    action: ActionInstance,
    step: PlannedStep,
    resourceId: string,
    scope: string,
    made: { name: string; escTenant: string; connectionName: string; outputs: Record<string, string>; status: EscResourceStatus },
  ): Promise<void> {
    await tx.escResource.create({
      data: {
        id: resourceId,
        serviceInstanceId: action.serviceInstanceId,
        scope,
        stepId: step.id,
        sequenceNo: step.sequenceNo,
        kind: step.kind,
        internalId: internalIdOf(resourceId),
        ...made,
        outputs: made.outputs as Prisma.InputJsonValue,
      },
    });
  }

  /** Persists the request that deletes what the resource is; undefined when there is nothing to delete (marked so). */
  async undo(tx: Tx, action: ActionInstance, resource: EscResource): Promise<string | undefined> {
    const kind = stepKind(resource.kind);
    const request = kind.transport === 'esc' && resource.status !== EscResourceStatus.Rejected ? kind.deleteRequest(resource) : undefined;
    if (!request) {
      await tx.escResource.update({ where: { id: resource.id }, data: { status: EscResourceStatus.Undeployed } });
      const why = resource.status === EscResourceStatus.Rejected ? `ESC refused to create ${resource.kind} ${resource.internalId}` : `a ${resource.kind} step makes nothing on ESC`;
      await appendActionLog(tx, action, `step '${resource.stepId}': ${why}; nothing to delete`);
      return undefined;
    }
    await markActionRunning(tx, action);
    await tx.escResource.update({ where: { id: resource.id }, data: { status: EscResourceStatus.Undeploying } });
    const requestId = await this.persistRequest(tx, action, resource.id, resource.stepId, operationName('delete', kind.kind), request);
    await appendActionLog(tx, action, `step '${resource.stepId}': ${request.method} ${request.path} (${resource.kind} ${resource.name}, connection ${resource.connectionName})`);
    return requestId;
  }

  /** A request as it was stored, with its secured values: to send it, or to compare a new rendering with it. */
  opened<H>(row: { path: string; pathSealed?: string | null; body: string | null; bodySealed?: string | null; headers?: H | null; headersSealed?: string | null }): { path: string; body: string | null; headers: H | null } {
    return openRequest(this.box, row);
  }

  /** Persists a request before it is sent: its secured values masked in body and headers, the whole sealed beside. */
  private async persistRequest(tx: Tx, action: ActionInstance, escResourceId: string, stepId: string, operation: string, request: StepRequest): Promise<string> {
    const secrets = await actionSecrets(tx, action.id);
    // a resthook's URL may carry a secret (an ESC path is the gateway's own ids, and is used as stored)
    const path = /^https?:\/\//i.test(request.path) ? sealText(this.box, request.path, secrets) : { text: request.path, sealed: null };
    const body = request.body === undefined ? undefined : sealText(this.box, request.body, secrets);
    const headers = request.headers ? sealHeaders(this.box, request.headers as Record<string, unknown>, secrets) : undefined;
    const row = await tx.escRequest.create({
      data: {
        actionInstanceId: action.id,
        escResourceId,
        stepId,
        operation,
        method: request.method,
        path: path.text,
        pathSealed: path.sealed,
        body: body?.text,
        bodySealed: body?.sealed ?? null,
        ...(headers && { headers: headers.headers as Prisma.InputJsonValue, headersSealed: headers.sealed }),
        callbackToken: randomBytes(24).toString('base64url'),
        status: EscRequestStatus.Pending,
      },
    });
    return row.id;
  }
}

/** A step rendered for a run: its resource's id (new, or the existing one's) and its connection. */
export interface RenderedStep {
  resourceId: string;
  connection: string;
  rendered: RenderedCreate;
}

/** The gateway's internal id of a resource on ESC: 40 unreserved characters, never reused. */
function internalIdOf(resourceId: string): string {
  return `ceg-${resourceId}`;
}

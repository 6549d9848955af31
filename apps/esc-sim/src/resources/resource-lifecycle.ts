import { Injectable } from '@nestjs/common';
import { CallbackSender } from '../callbacks/callback-sender';
import { OperationContext, OperationRequest } from '../common/operation-runner';
import { DeploymentsService } from '../deployments/deployments.service';
import { RESOURCE_KINDS } from './resource-kinds';
import { ResourceStore } from './resource-store';
import { ResourceXmlOptions, resourceXml } from './resource-xml';
import { ResourceSpec, SimResource } from './resource.model';

type ResourceOperation = 'create' | 'update' | 'delete';

interface Outcome {
  statusCode: number;
  message: string;
}

/**
 * The asynchronous half of the resource operations: after the configured pause, the change and
 * its one callback (ESC sends no intermediate stages for these resources).
 */
@Injectable()
export class ResourceLifecycle {
  constructor(
    private readonly store: ResourceStore,
    private readonly sender: CallbackSender,
    private readonly deployments: DeploymentsService,
  ) {}

  /** Visible (GET 200) from the moment its callback goes out; a failed create leaves nothing but the burnt id. */
  async create(resource: SimResource, request: OperationRequest, context: OperationContext): Promise<void> {
    await context.pause();
    if (request.failure) {
      this.store.of(resource.kind).remove(resource.internalId);
      await this.report(resource, 'create', request, context, request.failure, { withExternalId: false });
      return;
    }
    resource.state = 'ACTIVE';
    await this.report(resource, 'create', request, context);
  }

  /** The new body replaces the old one, unless the update fails. */
  async update(resource: SimResource, spec: ResourceSpec, request: OperationRequest, context: OperationContext): Promise<void> {
    await context.pause();
    if (!request.failure) resource.spec = spec;
    await this.report(resource, 'update', request, context, request.failure);
  }

  /** Gone once its callback goes out; refused (failure callback, resource kept) while it has dependants. */
  async delete(resource: SimResource, request: OperationRequest, context: OperationContext): Promise<void> {
    await context.pause();
    resource.deleteRequested = false;
    const { label } = RESOURCE_KINDS[resource.kind];
    const registry = this.store.of(resource.kind);
    if (registry.get(resource.internalId) !== resource) {
      // It was still being created when the DELETE came, and that create failed.
      const gone = { statusCode: 404, message: `${label} ${resource.internalId} not found` };
      await this.report(resource, 'delete', request, context, gone, { withExternalId: false });
      return;
    }
    const blockers = this.dependants(resource);
    const failure = request.failure ?? (blockers && { statusCode: 500, message: `${label} ${resource.internalId} ${blockers}` });
    if (failure) {
      await this.report(resource, 'delete', request, context, failure);
      return;
    }
    registry.remove(resource.internalId);
    await this.report(resource, 'delete', request, context);
  }

  /** "cannot be deleted: it still has ..." for a tenant or network that others live in; else undefined. */
  private dependants(resource: SimResource): string | undefined {
    const { kind, internalId } = resource;
    const groups: Array<[string, string[]]> = [];
    if (kind === 'tenant') {
      for (const child of ['network', 'subnet', 'volume'] as const) {
        groups.push([child, this.store.inTenant(child, internalId).map((item) => item.internalId)]);
      }
      groups.push(['deployment', this.deployments.idsInTenant(internalId)]);
    } else if (kind === 'network') {
      const subnets = this.store.inTenant('subnet', resource.tenant!.internalId).filter((subnet) => subnet.network?.internalId === internalId);
      groups.push(['subnet', subnets.map((subnet) => subnet.internalId)]);
    }
    const parts = groups
      .filter(([, ids]) => ids.length > 0)
      .map(([noun, ids]) => `${ids.length} ${noun}${ids.length > 1 ? 's' : ''} (${ids.join(', ')})`);
    return parts.length > 0 ? `cannot be deleted: it still has ${parts.join(', ')}` : undefined;
  }

  private async report(
    resource: SimResource,
    operation: ResourceOperation,
    request: OperationRequest,
    context: OperationContext,
    failure?: Outcome,
    options: ResourceXmlOptions = {},
  ): Promise<void> {
    const info = RESOURCE_KINDS[resource.kind];
    const outcome = failure ?? { statusCode: 200, message: info.messages[operation]! };
    const body = resourceXml(resource, { ...options, eventType: `${operation.toUpperCase()}_${resource.kind.toUpperCase()}` });
    await this.sender.report(request, outcome.statusCode, outcome.message, body, context.signal);
  }
}

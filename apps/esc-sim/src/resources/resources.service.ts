import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AcceptedRequest, EscRequestHeaders, acceptedRequest, assertValidInternalId, assertXmlBody, callbackUrls } from '../common/esc-request';
import { OperationContext, OperationRequest, OperationRunner } from '../common/operation-runner';
import { CrudOperation, FaultTarget } from '../faults/fault-rule';
import { FaultsService } from '../faults/faults.service';
import { ResourceBodyError, parseResourceBody } from './resource-body.parser';
import { ADMIN_TENANT_ID, RESOURCE_KINDS, ResourceKindInfo } from './resource-kinds';
import { ResourceLifecycle } from './resource-lifecycle';
import { ResourceStore } from './resource-store';
import { resourceAcceptedXml, resourceListXml, resourceXml } from './resource-xml';
import { ResourceIds, ResourceKind, ResourceSpec, SimResource } from './resource.model';

/** A resource as a request path names it. */
export interface ResourceRef {
  kind: ResourceKind;
  internalId: string;
  /** From /v0/{internalTenantId}/... (network, subnet, volume). */
  tenantId?: string;
}

const ADMIN_TENANT: ResourceIds = { internalId: ADMIN_TENANT_ID, externalId: ADMIN_TENANT_ID };

/**
 * The synchronous half of the tenant, network, subnet, image, flavor and volume APIs: validate,
 * check fault rules, conflicts and parents, record the change, answer 200 with a transaction id
 * and leave the callback to the runner. One implementation for all six kinds.
 */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly store: ResourceStore,
    private readonly lifecycle: ResourceLifecycle,
    private readonly runner: OperationRunner,
    private readonly faults: FaultsService,
  ) {}

  /** Created resources of a kind (in the tenant, for tenant-scoped kinds; subnets optionally of one network). */
  list(kind: ResourceKind, tenantId?: string, networkId?: string): string {
    const info = RESOURCE_KINDS[kind];
    if (info.tenantScoped) this.visibleTenant(tenantId!);
    const resources = this.store
      .of(kind)
      .list()
      .filter((resource) => resource.state === 'ACTIVE')
      .filter((resource) => !info.tenantScoped || resource.tenant?.internalId === tenantId)
      .filter((resource) => networkId === undefined || resource.network?.internalId === networkId);
    return resourceListXml(info, resources);
  }

  /** 404 until the create callback has been sent, and again once the delete callback has. */
  get(ref: ResourceRef): string {
    const resource = this.existing(ref);
    if (resource.state !== 'ACTIVE') throw notFound(ref);
    return resourceXml(resource);
  }

  create(ref: ResourceRef, body: unknown, headers: EscRequestHeaders): AcceptedRequest {
    const info = RESOURCE_KINDS[ref.kind];
    assertValidInternalId(ref.internalId, `internal_${ref.kind}_id`);
    if (info.tenantScoped) assertValidInternalId(ref.tenantId ?? '', 'internal_tenant_id');
    const { callbackUrl } = callbackUrls(headers);
    const spec = requestSpec(info, body, headers, ref);
    const target = faultTarget(ref, spec.name);
    this.faults.assertNoResponseFault('create', target);

    const registry = this.store.of(ref.kind);
    if (registry.wasEverUsed(ref.internalId)) {
      throw new ConflictException(
        `Conflicting Request: ${ref.kind} id ${ref.internalId} is already used (ESC internal ids are not reused)`,
      );
    }
    const tenant = info.tenantScoped ? this.visibleTenant(ref.tenantId!) : undefined;
    const network = spec.networkRef !== undefined ? this.visibleNetwork(tenant!, spec.networkRef) : undefined;
    const resource: SimResource = {
      kind: ref.kind,
      internalId: ref.internalId,
      externalId: info.newExternalId(),
      ...(tenant && { tenant: ids(tenant) }),
      ...(info.reportsAdminTenant && { tenant: ADMIN_TENANT }),
      ...(network && { network: ids(network) }),
      spec,
      state: 'CREATING',
      deleteRequested: false,
    };
    registry.add(resource);
    return this.start('create', resource, target, callbackUrl, (request, context) => this.lifecycle.create(resource, request, context));
  }

  /** Tenants only (the controller routes PUT for them alone). */
  update(ref: ResourceRef, body: unknown, headers: EscRequestHeaders): AcceptedRequest {
    const resource = this.existing(ref);
    const { callbackUrl } = callbackUrls(headers);
    const spec = requestSpec(RESOURCE_KINDS[ref.kind], body, headers, ref);
    const target = faultTarget(ref, resource.spec.name);
    this.faults.assertNoResponseFault('update', target);

    if (resource.deleteRequested) {
      throw new ConflictException(`${label(ref)} ${ref.internalId} is being deleted and cannot be updated`);
    }
    if (this.runner.isBusy(runnerKey(resource))) {
      throw new ConflictException(`${label(ref)} ${ref.internalId} has an operation in progress and cannot be updated yet`);
    }
    return this.start('update', resource, target, callbackUrl, (request, context) =>
      this.lifecycle.update(resource, spec, request, context),
    );
  }

  /** Accepted while the create still runs (it is queued behind it), like a deployment's undeploy. */
  delete(ref: ResourceRef, headers: EscRequestHeaders): AcceptedRequest {
    const resource = this.existing(ref);
    const { callbackUrl } = callbackUrls(headers);
    const target = faultTarget(ref, resource.spec.name);
    this.faults.assertNoResponseFault('delete', target);

    if (resource.deleteRequested) {
      throw new ConflictException(`${label(ref)} ${ref.internalId} is already being deleted`);
    }
    resource.deleteRequested = true;
    return this.start('delete', resource, target, callbackUrl, (request, context) => this.lifecycle.delete(resource, request, context));
  }

  /** Forgets every resource and burnt id, stopping all pending callbacks. */
  async reset(): Promise<void> {
    await this.runner.abortAll();
    this.store.reset();
  }

  private start(
    operation: CrudOperation,
    resource: SimResource,
    target: FaultTarget,
    callbackUrl: string | undefined,
    run: (request: OperationRequest, context: OperationContext) => Promise<void>,
  ): AcceptedRequest {
    const request = this.faults.operationRequest(operation, target, callbackUrl);
    this.runner.enqueue(runnerKey(resource), `${operation} ${resource.kind} ${resource.internalId}`, (context) => run(request, context));
    return acceptedRequest(request, resourceAcceptedXml(operation, resource, request.transactionId));
  }

  /** Known (being created, created or being deleted) under this path; 404 otherwise. */
  private existing(ref: ResourceRef): SimResource {
    const resource = this.store.of(ref.kind).get(ref.internalId);
    if (!resource || (RESOURCE_KINDS[ref.kind].tenantScoped && resource.tenant?.internalId !== ref.tenantId)) {
      throw notFound(ref);
    }
    return resource;
  }

  private visibleTenant(tenantId: string): SimResource {
    const tenant = this.store.visible('tenant', tenantId);
    if (!tenant) throw new NotFoundException(`Tenant ${tenantId} not found`);
    return tenant;
  }

  /** A subnet's network, by internal id or else by name, in the subnet's tenant. */
  private visibleNetwork(tenant: SimResource, ref: string): SimResource {
    const networks = this.store.inTenant('network', tenant.internalId).filter((network) => network.state === 'ACTIVE');
    const network = networks.find((candidate) => candidate.internalId === ref) ?? networks.find((candidate) => candidate.spec.name === ref);
    if (!network) throw new NotFoundException(`Network ${ref} not found in tenant ${tenant.internalId}`);
    return network;
  }
}

function requestSpec(info: ResourceKindInfo, body: unknown, headers: EscRequestHeaders, ref: ResourceRef): ResourceSpec {
  assertXmlBody(headers.contentType);
  try {
    return parseResourceBody(info, body, ref);
  } catch (error) {
    if (error instanceof ResourceBodyError) throw new BadRequestException(error.message);
    throw error;
  }
}

function notFound(ref: ResourceRef): NotFoundException {
  const where = RESOURCE_KINDS[ref.kind].tenantScoped ? ` in tenant ${ref.tenantId}` : '';
  return new NotFoundException(`${label(ref)} ${ref.internalId} not found${where}`);
}

function label(ref: ResourceRef): string {
  return RESOURCE_KINDS[ref.kind].label;
}

function faultTarget(ref: ResourceRef, name: string): FaultTarget {
  return { resource: ref.kind, internalId: ref.internalId, name };
}

/** Kinds have separate id spaces; ':' cannot occur in an internal id, so keys never clash with deployments'. */
function runnerKey(resource: SimResource): string {
  return `${resource.kind}:${resource.internalId}`;
}

function ids(resource: SimResource): ResourceIds {
  return { internalId: resource.internalId, externalId: resource.externalId };
}

import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Inject, Param, Post, Put, Type, UseGuards, UseInterceptors } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { AcceptedRequestInterceptor } from '../common/accepted-request.interceptor';
import { AcceptsXmlGuard } from '../common/accepts-xml.guard';
import { AcceptedRequest, EscHeaders, EscRequestHeaders, firstHeader } from '../common/esc-request';
import { RESOURCE_KINDS } from './resource-kinds';
import { ResourceKind } from './resource.model';
import { ResourceRef, ResourcesService } from './resources.service';

const XML = 'application/xml';

/**
 * GET (list), GET, POST, DELETE of one resource kind; the subclasses only say which kind and
 * where. `tenantId` is the path's {internalTenantId} for the tenant-scoped kinds.
 */
@UseGuards(AcceptsXmlGuard)
@UseInterceptors(AcceptedRequestInterceptor)
abstract class ResourceController {
  protected abstract readonly kind: ResourceKind;

  constructor(@Inject(ResourcesService) protected readonly resources: ResourcesService) {}

  @Get()
  @Header('Content-Type', XML)
  list(@Param('tenantId') tenantId: string | undefined, @Headers() headers: IncomingHttpHeaders): string {
    // "Get all subnets under a network": the reference passes the network as a header.
    const networkId = this.kind === 'subnet' ? firstHeader(headers.internalnetworkid) : undefined;
    return this.resources.list(this.kind, tenantId, networkId);
  }

  @Get(':internalId')
  @Header('Content-Type', XML)
  get(@Param('tenantId') tenantId: string | undefined, @Param('internalId') internalId: string): string {
    return this.resources.get(this.ref(tenantId, internalId));
  }

  @Post(':internalId')
  @HttpCode(200)
  @Header('Content-Type', XML)
  create(
    @Param('tenantId') tenantId: string | undefined,
    @Param('internalId') internalId: string,
    @Body() body: unknown,
    @EscHeaders() headers: EscRequestHeaders,
  ): AcceptedRequest {
    return this.resources.create(this.ref(tenantId, internalId), body, headers);
  }

  @Delete(':internalId')
  @Header('Content-Type', XML)
  delete(@Param('tenantId') tenantId: string | undefined, @Param('internalId') internalId: string, @EscHeaders() headers: EscRequestHeaders): AcceptedRequest {
    return this.resources.delete(this.ref(tenantId, internalId), headers);
  }

  protected ref(tenantId: string | undefined, internalId: string): ResourceRef {
    return { kind: this.kind, internalId, ...(tenantId !== undefined && { tenantId }) };
  }
}

/** ESC "01-Tenants": /ESCManager/v0/tenants[/{internal_tenant_id}], the only kind with a PUT. */
@Controller('ESCManager/v0/tenants')
export class TenantsController extends ResourceController {
  protected readonly kind = 'tenant';

  @Put(':internalId')
  @Header('Content-Type', XML)
  update(@Param('internalId') internalId: string, @Body() body: unknown, @EscHeaders() headers: EscRequestHeaders): AcceptedRequest {
    return this.resources.update(this.ref(undefined, internalId), body, headers);
  }
}

/**
 * The controller of a kind without PUT: /ESCManager/v0/images, /flavors ("04-Images",
 * "05-Flavors") and /ESCManager/v0/{internalTenantId}/networks, /subnets, /volumes ("02-Networks",
 * "03-Subnets", "10-Volumes").
 */
function controllerFor(kind: Exclude<ResourceKind, 'tenant'>): Type<ResourceController> {
  const { listTag, tenantScoped } = RESOURCE_KINDS[kind];
  @Controller(tenantScoped ? `ESCManager/v0/:tenantId/${listTag}` : `ESCManager/v0/${listTag}`)
  class KindController extends ResourceController {
    protected readonly kind = kind;
  }
  Object.defineProperty(KindController, 'name', { value: `${listTag[0].toUpperCase()}${listTag.slice(1)}Controller` });
  return KindController;
}

/**
 * In route order: the fixed paths (after the deployments module's) before the tenant-scoped ones,
 * so e.g. /v0/images/networks is image "networks", not the networks of a tenant "images".
 */
export const RESOURCE_CONTROLLERS: Array<Type<ResourceController>> = [
  TenantsController,
  ...(['image', 'flavor', 'network', 'subnet', 'volume'] as const).map(controllerFor),
];

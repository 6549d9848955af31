import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCamQuery, ApiErrors, ApiOk, LIST_HEADERS } from '../openapi/api-responses';
import serviceCreateRequest from '../openapi/examples/service_create.request.json';
import serviceCreated from '../openapi/examples/service_create.response.json';
import versionAddRequest from '../openapi/examples/service_version_add.request.json';
import serviceDeleted from '../openapi/examples/service_delete.response.json';
import serviceUpdated from '../openapi/examples/service_update_details.response.json';
import serviceVersions from '../openapi/examples/service_versions.response.json';
import versionAdded from '../openapi/examples/service_version_add.response.json';
import { COUNT_SCHEMA, CREATED_SERVICE_SCHEMA, SERVICE_LIST_ENTRY_SCHEMA, SERVICE_VERSION_SCHEMA, WRAPPED_SERVICE_SCHEMA } from '../openapi/schemas';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, ServiceVersionRepository, VersionOrderField } from '@cam-esc/persistence';
import { Response } from 'express';
import { TenantId } from '../auth/tenant.decorator';
import { CamQuery, CamQueryParams } from '../common/cam-query';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { ListSpec, NEXT_CURSOR_HEADER, parseListFilter, RawQuery, reportCappedLimit } from '../common/list-filter';
import { toCreatedServiceView, toServiceView, toVersionView } from './service.view';
import { AddServiceVersionUseCase } from './usecases/add-service-version.usecase';
import { CreateServiceUseCase } from './usecases/create-service.usecase';
import { DeleteServiceVersionUseCase } from './usecases/delete-service-version.usecase';
import { DeleteServiceUseCase } from './usecases/delete-service.usecase';
import { DuplicateServiceUseCase } from './usecases/duplicate-service.usecase';
import { ListServicesUseCase, SERVICE_LIST } from './usecases/list-services.usecase';
import { SetNamespacesUseCase } from './usecases/set-namespaces.usecase';
import { UpdateServiceDetailsUseCase } from './usecases/update-service-details.usecase';
import { RequiresRole, Role } from '../auth/roles';

const serviceId = new EntityIdPipe('service');
const VERSION_LIST: ListSpec<VersionOrderField, never> = {
  order: { updated_time: 'updatedAt', lastUpdated: 'updatedAt', creationTime: 'createdAt', created_time: 'createdAt', version: 'version', status: 'status', publishedTime: 'publishedAt' },
  defaultOrder: { field: 'createdAt', direction: 'asc' },
  where: {},
};
const SERVICE_DOCUMENT_BODY = { description: "CAM's service document: { service: { catalog_metadata, version, tags, actions, plans } } (service_create.json)", schema: { type: 'object', required: ['service'], properties: { service: { type: 'object' } } } };
const documentBody = (example: unknown) => ({ ...SERVICE_DOCUMENT_BODY, examples: { 'CAM seed': { value: example } } });

/** The CAM service calls (Service/...). */
@ApiTags('CAM services')
@ApiBearerAuth()
@ApiCamQuery()
@RequiresRole(Role.CatalogAdmin)
@Controller('cam/composer/api/v1')
export class ServicesController {
  constructor(
    private readonly createService: CreateServiceUseCase,
    private readonly listServices: ListServicesUseCase,
    private readonly addVersion: AddServiceVersionUseCase,
    private readonly updateDetails: UpdateServiceDetailsUseCase,
    private readonly deleteService: DeleteServiceUseCase,
    private readonly deleteVersion: DeleteServiceVersionUseCase,
    private readonly duplicateService: DuplicateServiceUseCase,
    private readonly setNamespaces: SetNamespacesUseCase,
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  @Post('Service/createService')
  @ApiOk(CREATED_SERVICE_SCHEMA, serviceCreated)
  @ApiErrors(400, 409, 415)
  @ApiOperation({ summary: 'Create a service with its default version (CAM service_create.json); answers with CAM-style warnings' })
  @HttpCode(200)
  @ApiBody(documentBody(serviceCreateRequest))
  async create(@TenantId() tenantId: string, @CamQueryParams() q: CamQuery, @Body() body: unknown) {
    const { version, warnings } = await this.createService.execute({ tenantId, namespaceId: q.namespace ?? 'default', orgGuid: q.aceOrgGuid, body });
    return toCreatedServiceView(version.service, version, warnings);
  }

  @Get(['service', 'Service'])
  @ApiOk({ type: 'array', items: SERVICE_LIST_ENTRY_SCHEMA }, undefined, 200, 'OK', LIST_HEADERS)
  @ApiErrors(400)
  @ApiOperation({
    summary:
      "List the tenant's services (filter[limit|skip|order|where][name|category|author]; with cloudOE_spaceGuid, that namespace's and the default namespace's; with ace_orgGuid, that team's and those for all teams). A full page answers X-Next-Cursor: pass it as filter[cursor] for the next page (keyset, fast at any depth)",
  })
  async list(@TenantId() tenantId: string, @CamQueryParams() q: CamQuery, @RawQuery() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const filter = parseListFilter(query, SERVICE_LIST);
    reportCappedLimit(res, filter);
    const { entries, nextCursor } = await this.listServices.execute(tenantId, { namespace: q.namespace, orgGuid: q.aceOrgGuid }, filter);
    if (nextCursor) res.setHeader(NEXT_CURSOR_HEADER, nextCursor);
    return entries;
  }

  @Post('Service/:id/addServiceVersion')
  @ApiOk(SERVICE_VERSION_SCHEMA, versionAdded)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: "Add a version to a service (its name, category and image stay the service's); 409 for a version label it has" })
  @HttpCode(200)
  @ApiBody(documentBody(versionAddRequest))
  async add(@TenantId() tenantId: string, @Param('id', serviceId) id: string, @Body() body: unknown) {
    const { version, warnings } = await this.addVersion.execute(tenantId, id, body);
    return toVersionView(version, version.service, 0, warnings);
  }

  @Post('Service/:id/updateServiceDetails')
  @ApiOk(WRAPPED_SERVICE_SCHEMA, serviceUpdated)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: 'Set the default version (default_version_id | default_version_name), rename, change category or image' })
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', properties: { default_version_id: { type: 'string' }, default_version_name: { type: 'string' }, service: { type: 'object', properties: { catalog_metadata: { type: 'object', properties: { name: { type: 'string' }, category: { type: 'string' }, image: { type: 'string' } } } } } }, example: { default_version_name: '1.0.0.1' } } })
  async details(@TenantId() tenantId: string, @Param('id', serviceId) id: string, @Body() body: unknown) {
    return { service: toServiceView(await this.updateDetails.execute(tenantId, id, body)) };
  }

  @Post('Service/:id/deleteService')
  @ApiOk(COUNT_SCHEMA, serviceDeleted)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: 'Delete one version ({"version_id"} or {"version"}) or, with {}, the service and all its versions; 409 while live instances run on it' })
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', properties: { version_id: { type: 'string' }, version: { type: 'string' } } } })
  async remove(@TenantId() tenantId: string, @Param('id', serviceId) id: string, @Body() body: unknown) {
    // deleting a whole service takes an explicit {}: a missing body is not a request to delete everything
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw DomainException.invalid('body: deleteService takes {"version_id"}, {"version"} or {} (the whole service), as JSON', { field: 'body' });
    }
    const { version_id: versionId, version, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown) throw DomainException.invalid(`${unknown}: deleteService takes {"version_id"}, {"version"} or {}`, { field: unknown });
    if (versionId !== undefined && version !== undefined) throw DomainException.invalid('version_id: give version_id or version, not both', { field: 'version_id' });
    for (const [field, value] of [['version_id', versionId], ['version', version]] as const) {
      if (value !== undefined && (typeof value !== 'string' || !value)) throw DomainException.invalid(`${field}: must be a non-empty string`, { field });
    }
    const result = versionId !== undefined || version !== undefined ? await this.deleteVersion.execute(tenantId, id, { versionId: versionId as string | undefined, version: version as string | undefined }) : await this.deleteService.execute(tenantId, id);
    return { count: String(result.count) };
  }

  @Get('Service/:id/ServiceVersions')
  @ApiOk({ type: 'array', items: SERVICE_VERSION_SCHEMA }, serviceVersions, 200, 'OK', LIST_HEADERS)
  @ApiErrors(400, 404)
  @ApiOperation({ summary: "A service's versions (filter[order]=<updated_time|lastUpdated|creationTime|version|status> ASC|DESC, filter[limit|skip])" })
  async versionsOf(@TenantId() tenantId: string, @Param('id', serviceId) id: string, @RawQuery() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const filter = parseListFilter(query, VERSION_LIST);
    reportCappedLimit(res, filter);
    const service = await this.services.findById(tenantId, id);
    if (!service) throw DomainException.notFound('service', id);
    const page = await this.versions.list(service.id, filter.order, filter);
    const counts = await this.versions.liveInstanceCounts(page.map((v) => v.id));
    return page.map((v) => toVersionView(v, service, counts.get(v.id)));
  }

  @Post('Service/:id/duplicateService')
  @ApiOk(CREATED_SERVICE_SCHEMA)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: 'A new service named service_name with Draft copies of all versions' })
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['service_name'], properties: { service_name: { type: 'string' } }, example: { service_name: 'SampleV2' } } })
  async duplicate(@TenantId() tenantId: string, @Param('id', serviceId) id: string, @Body() body: unknown) {
    const version = await this.duplicateService.execute(tenantId, id, body);
    return toCreatedServiceView(version.service, version, []);
  }

  @Post('Service/:id/setNamespaceId')
  @ApiOk(WRAPPED_SERVICE_SCHEMA)
  @ApiErrors(400, 404, 415)
  @ApiOperation({ summary: 'Give namespaces access to the service: ?cloudOE_spaceGuid=a,b (replaces the earlier list)' })
  @HttpCode(200)
  async namespaces(@TenantId() tenantId: string, @Param('id', serviceId) id: string, @Query('cloudOE_spaceGuid') list: unknown) {
    if (list !== undefined && typeof list !== 'string') throw DomainException.invalid('cloudOE_spaceGuid: give it once, as a comma-separated list', { field: 'cloudOE_spaceGuid' });
    return { service: toServiceView(await this.setNamespaces.execute(tenantId, id, list)) };
  }
}

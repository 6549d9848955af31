import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCamQuery, ApiErrors, ApiOk } from '../openapi/api-responses';
import manifest from '../openapi/examples/service_manifest.response.json';
import versionCopied from '../openapi/examples/service_version_copy.response.json';
import { SERVICE_VERSION_SCHEMA } from '../openapi/schemas';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
import { CamQuery, CamQueryParams } from '../common/cam-query';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { DeployInstanceDto } from '../instances/dto/deploy-instance.dto';
import { toInstanceView } from '../instances/instance.view';
import { DeployInstanceUseCase } from '../instances/usecases/deploy-instance.usecase';
import { DryRunDeployUseCase } from '../instances/usecases/dry-run-deploy.usecase';
import { toVersionView } from './service.view';
import { CopyServiceVersionUseCase } from './usecases/copy-service-version.usecase';
import { PublishVersionUseCase } from './usecases/publish-version.usecase';
import { RetireVersionUseCase } from './usecases/retire-version.usecase';
import { SetRetireOnDateUseCase } from './usecases/set-retire-on-date.usecase';
import { UnretireVersionUseCase } from './usecases/unretire-version.usecase';
import { UpdateServiceVersionUseCase } from './usecases/update-service-version.usecase';
import { RequiresRole, Role } from '../auth/roles';

const versionId = new EntityIdPipe('service version');

/** The CAM service version calls (ServiceManifest/...). */
@ApiTags('CAM service versions')
@ApiBearerAuth()
@ApiCamQuery()
@RequiresRole(Role.CatalogAdmin)
@Controller('cam/composer/api/v1/ServiceManifest')
export class ServiceVersionsController {
  constructor(
    private readonly publishVersion: PublishVersionUseCase,
    private readonly updateVersion: UpdateServiceVersionUseCase,
    private readonly copyVersion: CopyServiceVersionUseCase,
    private readonly retireVersion: RetireVersionUseCase,
    private readonly unretireVersion: UnretireVersionUseCase,
    private readonly setRetireOnDate: SetRetireOnDateUseCase,
    private readonly deployInstance: DeployInstanceUseCase,
    private readonly dryRunDeploy: DryRunDeployUseCase,
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  private async view(v: VersionWithService, warnings?: string[]) {
    return toVersionView(v, v.service, (await this.versions.liveInstanceCounts([v.id])).get(v.id), warnings);
  }

  @Get(':id')
  @ApiOk(SERVICE_VERSION_SCHEMA, manifest)
  @ApiErrors(404)
  @ApiOperation({ summary: 'Read a service version (its manifest)' })
  async manifest(@TenantId() tenantId: string, @Param('id', versionId) id: string) {
    const v = await this.services.findVersion(tenantId, id);
    if (!v) throw DomainException.notFound('service version', id);
    return this.view(v);
  }

  @Post(':id/updateServiceVersion')
  @ApiOk(SERVICE_VERSION_SCHEMA)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: "Edit a version (not the service's name, category or image); a Published version's flows cannot change while live instances run on them" })
  @HttpCode(200)
  @ApiBody({ description: "CAM's service document: { service: {...} } (service_version_edit.json)", schema: { type: 'object', required: ['service'], properties: { service: { type: 'object' } } } })
  async update(@TenantId() tenantId: string, @Param('id', versionId) id: string, @Body() body: unknown) {
    const { version, warnings } = await this.updateVersion.execute(tenantId, id, body);
    return this.view(version, warnings);
  }

  @Post(':id/publish')
  @ApiOk(SERVICE_VERSION_SCHEMA)
  @ApiErrors(404, 409, 415)
  @ApiOperation({ summary: 'Publish a service version' })
  @HttpCode(200)
  async publish(@TenantId() tenantId: string, @Param('id', versionId) id: string) {
    return this.view(await this.publishVersion.execute(tenantId, id), []);
  }

  @Post(':id/copyService')
  @ApiOk(SERVICE_VERSION_SCHEMA, versionCopied)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: 'Copy this version into service to_service_id as version new_version_name (Draft)' })
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['to_service_id', 'new_version_name'], properties: { to_service_id: { type: 'string' }, new_version_name: { type: 'string' } } } })
  async copy(@TenantId() tenantId: string, @Param('id', versionId) id: string, @Body() body: unknown) {
    return this.view(await this.copyVersion.execute(tenantId, id, body), []);
  }

  @Post(':id/retire')
  @ApiOk(SERVICE_VERSION_SCHEMA)
  @ApiErrors(404, 415)
  @ApiOperation({ summary: 'Retire a Draft or Published version: it can no longer be deployed' })
  @HttpCode(200)
  async retire(@TenantId() tenantId: string, @Param('id', versionId) id: string) {
    return this.view(await this.retireVersion.execute(tenantId, id));
  }

  @Post(':id/unretire')
  @ApiOk(SERVICE_VERSION_SCHEMA)
  @ApiErrors(404, 409, 415)
  @ApiOperation({ summary: 'Unretire a Retired version: back to Published' })
  @HttpCode(200)
  async unretire(@TenantId() tenantId: string, @Param('id', versionId) id: string) {
    return this.view(await this.unretireVersion.execute(tenantId, id));
  }

  @Post(':id/setRetireOnDate')
  @ApiOk(SERVICE_VERSION_SCHEMA)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: 'Retire the version at midnight UTC at the end of the calendar day retire_on_date names (its date part, read as is; null clears it); a past day is a 400' })
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['retire_on_date'], properties: { retire_on_date: { type: 'string', format: 'date-time', nullable: true } }, example: { retire_on_date: '2030-10-28T07:03:11.612Z' } } })
  async retireOn(@TenantId() tenantId: string, @Param('id', versionId) id: string, @Body() body: unknown) {
    return this.view(await this.setRetireOnDate.execute(tenantId, id, body));
  }

  @Post(':id/deploy')
  @RequiresRole(Role.Operator)
  @ApiOk({
    type: 'object',
    description: 'the instance (CAM service__instance_create.json response); with dryRun=true, { dryRun, valid, steps: [{ sequence, phase, step_id, kind, connection, method, path, headers, body }] } with secured values masked',
    additionalProperties: true,
  })
  @ApiErrors(400, 404, 409, 415, 503)
  @ApiQuery({ name: 'dryRun', required: false, schema: { type: 'boolean' }, description: 'true: check exactly as a deploy does and answer every step\'s rendered request, writing and sending nothing' })
  @ApiOperation({ summary: 'Deploy an instance of a service version on ESC (CAM service__instance_create.json); answers Status Submitted' })
  @HttpCode(200)
  async deploy(@TenantId() tenantId: string, @CamQueryParams() q: CamQuery, @Param('id', versionId) id: string, @Body() body: DeployInstanceDto, @Query('dryRun') dryRun?: unknown) {
    const command = { tenantId, versionId: id, body, aceOrgGuid: q.aceOrgGuid, namespace: q.namespace };
    if (parseDryRun(dryRun)) return this.dryRunDeploy.execute(command);
    return toInstanceView(await this.deployInstance.execute(command));
  }
}

function parseDryRun(value: unknown): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw DomainException.invalid(`dryRun: must be true or false (got ${JSON.stringify(value).slice(0, 40)})`, { field: 'dryRun' });
}

import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
import { CamQuery, CamQueryParams } from '../common/cam-query';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { DeployInstanceDto } from '../instances/dto/deploy-instance.dto';
import { toInstanceView } from '../instances/instance.view';
import { DeployInstanceUseCase } from '../instances/usecases/deploy-instance.usecase';
import { toCreatedServiceView, toServiceListEntry, toVersionView } from './service.view';
import { CreateServiceUseCase } from './usecases/create-service.usecase';
import { PublishVersionUseCase } from './usecases/publish-version.usecase';

const versionId = new EntityIdPipe('service version');

@ApiTags('CAM services')
@ApiBearerAuth()
@ApiQuery({ name: 'tenantId', required: false })
@ApiQuery({ name: 'ace_orgGuid', required: false })
@ApiQuery({ name: 'cloudOE_spaceGuid', required: false })
@Controller('cam/composer/api/v1')
export class CatalogController {
  constructor(
    private readonly createService: CreateServiceUseCase,
    private readonly publishVersion: PublishVersionUseCase,
    private readonly deployInstance: DeployInstanceUseCase,
    private readonly services: ServiceRepository,
  ) {}

  @Post('Service/createService')
  @ApiOperation({ summary: 'Create a service with its default version (CAM service_create.json); answers with CAM-style warnings' })
  @HttpCode(200)
  @ApiBody({ description: "CAM's service_create.json: { service: { catalog_metadata, tags, actions, plans, ... } }", schema: { type: 'object' } })
  async create(@TenantId() tenantId: string, @CamQueryParams() q: CamQuery, @Body() body: unknown) {
    const { version, warnings } = await this.createService.execute({ tenantId, namespaceId: q.namespace ?? 'default', body });
    return toCreatedServiceView(version.service, version, warnings);
  }

  @Get(['service', 'Service'])
  @ApiOperation({ summary: "List the tenant's services" })
  async list(@TenantId() tenantId: string) {
    return (await this.services.list(tenantId)).map((s) => toServiceListEntry(s, s.versions));
  }

  @Get('ServiceManifest/:id')
  @ApiOperation({ summary: 'Read a service version (its manifest)' })
  async manifest(@TenantId() tenantId: string, @Param('id', versionId) id: string) {
    const v = await this.services.findVersion(tenantId, id);
    if (!v) throw DomainException.notFound('service version', id);
    return toVersionView(v, v.service);
  }

  @Post('ServiceManifest/:id/publish')
  @ApiOperation({ summary: 'Publish a service version' })
  @HttpCode(200)
  async publish(@TenantId() tenantId: string, @Param('id', versionId) id: string) {
    const v = await this.publishVersion.execute(tenantId, id);
    return toVersionView(v, v.service);
  }

  @Post('ServiceManifest/:id/deploy')
  @ApiOperation({ summary: 'Deploy an instance of a service version on ESC (CAM service__instance_create.json); answers Status Submitted' })
  @HttpCode(200)
  async deploy(@TenantId() tenantId: string, @CamQueryParams() q: CamQuery, @Param('id', versionId) id: string, @Body() body: DeployInstanceDto) {
    const instance = await this.deployInstance.execute({ tenantId, versionId: id, body, aceOrgGuid: q.aceOrgGuid, namespace: q.namespace });
    return toInstanceView(instance);
  }
}

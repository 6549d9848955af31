import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { InstanceRepository } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
import { ApiErrors, ApiOk } from '../openapi/api-responses';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { toInstanceView } from './instance.view';
import { TerminateInstanceUseCase } from './usecases/terminate-instance.usecase';

const instanceId = new EntityIdPipe('service instance');

@ApiTags('CAM service instances')
@ApiBearerAuth()
@ApiQuery({ name: 'tenantId', required: false })
@Controller('cam/composer/api/v1/ServiceInstances')
export class InstancesController {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly terminateInstance: TerminateInstanceUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's service instances" })
  @ApiOk({ type: 'array', items: { type: 'object', additionalProperties: true } })
  @ApiErrors()
  async list(@TenantId() tenantId: string) {
    return (await this.instances.list(tenantId)).map(toInstanceView);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an instance: Status, logs, and its ESC deployments and VMs under esc.deployments' })
  @ApiOk({ type: 'object', additionalProperties: true })
  @ApiErrors(404)
  async get(@TenantId() tenantId: string, @Param('id', instanceId) id: string) {
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    return toInstanceView(instance);
  }

  @Post(':id/terminate')
  @ApiOperation({ summary: "Terminate an instance: delete its ESC deployments in reverse step order; answers {name, Status: 'Terminating', id}" })
  @HttpCode(200)
  @ApiOk({ type: 'object', properties: { name: { type: 'string' }, Status: { type: 'string' }, id: { type: 'string' } } })
  @ApiErrors(404, 409, 415, 503)
  async terminate(@TenantId() tenantId: string, @Param('id', instanceId) id: string) {
    const instance = await this.terminateInstance.execute(tenantId, id);
    return { name: instance.name, Status: instance.status, id: instance.id };
  }
}

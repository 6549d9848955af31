import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { InstanceRepository } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
import { ApiErrors, ApiOk, LIST_HEADERS } from '../openapi/api-responses';
import { NEXT_CURSOR_HEADER, parseListFilter, RawQuery, reportCappedLimit } from '../common/list-filter';
import { INSTANCE_LIST, ListInstancesUseCase } from './usecases/list-instances.usecase';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { toInstanceView } from './instance.view';
import { TerminateInstanceUseCase } from './usecases/terminate-instance.usecase';
import { AuditEscRequestsUseCase } from './usecases/audit-esc-requests.usecase';

const instanceId = new EntityIdPipe('service instance');

@ApiTags('CAM service instances')
@ApiBearerAuth()
@ApiQuery({ name: 'tenantId', required: false })
@Controller('cam/composer/api/v1/ServiceInstances')
export class InstancesController {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly terminateInstance: TerminateInstanceUseCase,
    private readonly listInstances: ListInstancesUseCase,
    private readonly auditEscRequests: AuditEscRequestsUseCase,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "List the tenant's service instances as summaries (name, Status, ids, plan, times; GET …/{id} has the whole record): filter[limit] (default 100, at most 500), filter[skip], filter[order]=creationTime|updated_time|name ASC|DESC (newest first by default), filter[where][name|Status|owner|serviceId]. A full page answers X-Next-Cursor: pass it as filter[cursor] for the next page",
  })
  @ApiOk({ type: 'array', items: { type: 'object', additionalProperties: true } }, undefined, 200, 'OK', LIST_HEADERS)
  @ApiErrors(400)
  async list(@TenantId() tenantId: string, @RawQuery() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const filter = parseListFilter(query, INSTANCE_LIST);
    reportCappedLimit(res, filter);
    const { entries, nextCursor } = await this.listInstances.execute(tenantId, filter);
    if (nextCursor) res.setHeader(NEXT_CURSOR_HEADER, nextCursor);
    return entries;
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

  @Get(':id/escRequests')
  @ApiOperation({
    summary:
      'The ESC audit of an instance: every request sent to ESC for it (time, connection, method, path, body, status, esc-transaction-id, ESC\'s answer) with the callbacks matched to it, oldest first; secured values masked',
  })
  @ApiOk({ type: 'array', items: { type: 'object', additionalProperties: true } })
  @ApiErrors(404)
  escRequests(@TenantId() tenantId: string, @Param('id', instanceId) id: string) {
    return this.auditEscRequests.execute(tenantId, id);
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

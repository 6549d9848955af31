import { Controller, Get, Param, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TenantId } from '../auth/tenant.decorator';
import { ApiErrors, ApiOk, LIST_HEADERS } from '../openapi/api-responses';
import { NEXT_CURSOR_HEADER, parseListFilter, RawQuery, reportCappedLimit } from '../common/list-filter';
import { INSTANCE_LIST, ListInstancesUseCase } from './usecases/list-instances.usecase';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { AuditEscRequestsUseCase } from './usecases/audit-esc-requests.usecase';
import { GetInstanceUseCase, includeFilter } from './usecases/get-instance.usecase';
import { GetInputParametersUseCase } from './usecases/get-input-parameters.usecase';
import { GetCustomActionsUseCase } from './usecases/get-custom-actions.usecase';
import { ListEscEventsUseCase } from './usecases/list-esc-events.usecase';
import { CUSTOM_ACTIONS_SCHEMA, ESC_EVENT_SCHEMA, INPUT_PARAMETERS_SCHEMA, INSTANCE_SCHEMA } from './instance.openapi';

export const instanceId = new EntityIdPipe('service instance');

const SUMMARY_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    Status: { type: 'string' },
    id: { type: 'string' },
    owner: { type: 'string' },
    serviceId: { type: 'string' },
    serviceManifestId: { type: 'string' },
    catalogItemName: { type: 'string' },
    version: { type: 'string' },
    instance_plan: { type: 'string' },
    ordered_time: { type: 'string', format: 'date-time' },
    updated_time: { type: 'string', format: 'date-time' },
    last_action: { type: 'object', nullable: true, properties: { name: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' } } },
  },
};

/** The reading calls on service instances; the calls that start actions are InstanceActionsController's. */
@ApiTags('CAM service instances')
@ApiBearerAuth()
@ApiQuery({ name: 'tenantId', required: false })
@Controller('cam/composer/api/v1/ServiceInstances')
export class InstancesController {
  constructor(
    private readonly listInstances: ListInstancesUseCase,
    private readonly getInstance: GetInstanceUseCase,
    private readonly inputParameters: GetInputParametersUseCase,
    private readonly customActions: GetCustomActionsUseCase,
    private readonly auditEscRequests: AuditEscRequestsUseCase,
    private readonly escEvents: ListEscEventsUseCase,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "List the tenant's service instances as summaries (name, Status, ids, plan, times, last action; GET …/{id} has the whole record): filter[limit] (default 100, at most 500), filter[skip], filter[order]=creationTime|updated_time|name ASC|DESC (newest first by default), filter[where][name|Status|owner|serviceId], filter[where][name][like|ilike] for part of a name ('%edge%': % at the start or the end; ilike ignores case). A full page answers X-Next-Cursor: pass it as filter[cursor] for the next page",
  })
  @ApiQuery({ name: 'filter[limit]', required: false, schema: { type: 'integer', minimum: 1, default: 100 }, description: 'at most 500 (a larger one is capped, X-Filter-Limit-Capped says so)' })
  @ApiQuery({ name: 'filter[skip]', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({ name: 'filter[order]', required: false, schema: { type: 'string', example: 'creationTime DESC' }, description: 'creationTime | updated_time | name, ASC | DESC' })
  @ApiQuery({ name: 'filter[cursor]', required: false, schema: { type: 'string' }, description: 'the X-Next-Cursor of the previous page' })
  @ApiQuery({ name: 'filter[where][name]', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'filter[where][name][like]', required: false, schema: { type: 'string', example: '%edge%' }, description: 'part of a name: % at the start, the end or both; \\% and \\_ are a literal % and _ (no _ wildcard, no % inside)' })
  @ApiQuery({ name: 'filter[where][name][ilike]', required: false, schema: { type: 'string', example: '%EDGE%' }, description: 'as filter[where][name][like], ignoring case' })
  @ApiQuery({ name: 'filter[where][Status]', required: false, schema: { type: 'string', enum: ['Submitted', 'In_Progress', 'Active', 'Error', 'Terminating', 'Terminated'] } })
  @ApiQuery({ name: 'filter[where][owner]', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'filter[where][serviceId]', required: false, schema: { type: 'string' } })
  @ApiOk({ type: 'array', items: SUMMARY_SCHEMA }, undefined, 200, 'OK', LIST_HEADERS)
  @ApiErrors(400)
  async list(@TenantId() tenantId: string, @RawQuery() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const filter = parseListFilter(query, INSTANCE_LIST);
    reportCappedLimit(res, filter);
    const { entries, nextCursor } = await this.listInstances.execute(tenantId, filter);
    if (nextCursor) res.setHeader(NEXT_CURSOR_HEADER, nextCursor);
    return entries;
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'Read an instance: Status, its current action\'s logs, the history of its action instances (actionInstanceDetails, each with its own log), its ESC deployments and VMs under esc.deployments; with filter[include]=UpgradePaths&filter[include]=DowngradePaths the version changes open to it (their ids are versionChangeIds)',
  })
  @ApiQuery({ name: 'filter[include]', required: false, isArray: true, enum: ['UpgradePaths', 'DowngradePaths'] })
  @ApiOk(INSTANCE_SCHEMA)
  @ApiErrors(400, 404)
  get(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @RawQuery() query: Record<string, unknown>) {
    return this.getInstance.execute(tenantId, id, { include: includeFilter(query) });
  }

  @Get(':id/getInputParameters')
  @ApiOperation({ summary: 'The instance with InputParameters: the current value of each input parameter next to its definition, shared parameters and connections resolved, secured values masked (what to check before an update, retry or resume)' })
  @ApiOk(INPUT_PARAMETERS_SCHEMA)
  @ApiErrors(404)
  getInputParameters(@TenantId() tenantId: string, @Param('id', instanceId) id: string) {
    return this.inputParameters.execute(tenantId, id);
  }

  @Get(':id/getCustomActions')
  @ApiOperation({ summary: "The version's custom actions, and the built-in ESC operations of an instance with an ESC deployment (esc_stop, esc_start, esc_reboot, esc_enable_monitoring, esc_disable_monitoring on the deployments; esc_vm_* on one VM, esc_vm_recovery, esc_vm_snapshot)" })
  @ApiOk(CUSTOM_ACTIONS_SCHEMA)
  @ApiErrors(404)
  getCustomActions(@TenantId() tenantId: string, @Param('id', instanceId) id: string) {
    return this.customActions.execute(tenantId, id);
  }

  @Get(':id/escRequests')
  @ApiOperation({
    summary:
      "The ESC audit of an instance: every request sent to ESC for it (time, connection, method, path, body, status, esc-transaction-id, ESC's answer) with the callbacks matched to it, oldest first; secured values masked",
  })
  @ApiOk({ type: 'array', items: { type: 'object', additionalProperties: true } })
  @ApiErrors(404)
  escRequests(@TenantId() tenantId: string, @Param('id', instanceId) id: string) {
    return this.auditEscRequests.execute(tenantId, id);
  }

  @Get(':id/escEvents')
  @ApiOperation({ summary: "The instance's event history: ESC events outside any request (VM down and alive, recovery, scaling), newest first, with what each changed" })
  @ApiOk({ type: 'array', items: ESC_EVENT_SCHEMA })
  @ApiErrors(404)
  listEscEvents(@TenantId() tenantId: string, @Param('id', instanceId) id: string) {
    return this.escEvents.execute(tenantId, id);
  }
}

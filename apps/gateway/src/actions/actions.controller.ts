import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCamQuery, ApiErrors, ApiOk } from '../openapi/api-responses';
import actionCreated from '../openapi/examples/action_create.response.json';
import actionInvoked from '../openapi/examples/action_invoke.response.json';
import { ACTION_CREATED_SCHEMA, ACTION_INSTANCE_SCHEMA, ACTION_INVOKED_SCHEMA } from '../openapi/schemas';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { InstanceRepository } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
import { CamQuery, CamQueryParams } from '../common/cam-query';
import { toVersionView } from '../catalog/service.view';
import { CreateActionUseCase } from './usecases/create-action.usecase';
import { InvokeActionUseCase } from './usecases/invoke-action.usecase';
import { RequiresRole, Role } from '../auth/roles';

/** Standalone actions (Actions/createAction, ActionInstances/invokeAction) and their runs. */
@ApiTags('CAM standalone actions')
@ApiBearerAuth()
@ApiCamQuery()
@RequiresRole(Role.Operator)
@Controller('cam/composer/api/v1')
export class ActionsController {
  constructor(
    private readonly createAction: CreateActionUseCase,
    private readonly invokeAction: InvokeActionUseCase,
    private readonly instances: InstanceRepository,
  ) {}

  @Post('Actions/createAction')
  @RequiresRole(Role.CatalogAdmin)
  @ApiOk(ACTION_CREATED_SCHEMA, actionCreated)
  @ApiErrors(400, 409, 415)
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a standalone action (an action object with its own flow); answers its manifest, id and warnings' })
  @ApiBody({ schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, type: { type: 'string' }, input_parameters: { type: 'array', items: { type: 'object' } }, flow: { type: 'object' } } } })
  async create(@TenantId() tenantId: string, @CamQueryParams() q: CamQuery, @Body() body: unknown) {
    const { version, warnings } = await this.createAction.execute(tenantId, q.namespace ?? 'default', body);
    const view = toVersionView(version, version.service);
    return { ServiceEngine_InputFile: view.ServiceEngine_InputFile, service_id: version.serviceId, namespaceId: version.service.namespaceId, id: version.id, warning: warnings };
  }

  @Post('ActionInstances/invokeAction')
  @ApiOk(ACTION_INVOKED_SCHEMA, actionInvoked)
  @ApiErrors(400, 404, 409, 415, 503)
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a standalone action: {"action_data": {"action_id", "name"}}; answers {"actionInstance": {"id"}}' })
  @ApiBody({ schema: { type: 'object', required: ['action_data'], properties: { action_data: { type: 'object', required: ['action_id', 'name'], properties: { action_id: { type: 'string' }, name: { type: 'string' } } } } } })
  async invoke(@TenantId() tenantId: string, @CamQueryParams() q: CamQuery, @Body() body: unknown) {
    const instance = await this.invokeAction.execute({ tenantId, aceOrgGuid: q.aceOrgGuid, namespace: q.namespace, body });
    return { actionInstance: { id: instance.currentActionInstanceId } };
  }

  @Get('ActionInstances/:id')
  @ApiOk(ACTION_INSTANCE_SCHEMA)
  @ApiErrors(404)
  @ApiOperation({ summary: 'A run of an action (standalone or on an instance): its status, times and log' })
  async read(@TenantId() tenantId: string, @Param('id') id: string) {
    const a = await this.instances.findActionInstance(tenantId, id);
    if (!a) throw DomainException.notFound('action instance', id);
    return {
      id: a.id,
      name: a.name,
      type: a.type,
      Status: a.status,
      serviceInstanceId: a.serviceInstanceId,
      serviceInstanceName: a.serviceInstance.name,
      action_id: a.serviceInstance.serviceVersionId,
      created: a.createdAt.toISOString(),
      started: a.startedAt?.toISOString() ?? null,
      finished: a.finishedAt?.toISOString() ?? null,
      log: a.log.trimStart(),
    };
  }
}

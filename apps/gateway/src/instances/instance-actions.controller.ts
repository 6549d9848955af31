import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantId } from '../auth/tenant.decorator';
import { ApiErrors, ApiOk, ERROR_SCHEMA, errorContent } from '../openapi/api-responses';
import { instanceId } from './instances.controller';
import {
  CLEANUP_BODY,
  CLEANUP_LOCK_ERROR_EXAMPLE,
  CLEANUP_SCHEMA,
  CREATE_BIND_BODY,
  INVOKE_CUSTOM_ACTION_BODY,
  RESUME_BODY,
  RETRY_BODY,
  STARTED_ACTION_SCHEMA,
  SUBMIT_VERSION_CHANGE_BODY,
  TERMINATE_BIND_BODY,
  UPDATE_BODY,
  VERSION_CHANGE_ID_BODY,
  VERSION_CHANGE_INPUT_SCHEMA,
} from './instance.openapi';
import { CleanupInstanceUseCase } from './usecases/cleanup-instance.usecase';
import { CreateBindUseCase } from './usecases/create-bind.usecase';
import { InvokeCustomActionUseCase } from './usecases/invoke-custom-action.usecase';
import { ResumeInstanceUseCase } from './usecases/resume-instance.usecase';
import { RetryInstanceUseCase } from './usecases/retry-instance.usecase';
import { SubmitVersionChangeUseCase } from './usecases/submit-version-change.usecase';
import { TerminateBindUseCase } from './usecases/terminate-bind.usecase';
import { TerminateInstanceUseCase } from './usecases/terminate-instance.usecase';
import { UpdateInstanceUseCase } from './usecases/update-instance.usecase';
import { VersionChangeInputParametersUseCase } from './usecases/version-change-input-parameters.usecase';
import { RequiresRole, Role } from '../auth/roles';

const STARTED = 'The action was accepted and queued; follow it in GET …/{id} (actionInstanceDetails) or GET …/{id}/events';

/** The calls that start an action on an instance; each is one at a time per instance (409 while another runs). */
@ApiTags('CAM service instances')
@ApiBearerAuth()
@ApiQuery({ name: 'tenantId', required: false })
@RequiresRole(Role.Operator)
@Controller('cam/composer/api/v1/ServiceInstances')
export class InstanceActionsController {
  constructor(
    private readonly terminateInstance: TerminateInstanceUseCase,
    private readonly updateInstance: UpdateInstanceUseCase,
    private readonly retryInstance: RetryInstanceUseCase,
    private readonly resumeInstance: ResumeInstanceUseCase,
    private readonly versionChangeInputs: VersionChangeInputParametersUseCase,
    private readonly submitVersionChange: SubmitVersionChangeUseCase,
    private readonly invokeCustomAction: InvokeCustomActionUseCase,
    private readonly createBind: CreateBindUseCase,
    private readonly terminateBind: TerminateBindUseCase,
    private readonly cleanupInstance: CleanupInstanceUseCase,
  ) {}

  @Post(':id/terminate')
  @ApiOperation({ summary: "Terminate an instance: delete its ESC deployments in reverse step order; answers {name, Status: 'Terminating', id}" })
  @HttpCode(200)
  @ApiOk({ type: 'object', properties: { name: { type: 'string' }, Status: { type: 'string' }, id: { type: 'string' } } }, { name: 'upgarde_downgrade_service_instance56857d10-0220-11eb-859b-adea70bdca6d', Status: 'Terminating', id: '5f72d9ac2401e29758629ce9' })
  @ApiBody({ required: false, schema: { type: 'object', additionalProperties: false, properties: {}, example: {} } })
  @ApiErrors(400, 404, 409, 415, 503)
  async terminate(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    const instance = await this.terminateInstance.execute(tenantId, id, body);
    return { name: instance.name, Status: instance.status, id: instance.id };
  }

  @Post(':id/update')
  @HttpCode(200)
  @ApiOperation({ summary: 'Edit an Active instance\'s parameters (update_details.instance_parameters; the others keep their values): every step is rendered again and what changed is updated on ESC (PUT), the rest left alone' })
  @ApiBody({ schema: UPDATE_BODY })
  @ApiOk(STARTED_ACTION_SCHEMA, undefined, 200, STARTED)
  @ApiErrors(400, 404, 409, 415, 503)
  update(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.updateInstance.execute(tenantId, id, body);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: "Run the instance's failed action again from its start, with its values and retry_details.instance_parameters: what ESC holds is reused (updated if its rendering changed) or replaced, never duplicated. is_partial: true is refused" })
  @ApiBody({ schema: RETRY_BODY })
  @ApiOk(STARTED_ACTION_SCHEMA, undefined, 200, STARTED)
  @ApiErrors(400, 404, 409, 415, 503)
  retry(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.retryInstance.execute(tenantId, id, body);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: "Continue the instance's failed action from its failed step (completed steps are skipped), with resume_details.instance_parameters. is_partial: true is refused" })
  @ApiBody({ schema: RESUME_BODY })
  @ApiOk(STARTED_ACTION_SCHEMA, undefined, 200, STARTED)
  @ApiErrors(400, 404, 409, 415, 503)
  resume(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.resumeInstance.execute(tenantId, id, body);
  }

  @Post(':id/versionChangeInputParameters')
  @HttpCode(200)
  @ApiOperation({ summary: 'The input parameters a version change needs ({versionChangeId} of an UpgradePaths or DowngradePaths entry): the new version\'s, with new_parameters, used_old_parameters and ignored_old_parameters' })
  @ApiBody({ schema: VERSION_CHANGE_ID_BODY })
  @ApiOk(VERSION_CHANGE_INPUT_SCHEMA)
  @ApiErrors(400, 404, 415)
  versionChangeInputParameters(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.versionChangeInputs.execute(tenantId, id, body);
  }

  @Post(':id/submitVersionChange')
  @HttpCode(200)
  @ApiOperation({ summary: "Upgrade or downgrade an Active instance to the other version's flow: what both versions have is updated, what is new created, what is gone deleted; recorded in the history with its versionChangeDetails" })
  @ApiBody({ schema: SUBMIT_VERSION_CHANGE_BODY })
  @ApiOk({ ...STARTED_ACTION_SCHEMA, properties: { ...STARTED_ACTION_SCHEMA.properties, versionChangeDetails: { type: 'object', additionalProperties: true } } }, undefined, 200, STARTED)
  @ApiErrors(400, 404, 409, 415, 503)
  submit(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.submitVersionChange.execute(tenantId, id, body);
  }

  @Post(':id/invokeCustomAction')
  @HttpCode(200)
  @ApiOperation({ summary: "Run one of getCustomActions' actions on an Active instance: a custom flow of the version, or a built-in ESC operation (esc_stop, esc_vm_reboot with instance_parameters.vm_name, ...)" })
  @ApiBody({
    schema: INVOKE_CUSTOM_ACTION_BODY,
    examples: {
      'CAM seed (a custom flow)': { value: INVOKE_CUSTOM_ACTION_BODY.example },
      'reboot one VM (built-in)': { value: { customDetails: { currentCustomAction: 'esc_vm_reboot', instance_parameters: { vm_name: 'MyDemoDepName_ASA-1_0_b323effd-7f70-4055-b11e-0ef66f0a758d' } } } },
      'stop every VM (built-in)': { value: { customDetails: { currentCustomAction: 'esc_stop', name: 'maintenance window' } } },
    },
  })
  @ApiOk(STARTED_ACTION_SCHEMA, undefined, 200, STARTED)
  @ApiErrors(400, 404, 409, 415, 503)
  invoke(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.invokeCustomAction.execute(tenantId, id, body);
  }

  @Post(':id/createBind')
  @HttpCode(200)
  @ApiOperation({ summary: "Run the version's bind action as a bind instance (400 when the service is not bindable or has no bind action)" })
  @ApiBody({ schema: CREATE_BIND_BODY })
  @ApiOk({ ...STARTED_ACTION_SCHEMA, properties: { ...STARTED_ACTION_SCHEMA.properties, bind_name: { type: 'string' } } }, undefined, 200, STARTED)
  @ApiErrors(400, 404, 409, 415, 503)
  bind(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.createBind.execute(tenantId, id, body);
  }

  @Post(':id/terminateBind')
  @HttpCode(200)
  @ApiOperation({ summary: "Run the version's unbind action for a bind instance ({name})" })
  @ApiBody({ schema: TERMINATE_BIND_BODY })
  @ApiOk({ ...STARTED_ACTION_SCHEMA, properties: { ...STARTED_ACTION_SCHEMA.properties, bind_name: { type: 'string' } } }, undefined, 200, STARTED)
  @ApiErrors(400, 404, 409, 415, 503)
  unbind(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.terminateBind.execute(tenantId, id, body);
  }

  @Post(':id/cleanup')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Delete the instance's record (not what it made on ESC): force: false deletes only instances that are not Active, Error ones always; one whose action is in progress is refused with CAM's 419 ResourceLockError for an hour from the action's start, unless force: true",
  })
  @ApiBody({ schema: CLEANUP_BODY })
  @ApiOk(CLEANUP_SCHEMA)
  @ApiErrors(400, 404, 409, 415)
  @ApiResponse({ status: 419, description: "ResourceLockError: the instance's action is in progress and holds its lock (1 hour from its start)", content: errorContent({ ...ERROR_SCHEMA, example: CLEANUP_LOCK_ERROR_EXAMPLE }) })
  cleanup(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Body() body: unknown) {
    return this.cleanupInstance.execute(tenantId, id, body);
  }
}

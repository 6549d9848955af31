import { Body, Controller, Header, HttpCode, Param, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { AcceptedRequestInterceptor } from '../../common/accepted-request.interceptor';
import { AcceptsXmlGuard } from '../../common/accepts-xml.guard';
import { AcceptedRequest, EscHeaders, EscRequestHeaders } from '../../common/esc-request';
import { DeploymentOperationsService } from './deployment-operations.service';

const XML = 'application/xml';

/**
 * ESC "07-Deployment Operations" (/v0/{internal_tenant_id}/deployments/service/{internal_deployment_id})
 * and "08-VM Operations" (.../deployments/vm|recovery-vm|snapshot-vm/{vm_name}).
 */
@Controller('ESCManager/v0/:tenantId/deployments')
@UseGuards(AcceptsXmlGuard)
@UseInterceptors(AcceptedRequestInterceptor)
export class DeploymentOperationsController {
  constructor(private readonly operations: DeploymentOperationsService) {}

  @Post('service/:deploymentId')
  @HttpCode(200)
  @Header('Content-Type', XML)
  service(
    @Param('tenantId') tenantId: string,
    @Param('deploymentId') deploymentId: string,
    @Body() body: unknown,
    @EscHeaders() headers: EscRequestHeaders,
  ): AcceptedRequest {
    return this.operations.serviceOperation(tenantId, deploymentId, body, headers);
  }

  @Post('vm/:vmName')
  @HttpCode(200)
  @Header('Content-Type', XML)
  vm(
    @Param('tenantId') tenantId: string,
    @Param('vmName') vmName: string,
    @Body() body: unknown,
    @EscHeaders() headers: EscRequestHeaders,
  ): AcceptedRequest {
    return this.operations.vmOperation(tenantId, vmName, body, headers);
  }

  @Post('recovery-vm/:vmName')
  @HttpCode(200)
  @Header('Content-Type', XML)
  recovery(
    @Param('tenantId') tenantId: string,
    @Param('vmName') vmName: string,
    @Body() body: unknown,
    @EscHeaders() headers: EscRequestHeaders,
  ): AcceptedRequest {
    return this.operations.recovery(tenantId, vmName, body, headers);
  }

  @Post('snapshot-vm/:vmName')
  @HttpCode(200)
  @Header('Content-Type', XML)
  snapshot(
    @Param('tenantId') tenantId: string,
    @Param('vmName') vmName: string,
    @Body() body: unknown,
    @EscHeaders() headers: EscRequestHeaders,
  ): AcceptedRequest {
    return this.operations.snapshot(tenantId, vmName, body, headers);
  }
}

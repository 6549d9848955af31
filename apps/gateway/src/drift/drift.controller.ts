import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantId } from '../auth/tenant.decorator';
import { ApiCamQuery, ApiErrors, ApiOk } from '../openapi/api-responses';
import { DRIFT_EXAMPLE, DRIFT_REPAIR_SCHEMA, DRIFT_SCHEMA } from './drift.openapi';
import { RepairDriftUseCase } from './usecases/repair-drift.usecase';
import { ReportDriftUseCase } from './usecases/report-drift.usecase';
import { RequiresRole, Role } from '../auth/roles';

/** ESC against the gateway's records, for the caller's tenant. */
@ApiTags('drift')
@ApiBearerAuth()
@ApiCamQuery({ namespace: false })
@RequiresRole(Role.Admin)
@Controller('cam/api/v1/drift')
export class DriftController {
  constructor(
    private readonly reportDrift: ReportDriftUseCase,
    private readonly repairDrift: RepairDriftUseCase,
  ) {}

  @Get()
  @ApiOk(DRIFT_SCHEMA, DRIFT_EXAMPLE)
  @ApiErrors()
  @ApiOperation({ summary: "Compare what ESC holds (GET /v0/deployments on each connection) with the tenant's records: orphans, deployments ESC no longer has, VM stages that differ" })
  report(@TenantId() tenantId: string) {
    return this.reportDrift.execute(tenantId);
  }

  @Post('repair')
  @HttpCode(200)
  @ApiOk(DRIFT_REPAIR_SCHEMA)
  @ApiErrors()
  @ApiOperation({ summary: 'Fix what is safe: refresh VM stages from ESC, mark deployments ESC no longer has (asked again by id) as gone, delete orphans the gateway made (its ceg- prefix)' })
  repair(@TenantId() tenantId: string) {
    return this.repairDrift.execute(tenantId);
  }
}

import { Controller, Get, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/principal';
import { grants, Role } from '../auth/roles';
import { ApiErrors, ApiOk } from '../openapi/api-responses';
import { GetOverviewUseCase } from './usecases/get-overview.usecase';

const int = { type: 'integer' };
const OVERVIEW_SCHEMA = {
  type: 'object',
  required: ['at', 'instances', 'actions', 'connections', 'queues', 'callbacks_refused', 'tenants', 'activity'],
  properties: {
    at: { type: 'string', format: 'date-time' },
    instances: { type: 'object', description: 'instances by Status', additionalProperties: int, example: { Active: 120, Error: 2 } },
    actions: { type: 'object', required: ['running', 'queued', 'failed_24h'], properties: { running: int, queued: { ...int, description: "waiting for their batch's turn" }, failed_24h: int } },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          circuit: { type: 'string', enum: ['closed', 'half-open', 'open'], description: 'open when a worker holds it open' },
          in_flight: int,
          requests_15m: int,
          error_rate_15m: { type: 'number', description: 'failed share of the requests sent in the last 15 minutes' },
        },
      },
    },
    queues: { type: 'array', nullable: true, description: "the gateway's queues (every tenant's jobs): for an admin only, else null", items: { type: 'object', properties: { name: { type: 'string' }, counts: { type: 'object', nullable: true, additionalProperties: int, description: 'null: the queue store did not answer' } } } },
    callbacks_refused: { ...int, nullable: true, description: 'ESC callbacks this gateway process refused since it started (every tenant\'s): for an admin only, else null' },
    tenants: {
      type: 'array',
      nullable: true,
      description: 'every tenant with instances: for an admin of the operations tenant (OPERATIONS_TENANT) only, else null',
      items: { type: 'object', properties: { tenant_id: { type: 'string' }, instances: { type: 'object', additionalProperties: int }, running: int, failed_24h: int } },
    },
    activity: {
      type: 'object',
      properties: {
        bucket_minutes: int,
        hours: int,
        buckets: { type: 'array', description: 'buckets without any deploy or failure are left out', items: { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, deploys: int, failures: int } } },
      },
    },
  },
};

/** What the operator console's overview shows of the caller's tenant. */
@ApiTags('console')
@Controller('cam/api/v1/overview')
export class OverviewController {
  constructor(private readonly overview: GetOverviewUseCase) {}

  @Get()
  @ApiOperation({ summary: "The tenant at a glance: instances by status, actions running, queued and failed in the last 24 hours, ESC connections' health, deploys and failures per minute over the last 3 hours; for an admin also the gateway's queue depths and the callbacks it refused, and for an admin of the operations tenant every tenant's instances and actions" })
  @ApiOk(OVERVIEW_SCHEMA)
  @ApiErrors()
  get(@Req() req: AuthenticatedRequest) {
    return this.overview.execute(req.tenantId, grants(req.principal.roles, Role.Admin));
  }
}

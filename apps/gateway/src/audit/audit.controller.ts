import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { TenantId } from '../auth/tenant.decorator';
import { queryValue } from '../common/cam-query';
import { ListAuditEntriesUseCase } from './usecases/list-audit-entries.usecase';
import { RequiresRoleToRead, Role } from '../auth/roles';
import { ApiErrors, ApiOk } from '../openapi/api-responses';

const MAX_LIMIT = 500;

const AUDIT_SCHEMA = {
  type: 'object',
  properties: {
    entries: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          tenantId: { type: 'string' },
          subject: { type: 'string', description: 'token:<tenant> for an API token, the JWT sub' },
          via: { type: 'string', enum: ['api-token', 'jwt'] },
          roles: { type: 'array', items: { type: 'string' } },
          call: { type: 'string', example: 'POST /cam/composer/api/v1/ServiceManifest/:id/deploy' },
          path: { type: 'string' },
          target_ids: { type: 'array', items: { type: 'string' } },
          status: { type: 'integer' },
          request_id: { type: 'string', nullable: true },
          source: { type: 'string', nullable: true },
        },
      },
    },
    next_cursor: { type: 'string', nullable: true, description: 'pass as cursor for the next (older) page' },
  },
};

/** GET /cam/api/v1/audit: the tenant's audit log, newest first (admin). */
@ApiTags('audit')
@Controller('cam/api/v1/audit')
export class AuditController {
  constructor(private readonly listEntries: ListAuditEntriesUseCase) {}

  @Get()
  @RequiresRoleToRead(Role.Admin)
  @ApiOperation({ summary: "The tenant's audit log, newest first: every mutating call (who, roles, call, targets, status, request id, address)" })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'subject', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'target', required: false, schema: { type: 'string' }, description: 'an id the call named in its path, or made' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiOk(AUDIT_SCHEMA)
  @ApiErrors(400)
  async list(@TenantId() tenantId: string, @Query() query: Record<string, unknown>) {
    const known = ['from', 'to', 'subject', 'target', 'limit', 'cursor', 'tenantId'];
    const unknown = Object.keys(query).find((k) => !known.includes(k));
    if (unknown) throw DomainException.invalid(`${unknown.slice(0, 64)}: is not a filter of the audit log (from, to, subject, target, limit, cursor)`);
    return this.listEntries.execute(tenantId, {
      from: date('from', queryValue(query, 'from')),
      to: date('to', queryValue(query, 'to')),
      subject: text('subject', queryValue(query, 'subject')),
      target: text('target', queryValue(query, 'target')),
      before: cursor(queryValue(query, 'cursor')),
      limit: limit(queryValue(query, 'limit')),
    });
  }
}

function date(name: string, v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(v) ? new Date(v) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw DomainException.invalid(`${name}: must be an ISO 8601 date or date-time (2026-12-01T00:00:00Z)`);
  return at;
}

function text(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && v.length > 200) throw DomainException.invalid(`${name}: must be 1 to 200 characters`);
  return v;
}

function cursor(v: string | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,18}$/.test(v)) throw DomainException.invalid('cursor: must be the next_cursor of the page before');
  return BigInt(v);
}

function limit(v: string | undefined): number {
  if (v === undefined) return 100;
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > MAX_LIMIT) throw DomainException.invalid(`limit: must be an integer from 1 to ${MAX_LIMIT}`);
  return Number(v);
}

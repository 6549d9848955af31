import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { AuditRepository } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
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
  constructor(private readonly audit: AuditRepository) {}

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
    const entries = await this.audit.list(tenantId, {
      from: date('from', query.from),
      to: date('to', query.to),
      subject: text('subject', query.subject),
      target: text('target', query.target),
      before: cursor(query.cursor),
      limit: limit(query.limit),
    });
    const page = limit(query.limit);
    return {
      entries: entries.map((e) => ({ id: e.id.toString(), at: e.at.toISOString(), tenantId: e.tenantId, subject: e.subject, via: e.via, roles: e.roles, call: e.call, path: e.path, target_ids: e.targetIds, status: e.status, request_id: e.requestId, source: e.source })),
      next_cursor: entries.length === page ? entries[entries.length - 1].id.toString() : null,
    };
  }
}

function single(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw DomainException.invalid(`${name}: give it once, as a plain value`);
  return value;
}

function date(name: string, value: unknown): Date | undefined {
  const v = single(name, value);
  if (v === undefined) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(v) ? new Date(v) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw DomainException.invalid(`${name}: must be an ISO 8601 date or date-time (2026-12-01T00:00:00Z)`);
  return at;
}

function text(name: string, value: unknown): string | undefined {
  const v = single(name, value);
  if (v !== undefined && (v.length < 1 || v.length > 200 || v.includes('\u0000'))) throw DomainException.invalid(`${name}: must be 1 to 200 characters`);
  return v;
}

function cursor(value: unknown): bigint | undefined {
  const v = single('cursor', value);
  if (v === undefined) return undefined;
  if (!/^\d{1,18}$/.test(v)) throw DomainException.invalid('cursor: must be the next_cursor of the page before');
  return BigInt(v);
}

function limit(value: unknown): number {
  const v = single('limit', value);
  if (v === undefined) return 100;
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > MAX_LIMIT) throw DomainException.invalid(`limit: must be an integer from 1 to ${MAX_LIMIT}`);
  return Number(v);
}

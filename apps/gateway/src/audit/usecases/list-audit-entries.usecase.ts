import { Injectable } from '@nestjs/common';
import { AuditQuery, AuditRepository } from '@cam-esc/persistence';

/** GET /cam/api/v1/audit: a page of the tenant's audit log, newest first, with the cursor of the next. */
@Injectable()
export class ListAuditEntriesUseCase {
  constructor(private readonly audit: AuditRepository) {}

  async execute(tenantId: string, q: AuditQuery) {
    const entries = await this.audit.list(tenantId, q);
    return {
      entries: entries.map((e) => ({ id: e.id.toString(), at: e.at.toISOString(), tenantId: e.tenantId, subject: e.subject, via: e.via, roles: e.roles, call: e.call, path: e.path, target_ids: e.targetIds, status: e.status, request_id: e.requestId, source: e.source })),
      next_cursor: entries.length === q.limit ? entries[entries.length - 1].id.toString() : null,
    };
  }
}

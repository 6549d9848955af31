import { Injectable } from '@nestjs/common';
import { AuditEntry, Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma.service';

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditQuery {
  from?: Date;
  to?: Date;
  subject?: string;
  /** An id the call's path named, or that the call made. */
  target?: string;
  /** Entries older than this one (the cursor of the page before). */
  before?: bigint;
  limit: number;
}

/** The audit log (audit_entry): appended, read newest first. */
@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  async append(entries: NewAuditEntry[]): Promise<void> {
    if (entries.length) await this.prisma.auditEntry.createMany({ data: entries });
  }

  list(tenantId: string, q: AuditQuery): Promise<AuditEntry[]> {
    const where: Prisma.AuditEntryWhereInput = {
      tenantId,
      ...(q.from || q.to ? { at: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      ...(q.subject ? { subject: q.subject } : {}),
      ...(q.target ? { targetIds: { has: q.target } } : {}),
      ...(q.before !== undefined ? { id: { lt: q.before } } : {}),
    };
    return this.prisma.auditEntry.findMany({ where, orderBy: { id: 'desc' }, take: q.limit });
  }
}

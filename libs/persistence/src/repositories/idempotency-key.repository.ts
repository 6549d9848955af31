import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma.service';
import { OUTBOX_NOW } from './job-outbox.repository';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/**
 * A key whose request has not said it still runs (IDEMPOTENCY_TOUCH_MS) for this long belongs to a
 * gateway that died mid-request: a retry may run it again.
 */
export const IDEMPOTENCY_STALE_MS = 60_000;

/** How often a request that runs long (a large batch upload) says it still runs. */
export const IDEMPOTENCY_TOUCH_MS = 15_000;

/** What a request carrying a key may do. */
export type IdempotencyStart =
  | { kind: 'run' }
  /** `fingerprint`: the one stored, which may say more than the one asked with (a streamed body's digest). */
  | { kind: 'replay'; status: number; body: unknown; fingerprint: string }
  | { kind: 'other-request' }
  | { kind: 'running' };

/** The Idempotency-Key records (idempotency_key), per tenant, on the database's clock. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Takes the key for a request with this fingerprint: `run` when it is new (or expired, or left
   * by a request that died), else what the first request left: its answer (`replay`), another
   * request under the same key (`other-request`), or the first still running (`running`). A
   * stored fingerprint `<fingerprint>.<more>` (a streamed body's digest, known once it was read)
   * is this request's too until the caller has compared the rest.
   */
  async start(tenantId: string, key: string, fingerprint: string): Promise<IdempotencyStart> {
    const taken = await this.prisma.$queryRaw<unknown[]>`
      INSERT INTO idempotency_key AS k (tenant_id, key, fingerprint, state, created_at, expires_at)
      VALUES (${tenantId}, ${key}, ${fingerprint}, 'started', ${OUTBOX_NOW}, ${OUTBOX_NOW} + ${IDEMPOTENCY_TTL_MS} * interval '1 millisecond')
      ON CONFLICT (tenant_id, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, state = 'started', response_status = NULL, response_body = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
        WHERE k.expires_at < ${OUTBOX_NOW}
           OR (k.state = 'started' AND k.fingerprint = EXCLUDED.fingerprint AND k.created_at < ${OUTBOX_NOW} - ${IDEMPOTENCY_STALE_MS} * interval '1 millisecond')
      RETURNING 1`;
    if (taken.length === 1) return { kind: 'run' };
    const row = await this.prisma.idempotencyKey.findUnique({ where: { tenantId_key: { tenantId, key } } });
    // gone meanwhile (its request failed and gave the key back): this one may run
    if (!row) return this.start(tenantId, key, fingerprint);
    if (row.fingerprint !== fingerprint && !row.fingerprint.startsWith(`${fingerprint}.`)) return { kind: 'other-request' };
    if (row.state !== 'done') return { kind: 'running' };
    return { kind: 'replay', status: row.responseStatus ?? 200, body: row.responseBody, fingerprint: row.fingerprint };
  }

  /** The request still runs: its key is not stale. */
  async touch(tenantId: string, key: string): Promise<void> {
    await this.prisma.$executeRaw`UPDATE idempotency_key SET created_at = ${OUTBOX_NOW} WHERE tenant_id = ${tenantId} AND key = ${key} AND state = 'started'`;
  }

  /** The answer the request got, for its retries (and its whole fingerprint, when it says more than at the start). */
  async finish(tenantId: string, key: string, status: number, body: unknown, fingerprint?: string): Promise<void> {
    await this.prisma.idempotencyKey.updateMany({
      where: { tenantId, key, state: 'started' },
      data: { state: 'done', responseStatus: status, responseBody: (body ?? Prisma.JsonNull) as Prisma.InputJsonValue, ...(fingerprint ? { fingerprint } : {}) },
    });
  }

  /** The request failed before it changed anything the key stands for: a retry runs it again. */
  async release(tenantId: string, key: string): Promise<void> {
    await this.prisma.idempotencyKey.deleteMany({ where: { tenantId, key, state: 'started' } });
  }

  async pruneExpired(): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM idempotency_key WHERE expires_at < ${OUTBOX_NOW}`;
  }
}

import { CallHandler, ExecutionContext, HttpStatus, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { IDEMPOTENCY_TOUCH_MS, IdempotencyKeyRepository } from '@cam-esc/persistence';
import { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { catchError, finalize, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { AuthenticatedRequest } from '../../auth/bearer-auth.guard';
import { ERROR_SCHEMA } from '../../openapi/api-responses';
import { canonicalJson } from '../canonical-json';
import { MUTATING_METHODS } from '../http/methods';
import { digestWhileStreamed, drainDigest, streamedDigest } from './streamed-body';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Printable ASCII, no spaces: what a UUID, a ULID or a client's own request id is made of. */
const KEY = /^[\x21-\x7E]{1,255}$/;


/**
 * What makes two requests the same request: method, path, query and body (objects' keys in any
 * order). A body the call streams (a batch's NDJSON or CSV) counts by its type here, and by the
 * digest of its bytes once it was read (`<fingerprint>.<digest>`).
 */
export function requestFingerprint(req: Pick<Request, 'method' | 'path' | 'query' | 'body' | 'headers'>): string {
  const streamed = req.body === undefined ? { type: req.headers['content-type'] ?? null } : null;
  return createHash('sha256').update(canonicalJson({ method: req.method, path: req.path, query: req.query ?? {}, body: req.body ?? null, streamed })).digest('hex');
}

/**
 * `Idempotency-Key` on every mutating call of a tenant (deploy, terminate, update, custom
 * actions, catalog changes, ...): the first request with a key runs and its answer is kept for
 * 24 hours; a retry with the same key and the same request gets that answer again (with
 * `Idempotent-Replayed: true`) without running it twice; the same key with another request is a
 * 422; one that comes while the first still runs, a 409. A request that fails gives its key back
 * (nothing was written: the use cases write in one transaction), so that a retry runs it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly keys: IdempotencyKeyRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & Partial<AuthenticatedRequest>>();
    const raw = req.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined || !MUTATING_METHODS.has(req.method) || !req.tenantId) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (Array.isArray(raw) && raw.length > 1) throw DomainException.invalid('header Idempotency-Key: give it once');
    if (!KEY.test(key)) throw DomainException.invalid('header Idempotency-Key: must be 1 to 255 printable ASCII characters without spaces (a UUID, say)');
    const tenantId = req.tenantId;
    const res = context.switchToHttp().getResponse<Response>();
    const status: number = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const fingerprint = requestFingerprint(req);
    const streamed = req.body === undefined;
    if (streamed) digestWhileStreamed(req);
    return from(this.keys.start(tenantId, key, fingerprint)).pipe(
      mergeMap((started): Observable<unknown> => {
        switch (started.kind) {
          case 'run': {
            // a long request (a large batch upload) says it still runs, so that its key is not taken for abandoned
            const alive = setInterval(() => void this.keys.touch(tenantId, key).catch(() => undefined), IDEMPOTENCY_TOUCH_MS);
            alive.unref();
            return next.handle().pipe(
              mergeMap((body) =>
                from(
                  this.keys.finish(tenantId, key, status, body ?? null, streamed ? wholeFingerprint(fingerprint, streamedDigest(req)) : undefined).then(
                    () => body,
                    // it ran: its answer goes out all the same; a retry within a minute is a 409, later it may run again
                    (e: Error) => (this.logger.error({ tenantId, err: e.message }, 'could not store the answer of an Idempotency-Key request'), body),
                  ),
                ),
              ),
              catchError((e: unknown) => from(this.keys.release(tenantId, key).catch(() => undefined)).pipe(mergeMap(() => throwError(() => e)))),
              finalize(() => clearInterval(alive)),
            );
          }
          case 'replay': {
            const replay = () => {
              res.setHeader('Idempotent-Replayed', 'true');
              res.status(started.status);
              return started.body;
            };
            if (started.fingerprint === fingerprint) return of(replay());
            // the first request's streamed body was read: this one's is compared by its digest
            return from(drainDigest(req).catch(() => Promise.reject(DomainException.invalid('body: the upload broke off before its end')))).pipe(
              mergeMap((digest) => {
                if (wholeFingerprint(fingerprint, digest) !== started.fingerprint) throw reused(key);
                return of(replay());
              }),
            );
          }
          case 'other-request':
            throw reused(key);
          case 'running':
            throw DomainException.conflict(`header Idempotency-Key: the request first sent with '${key}' is still running; ask again in a moment`);
        }
      }),
    );
  }
}

function wholeFingerprint(fingerprint: string, digest: string | undefined): string {
  return digest ? `${fingerprint}.${digest}` : fingerprint;
}

function reused(key: string): DomainException {
  return new DomainException(DomainErrorCode.IDEMPOTENCY_KEY_REUSED, `header Idempotency-Key: '${key}' was used in the last 24 hours for another request (another method, path or body); use a new key`);
}

/** The header on every mutating operation of the served OpenAPI document, with the answers it adds. */
export function documentIdempotencyKey(doc: { paths: Record<string, Record<string, { parameters?: unknown[]; responses?: Record<string, unknown> }>> }): void {
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith('/cam/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!MUTATING_METHODS.has(method.toUpperCase())) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes a retry safe: the first answer is kept 24 hours (per tenant) and given again, with Idempotent-Replayed: true, to a request with the same key and the same method, path, query and body; 1..255 printable ASCII characters without spaces',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
        },
      ];
      const error = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_SCHEMA } } });
      operation.responses = {
        ...(operation.responses ?? {}),
        '409': operation.responses?.['409'] ?? error('the request first sent with this Idempotency-Key is still running'),
        '422': operation.responses?.['422'] ?? error('the Idempotency-Key was used in the last 24 hours for another request'),
      };
    }
  }
}

import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { AuthenticatedRequest } from '../auth/principal';
import { MUTATING_METHODS } from '../common/http/methods';
import { AuditWriter } from './audit-writer';


/**
 * A caller's words as PostgreSQL text takes them: a NUL (a path may carry %00; the call itself is
 * refused with a 400) is written as U+FFFD, so that one such call cannot fail the whole batch of
 * entries it is written with.
 */
function storable(text: string): string {
  return text.replace(/\u0000/g, '\ufffd');
}

/** What the call made, as its answer names it (set by AuditInterceptor). */
export const MADE_IDS = Symbol('auditMadeIds');
export type AuditedRequest = Request & Partial<AuthenticatedRequest> & { [MADE_IDS]?: Set<string> };

/**
 * Every mutating call of an authenticated caller leaves an audit entry once its answer is sent,
 * whatever it is (a 403 for a missing role included; not a 429 of the rate limits): when, who (API token or JWT subject),
 * tenant, roles, the call (its route), the ids it named and made, the status, the request id and
 * the caller's address; and a JSON log line with the same. Never a body, so never a secret.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Audit');

  constructor(private readonly writer: AuditWriter) {}

  use(req: AuditedRequest, res: Response, next: NextFunction): void {
    // close: after the answer went out, or when the client went away first (then 499)
    if (MUTATING_METHODS.has(req.method)) res.once('close', () => this.record(req, res));
    next();
  }

  private record(req: AuditedRequest, res: Response): void {
    const principal = req.principal;
    // no caller known (no or a bad token): the request log has it, the audit is of callers
    if (!principal) return;
    // refused for a rate limit before anything ran: counted in cam_esc_rate_limited_total, not written
    // a row each (a client flooding past its limit would otherwise write at the flood's rate)
    if (res.writableFinished && res.statusCode === 429) return;
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    const entry = {
      at: new Date(),
      tenantId: principal.tenantId,
      subject: principal.subject,
      via: principal.via,
      roles: principal.roles,
      method: req.method,
      call: `${req.method} ${route}`,
      path: storable(req.path.slice(0, 500)),
      targetIds: [...new Set([...Object.values(req.params ?? {}).map((v) => storable(String(v).slice(0, 200))), ...(req[MADE_IDS] ?? [])])].slice(0, 20),
      status: res.writableFinished ? res.statusCode : 499,
      requestId: req.id === undefined ? null : String(req.id),
      source: req.ip ?? null,
    };
    this.logger.log({ audit: entry }, `audit: ${entry.call} by ${entry.subject} (${entry.tenantId}): ${entry.status}`);
    this.writer.add(entry);
  }
}

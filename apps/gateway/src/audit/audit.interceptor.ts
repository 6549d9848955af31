import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { AuditedRequest, MADE_IDS } from './audit.middleware';

/** The ids an answer names as what the call made (an instance, a batch, a service, ...). */
const MADE_ID_FIELDS = ['id', 'batch_id', 'serviceManifestId', 'action_instance_id'] as const;

/** Notes, for the call's audit entry (AuditMiddleware), the ids of what it made. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    return next.handle().pipe(
      tap((body) => {
        if (!body || typeof body !== 'object') return;
        const made = (req[MADE_IDS] ??= new Set());
        for (const field of MADE_ID_FIELDS) {
          const value = (body as Record<string, unknown>)[field];
          if (typeof value === 'string' && value.length <= 128) made.add(value);
        }
      }),
    );
  }
}

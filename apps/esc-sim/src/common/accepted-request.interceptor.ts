import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Observable, map } from 'rxjs';
import { AcceptedRequest } from './esc-request';

/** Turns a handler's AcceptedRequest into the esc-transaction-id header and its XML body. */
@Injectable()
export class AcceptedRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      map((value: unknown) => {
        if (!isAcceptedRequest(value)) return value;
        res.setHeader('esc-transaction-id', value.transactionId);
        return value.body;
      }),
    );
  }
}

function isAcceptedRequest(value: unknown): value is AcceptedRequest {
  return typeof value === 'object' && value !== null && 'transactionId' in value && 'body' in value;
}

import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Observable, mergeMap } from 'rxjs';
import { HeldAnswers } from '../faults/held-answers';
import { AcceptedRequest } from './esc-request';

/**
 * Turns a handler's AcceptedRequest into the esc-transaction-id header and its XML body, late
 * (`delayMs`) or never (`loseAnswer`: the connection is destroyed, after the handler has applied
 * the request) when a fault rule says so.
 */
@Injectable()
export class AcceptedRequestInterceptor implements NestInterceptor {
  constructor(private readonly held: HeldAnswers) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        if (!isAcceptedRequest(value)) return value;
        res.setHeader('esc-transaction-id', value.transactionId);
        await this.held.hold(res, value.answer?.delayMs ?? 0);
        // Nest still "sends" the body; on a destroyed connection that writes nothing.
        if (value.answer?.lose) res.socket?.destroy();
        return value.body;
      }),
    );
  }
}

function isAcceptedRequest(value: unknown): value is AcceptedRequest {
  return typeof value === 'object' && value !== null && 'transactionId' in value && 'body' in value;
}

import { HttpException } from '@nestjs/common';

/** A synchronous answer forced by a fault rule; its body is sent verbatim. */
export class SimulatedFailureException extends HttpException {
  constructor(
    status: number,
    readonly body: string,
    /** Extra answer headers (respond.headers). */
    readonly headers: Readonly<Record<string, string>> = {},
    /** Milliseconds to hold the answer back (delayMs). */
    readonly delayMs = 0,
  ) {
    super(body, status);
  }
}

/** A request dropped before it was applied (dropRequest): the connection is destroyed, nothing answered. */
export class DroppedRequestException extends HttpException {
  constructor(readonly delayMs = 0) {
    super('dropped', 599);
  }
}

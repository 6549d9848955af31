import { HttpException } from '@nestjs/common';

/** A synchronous answer forced by a fault rule; its body is sent verbatim. */
export class SimulatedFailureException extends HttpException {
  constructor(
    status: number,
    readonly body: string,
  ) {
    super(body, status);
  }
}

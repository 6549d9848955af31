/**
 * Errors of the domain, raised by use cases in the gateway and the worker alike. They carry a
 * code, never an HTTP status: the gateway maps codes to HTTP in one filter
 * (apps/gateway/src/common/domain-exception.filter.ts), the worker records them in the
 * instance's log.
 */
export enum DomainErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The body is not in a format the call takes (e.g. not JSON). */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** The record is held by work in progress that may not be interrupted yet (CAM's 419 ResourceLockError). */
  RESOURCE_LOCKED = 'RESOURCE_LOCKED',
  /** An Idempotency-Key sent again with another request than the one it was first sent with. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** The caller made more calls than its rate limit lets through; it may retry after a while. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** A dependency (Redis, ESC) is down; the client may retry. */
  UNAVAILABLE = 'UNAVAILABLE',
}

export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainException';
  }

  static invalid(message: string, details?: Record<string, unknown>): DomainException {
    return new DomainException(DomainErrorCode.INVALID_INPUT, message, details);
  }

  static notFound(what: string, id: string): DomainException {
    return new DomainException(DomainErrorCode.NOT_FOUND, `${what} '${id}' was not found`);
  }

  static conflict(message: string): DomainException {
    return new DomainException(DomainErrorCode.CONFLICT, message);
  }
}

/**
 * What `cam-esc` exits with, for scripts. Documented in the README (CLI); keep them stable.
 */
export enum ExitCode {
  Ok = 0,
  /** Something the CLI did not expect (a bug, an answer it cannot read). */
  Unexpected = 1,
  /** A usage error: an unknown command or option, a missing argument, a bad --set. */
  Usage = 2,
  /** The gateway could not be reached (or did not answer in time). */
  Unreachable = 3,
  /** No token, or one the gateway refuses (401, 403). */
  Auth = 4,
  /** No such service, version, instance or batch (404). */
  NotFound = 5,
  /** The gateway refused the request as invalid (400, 413, 415, 422). */
  Invalid = 6,
  /** The request conflicts with the state (409, 419): an action already runs, a name is taken. */
  Conflict = 7,
  /** It ran and failed: the instance ended in Error, or batch items did. */
  Failed = 8,
  /** --timeout passed before it ended. */
  Timeout = 9,
  /** The gateway or one of its dependencies is down (5xx). */
  Unavailable = 10,
}

/** An error the CLI reports in one line and exits with `code`. */
export class CliError extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
    /** A connection that broke or was refused: the request may be sent once more. */
    readonly retriable = false,
  ) {
    super(message);
  }
}

export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return ExitCode.Auth;
  if (status === 404) return ExitCode.NotFound;
  if (status === 409 || status === 419) return ExitCode.Conflict;
  if (status >= 400 && status < 500) return ExitCode.Invalid;
  return ExitCode.Unavailable;
}

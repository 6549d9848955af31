export interface EscAnswer {
  status: number;
  body: string;
  transactionId?: string;
  /** ESC's Retry-After, in milliseconds from now (503, 429). */
  retryAfterMs?: number;
}

/** Raised when ESC could not be reached at all (connection refused, timeout): worth a retry. */
export class EscUnreachableError extends Error {
  /**
   * Whether the request may have reached ESC all the same (the connection was made and dropped, or
   * timed out waiting for the answer): then ESC may have applied it, and is asked before it is sent again.
   */
  constructor(message: string, readonly maybeReceived = false) {
    super(message);
  }
}

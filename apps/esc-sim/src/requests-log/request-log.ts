import { Injectable } from '@nestjs/common';

export interface LoggedRequest {
  seq: number;
  receivedAt: string;
  method: string;
  /** Path with query string, exactly as requested. */
  path: string;
  /** Lower-cased names as Node receives them; authorization credentials are redacted. */
  headers: Record<string, string | string[]>;
  /** Raw body text; null when the request had none. */
  body: string | null;
  /** Status the simulator answered with; absent until the answer is sent. */
  status?: number;
}

const MAX_ENTRIES = 1000;

/** The requests a client sent to the simulated ESC, for GET /_sim/requests. */
@Injectable()
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  record(request: Omit<LoggedRequest, 'seq' | 'receivedAt'>): LoggedRequest {
    const entry: LoggedRequest = { seq: ++this.seq, receivedAt: new Date().toISOString(), ...request };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
    return entry;
  }

  list(): LoggedRequest[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries = [];
  }
}

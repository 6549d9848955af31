import { Injectable } from '@nestjs/common';

export interface CallbackAttempt {
  at: string;
  /** HTTP status answered by the receiver, if it answered at all. */
  status?: number;
  error?: string;
}

export interface SentCallback {
  seq: number;
  queuedAt: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  attempts: CallbackAttempt[];
  /** null while still being delivered. */
  delivered: boolean | null;
}

const MAX_ENTRIES = 1000;

/** Every callback the simulator tried to deliver, for GET /_sim/callbacks. */
@Injectable()
export class CallbackLog {
  private entries: SentCallback[] = [];
  private seq = 0;

  start(url: string, headers: Record<string, string>, body: string): SentCallback {
    const entry: SentCallback = {
      seq: ++this.seq,
      queuedAt: new Date().toISOString(),
      url,
      headers,
      body,
      attempts: [],
      delivered: null,
    };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
    return entry;
  }

  list(): SentCallback[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}

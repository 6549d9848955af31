import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AuditRepository, NewAuditEntry } from '@cam-esc/persistence';

/** How long an entry waits to be written with the others of its moment, at most. */
const FLUSH_MS = 100;
const BATCH = 200;

/**
 * Writes audit entries a few at a time: one INSERT per tenth of a second rather than one per call
 * (the deploy path pays for one statement, not two). What is still waiting is written when the
 * gateway stops; the JSON log line of each entry goes out at once either way.
 */
@Injectable()
export class AuditWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private waiting: NewAuditEntry[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly audit: AuditRepository) {}

  add(entry: NewAuditEntry): void {
    this.waiting.push(entry);
    if (this.waiting.length >= BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Before the database closes (PrismaService closes it last). */
  async beforeApplicationShutdown(): Promise<void> {
    this.flush();
    await this.writing;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.waiting;
    this.waiting = [];
    if (!entries.length) return;
    this.writing = this.writing.then(() => this.write(entries));
  }

  /** The batch in one statement; if the database refuses it, each entry on its own, so that one bad entry loses only itself. */
  private async write(entries: NewAuditEntry[]): Promise<void> {
    try {
      await this.audit.append(entries);
      return;
    } catch (e) {
      if (entries.length === 1) {
        this.logger.error({ err: (e as Error).message, audit: entries[0] }, 'could not write an audit entry');
        return;
      }
    }
    for (const entry of entries) await this.write([entry]);
  }
}

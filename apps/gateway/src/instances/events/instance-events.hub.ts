import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { INSTANCE_EVENTS_CHANNEL, InstanceEventRepository, StoredInstanceEvent } from '@cam-esc/persistence';
import { Client } from 'pg';

/** Who a stream is for: one instance, or every instance of a tenant. */
export type EventScope = { instanceId: string } | { tenantId: string };

export interface EventSubscription {
  scope: EventScope;
  /** Called in the order the events committed, for one instance. */
  deliver(event: StoredInstanceEvent): void;
  /** The last event the stream sent. */
  lastId: bigint;
  /**
   * The hub lost its LISTEN connection: events may have gone by unheard. The stream ends, and the
   * client's EventSource reconnects with Last-Event-ID, which replays them.
   */
  lost(): void;
}

const RECONNECT_MS = 1000;

/**
 * The gateway's one LISTEN on PostgreSQL's instance_events channel: whichever worker or gateway
 * replica wrote an event, every replica hears of it once it commits and hands it to its streams
 * that want it. The event is read once per replica (the notification carries only its id), in
 * the order the notifications came. Should the connection drop, every open stream ends (its client
 * resumes with Last-Event-ID and is replayed what went by) and the hub reconnects.
 */
@Injectable()
export class InstanceEventsHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InstanceEventsHub.name);
  private readonly subscriptions = new Set<EventSubscription>();
  private client?: Client;
  private closing = false;
  /** Notifications are handled one after the other, so events are delivered in the order they came. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly events: InstanceEventRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.client?.end().catch(() => undefined);
  }

  subscribe(subscription: EventSubscription): () => void {
    this.subscriptions.add(subscription);
    // not listening (reconnecting): what commits now would go unheard; the stream sends what is stored and ends
    if (!this.client) setImmediate(() => this.subscriptions.has(subscription) && subscription.lost());
    return () => this.subscriptions.delete(subscription);
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel === INSTANCE_EVENTS_CHANNEL && message.payload) this.enqueue(() => this.onNotification(message.payload!));
    });
    client.on('error', (err) => {
      this.logger.warn({ err: err.message }, 'the LISTEN connection for live progress failed; reconnecting');
      this.dropAndReconnect(client);
    });
    client.on('end', () => this.dropAndReconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${INSTANCE_EVENTS_CHANNEL}`);
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'could not LISTEN for live progress; trying again');
      this.dropAndReconnect(client);
      return;
    }
    this.client = client;
  }

  private dropAndReconnect(client: Client): void {
    if (this.client === client) {
      this.client = undefined;
      for (const s of [...this.subscriptions]) s.lost();
    }
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (!this.closing) setTimeout(() => void this.connect(), RECONNECT_MS).unref();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((e) => this.logger.warn({ err: (e as Error).message }, 'live progress: an event could not be read'));
  }

  private async onNotification(payload: string): Promise<void> {
    let note: { id?: string; instance?: string; tenant?: string; deleted?: boolean };
    try {
      note = JSON.parse(payload);
    } catch {
      return;
    }
    const wanted = [...this.subscriptions].filter((s) => ('instanceId' in s.scope ? s.scope.instanceId === note.instance : s.scope.tenantId === note.tenant));
    if (note.deleted) {
      // cleaned up, its events with it: its streams end (a reconnect is a 404)
      for (const s of wanted) if ('instanceId' in s.scope) s.lost();
      return;
    }
    if (wanted.length === 0 || !note.id || !/^\d+$/.test(note.id)) return;
    const event = await this.events.findById(BigInt(note.id));
    if (!event) return; // pruned, or its instance cleaned up meanwhile
    for (const s of wanted) this.hand(s, event);
  }

  private hand(s: EventSubscription, event: StoredInstanceEvent): void {
    if (this.subscriptions.has(s)) s.deliver(event);
  }
}

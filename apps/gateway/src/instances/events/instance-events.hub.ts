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
  /** The last event the stream sent (of one instance: what a catch-up after a reconnect reads after). */
  lastId: bigint;
}

const RECONNECT_MS = 1000;
const CATCH_UP_LIMIT = 1000;

/**
 * The gateway's one LISTEN on PostgreSQL's instance_events channel: whichever worker or gateway
 * replica wrote an event, every replica hears of it once it commits and hands it to its streams
 * that want it. The event is read once per replica (the notification carries only its id), in
 * the order the notifications came. Should the connection drop, it reconnects and every stream of
 * one instance catches up on what it missed.
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
    const reconnected = this.client === undefined && this.subscriptions.size > 0;
    this.client = client;
    if (reconnected) this.enqueue(() => this.catchUp());
  }

  private dropAndReconnect(client: Client): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (!this.closing) setTimeout(() => void this.connect(), RECONNECT_MS).unref();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((e) => this.logger.warn({ err: (e as Error).message }, 'live progress: an event could not be read'));
  }

  private async onNotification(payload: string): Promise<void> {
    let note: { id?: string; instance?: string; tenant?: string };
    try {
      note = JSON.parse(payload);
    } catch {
      return;
    }
    const wanted = [...this.subscriptions].filter((s) => ('instanceId' in s.scope ? s.scope.instanceId === note.instance : s.scope.tenantId === note.tenant));
    if (wanted.length === 0 || !note.id || !/^\d+$/.test(note.id)) return;
    const event = await this.events.findById(BigInt(note.id));
    if (!event) return; // pruned, or its instance cleaned up meanwhile
    for (const s of wanted) this.hand(s, event);
  }

  /** After a reconnect: what each instance's stream missed meanwhile, in order. */
  private async catchUp(): Promise<void> {
    for (const s of this.subscriptions) {
      if (!('instanceId' in s.scope)) continue;
      for (const event of await this.events.afterId(s.scope.instanceId, s.lastId, CATCH_UP_LIMIT)) this.hand(s, event);
    }
  }

  private hand(s: EventSubscription, event: StoredInstanceEvent): void {
    if (this.subscriptions.has(s)) s.deliver(event);
  }
}

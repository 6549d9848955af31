import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ActionStatus } from '@cam-esc/instances';
import { InstanceEventRepository, InstanceRepository, StoredInstanceEvent } from '@cam-esc/persistence';
import { EventSubscription, InstanceEventsHub } from './instance-events.hub';

/** One Server-Sent Event: its id (what Last-Event-ID resumes after), type and JSON data. */
export interface StreamedEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

export interface EventSink {
  send(event: StreamedEvent): void;
  end(): void;
}

const REPLAY_PAGE = 500;
/** A tenant's events are numbered in commit order per instance only: a resume looks back as long as a lock transaction may last. */
const TENANT_LOOKBACK_MS = 30_000;
const TENANT_REPLAY_MAX = 5000;
// a Queued action (waiting for its batch) runs later: its stream waits with it
const RUNNING: string[] = [ActionStatus.Queued, ActionStatus.Submitted, ActionStatus.InProgress];

/** The SSE form of a stored event. */
export function toStreamed(e: StoredInstanceEvent): StreamedEvent {
  return {
    id: e.id.toString(),
    event: e.type,
    data: { ...(e.data as Record<string, unknown>), id: e.id.toString(), type: e.type, serviceInstanceId: e.serviceInstanceId, actionInstanceId: e.actionInstanceId, time: e.createdAt.toISOString() },
  };
}

/** Last-Event-ID: an event id a stream sent (digits), or none. */
export function lastEventIdOf(value: string | undefined): bigint | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,18}$/.test(value.trim())) throw DomainException.invalid(`Last-Event-ID: '${value.slice(0, 40)}' is not an id this stream sent (digits)`, { field: 'Last-Event-ID' });
  return BigInt(value.trim());
}

/**
 * Live progress from the events every replica hears of (InstanceEventsHub). An instance's stream
 * (GET ServiceInstances/{id}/events) starts with where the instance stands, or, with
 * Last-Event-ID, with every event after that one (no gaps, no repeats); then sends each state
 * change, log line and ESC callback as it commits, and ends once no action runs. A tenant's
 * stream (GET ServiceInstances/events) sends every instance's events and does not end.
 */
@Injectable()
export class StreamInstanceEventsUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly events: InstanceEventRepository,
    private readonly hub: InstanceEventsHub,
  ) {}

  /** Opens an instance's stream; resolves once what came before is sent. Returns how to close it. */
  async instance(tenantId: string, instanceId: string, lastEventId: bigint | undefined, sink: EventSink): Promise<() => void> {
    if (!(await this.instances.exists(tenantId, instanceId))) throw DomainException.notFound('service instance', instanceId);
    let replaying = true;
    let ended = false;
    let running = false;
    const held: StoredInstanceEvent[] = [];
    const close = () => {
      ended = true;
      unsubscribe();
    };
    const endNow = () => {
      if (ended) return;
      close();
      sink.end();
    };
    const take = (e: StoredInstanceEvent) => {
      if (ended || e.id <= subscription.lastId) return;
      subscription.lastId = e.id;
      sink.send(toStreamed(e));
      if (e.type === 'action') running = (e.data as { event?: string }).event === 'started';
    };
    const live = (e: StoredInstanceEvent) => {
      take(e);
      if (!running) endNow();
    };
    const subscription: EventSubscription = { scope: { instanceId }, lastId: lastEventId ?? 0n, deliver: (e) => (replaying ? held.push(e) : live(e)), lost: () => endNow() };
    // subscribed before anything is read: an event that commits meanwhile is held, not lost
    const unsubscribe = this.hub.subscribe(subscription);
    try {
      // the latest event first, then the state: the state is at least as new as the event
      const [latest] = await this.events.latestOf(instanceId);
      const instance = await this.instances.findDetails(tenantId, instanceId);
      if (!instance) throw DomainException.notFound('service instance', instanceId);
      const current = instance.actions.find((a) => a.id === instance.currentActionInstanceId);
      running = Boolean(current && RUNNING.includes(current.status));
      if (lastEventId === undefined) {
        subscription.lastId = latest?.id ?? 0n;
        sink.send({
          id: subscription.lastId.toString(),
          event: 'snapshot',
          data: { serviceInstanceId: instanceId, name: instance.name, Status: instance.status, action: current?.name ?? null, actionInstanceId: current?.id ?? null, action_status: current?.status ?? null },
        });
      } else {
        if (lastEventId > (latest?.id ?? 0n)) throw DomainException.invalid(`Last-Event-ID: ${lastEventId} is not the id of an event of this instance (its latest is ${latest?.id ?? 0n})`, { field: 'Last-Event-ID' });
        for (;;) {
          const page = await this.events.afterId(instanceId, subscription.lastId, REPLAY_PAGE);
          for (const e of page) take(e);
          if (page.length < REPLAY_PAGE) break;
        }
        // the replay ends where the instance stood when it was read
        running = Boolean(current && RUNNING.includes(current.status));
      }
      replaying = false;
      for (const e of held.splice(0)) take(e);
    } catch (e) {
      close();
      throw e;
    }
    if (!running) endNow();
    return close;
  }

  /**
   * Opens a tenant's stream. With Last-Event-ID it first sends the events after that one and, since
   * another instance's may commit after a later-numbered one, those of the half minute before it:
   * nothing is missed, and an event may come again (same id) after a reconnect.
   */
  async tenant(tenantId: string, lastEventId: bigint | undefined, sink: EventSink): Promise<() => void> {
    const seen = new RecentIds(TENANT_REPLAY_MAX);
    let replaying = lastEventId !== undefined;
    const held: StoredInstanceEvent[] = [];
    const send = (e: StoredInstanceEvent) => {
      if (seen.add(e.id)) sink.send(toStreamed(e));
    };
    const unsubscribe = this.hub.subscribe({
      scope: { tenantId },
      lastId: 0n,
      deliver: (e) => (replaying ? held.push(e) : send(e)),
      // events may have gone by unheard: the client resumes with Last-Event-ID
      lost: () => {
        unsubscribe();
        sink.end();
      },
    });
    if (lastEventId !== undefined) {
      const last = await this.events.findById(lastEventId);
      if (last && last.tenantId === tenantId) {
        for (const e of await this.events.tenantSince(tenantId, new Date(last.createdAt.getTime() - TENANT_LOOKBACK_MS), TENANT_REPLAY_MAX)) if (e.id !== lastEventId) send(e);
      }
      replaying = false;
      for (const e of held.splice(0)) send(e);
    }
    return unsubscribe;
  }
}

/** The ids a tenant stream sent lately, so a resume's look-back and the live events do not send one twice. */
class RecentIds {
  private readonly ids = new Set<bigint>();
  constructor(private readonly max: number) {}

  add(id: bigint): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

import { OutboundPolicy } from '@cam-esc/outbound';
import { Agent } from 'undici';
import { DEFAULT_CONNECTION, EscTarget } from './esc-target';

/** Agents kept at most; the least recently made beyond this is closed (stale versions, deleted connections). */
const MAX_AGENTS = 256;
/** undici's own default; a shorter request timeout shortens it. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One undici Agent per connection version. The Agent's pool is what bounds a connection's
 * requests in flight: `connections: maxInFlight` clients with pipelining 1, so at most
 * maxInFlight requests run at once and the rest wait in undici's queue. Several worker processes
 * split a connection's max_in_flight between them (shareAmong), so that together they stay within it.
 */
export class EscAgents {
  private readonly agents = new Map<string, { version: string; agent: Agent }>();
  /** How many processes share each connection's budget of requests in flight (the live workers). */
  private sharers = 1;

  /** `outbound`: where stored connections may connect (the environment's own, ESC_URL, goes where it says). */
  constructor(private readonly outbound?: OutboundPolicy) {}

  /** A new count of sharers: each connection's next request gets an Agent sized to its share. */
  shareAmong(processes: number): void {
    this.sharers = Math.max(1, Math.floor(processes));
  }

  /** This process's part of a connection's max_in_flight: at least one. */
  shareOf(target: EscTarget): number {
    return Math.max(1, Math.floor(target.maxInFlight / this.sharers));
  }

  for(target: EscTarget): Agent {
    const key = target.id ?? target.name;
    const connections = this.shareOf(target);
    const version = `${target.version}:${connections}`;
    const cached = this.agents.get(key);
    if (cached?.version === version) return cached.agent;
    if (cached) void cached.agent.close(); // lets its requests in flight finish
    this.agents.delete(key);
    const agent = new Agent({
      connections,
      pipelining: 1,
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      connect: {
        timeout: Math.min(target.timeoutMs, CONNECT_TIMEOUT_MS),
        ...(target.caBundle ? { ca: target.caBundle } : {}),
        ...(this.outbound && key !== DEFAULT_CONNECTION ? { lookup: this.outbound.lookup } : {}),
      },
    });
    this.agents.set(key, { version, agent });
    if (this.agents.size > MAX_AGENTS) this.evictOldest();
    return agent;
  }

  async closeAll(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map(({ agent }) => agent.close()));
  }

  private evictOldest(): void {
    const [key, oldest] = this.agents.entries().next().value as [string, { agent: Agent }];
    this.agents.delete(key);
    void oldest.agent.close();
  }
}

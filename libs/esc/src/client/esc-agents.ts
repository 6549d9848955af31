import { Agent } from 'undici';
import { EscTarget } from './esc-target';

/** Agents kept at most; the least recently made beyond this is closed (stale versions, deleted connections). */
const MAX_AGENTS = 256;
/** undici's own default; a shorter request timeout shortens it. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One undici Agent per connection version. The Agent's pool is what bounds a connection's
 * requests in flight: `connections: maxInFlight` clients with pipelining 1, so at most
 * maxInFlight requests run at once and the rest wait in undici's queue.
 */
export class EscAgents {
  private readonly agents = new Map<string, { version: number; agent: Agent }>();

  for(target: EscTarget): Agent {
    const key = target.id ?? target.name;
    const cached = this.agents.get(key);
    if (cached?.version === target.version) return cached.agent;
    if (cached) void cached.agent.close(); // lets its requests in flight finish
    this.agents.delete(key);
    const agent = new Agent({
      connections: target.maxInFlight,
      pipelining: 1,
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      connect: { timeout: Math.min(target.timeoutMs, CONNECT_TIMEOUT_MS), ...(target.caBundle ? { ca: target.caBundle } : {}) },
    });
    this.agents.set(key, { version: target.version, agent });
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

import { Injectable } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { DomainException } from '@cam-esc/errors';
import { DEFAULT_CONNECTION, defaultEscTarget, EscTarget } from '@cam-esc/esc';
import { EscConnection, EscConnectionRepository } from '@cam-esc/persistence';
import { SecretBox, SecretBoxError } from '@cam-esc/secrets';

/** How long a resolved connection is used without looking at the database again. */
const FRESH_MS = 5_000;
const MAX_CACHED = 1_000;

/**
 * The ESC connections of a tenant, by name, as targets for EscClient: `default` (or no name)
 * is the one ESC_URL configures, any other name a stored connection. Resolved targets are kept
 * for a few seconds, and past that reused as long as the connection has not changed, so a hot
 * path neither reads nor decrypts per call.
 */
@Injectable()
export class EscConnections {
  private readonly builtin: EscTarget;
  private readonly cache = new Map<string, { target: EscTarget; freshUntil: number }>();

  constructor(
    config: AppConfig,
    private readonly connections: EscConnectionRepository,
    private readonly box: SecretBox,
  ) {
    this.builtin = defaultEscTarget(config);
  }

  async resolve(tenantId: string, name?: string): Promise<EscTarget> {
    if (name === undefined || name === DEFAULT_CONNECTION) return this.builtin;
    const key = cacheKey(tenantId, name);
    const cached = this.cache.get(key);
    if (cached && cached.freshUntil > Date.now()) return cached.target;
    const row = await this.connections.findByName(tenantId, name);
    if (!row) {
      this.cache.delete(key);
      throw DomainException.notFound('ESC connection', name);
    }
    const target = cached?.target.version === row.updatedAt.getTime() ? cached.target : this.toTarget(row);
    this.remember(key, target);
    return target;
  }

  async exists(tenantId: string, name: string): Promise<boolean> {
    if (name === DEFAULT_CONNECTION) return true;
    return (await this.connections.findByName(tenantId, name)) !== null;
  }

  /** Drops what this process keeps of a connection (after it was changed or deleted here). */
  forget(tenantId: string, name: string): void {
    this.cache.delete(cacheKey(tenantId, name));
  }

  private toTarget(row: EscConnection): EscTarget {
    let password: string | undefined;
    try {
      password = row.passwordSealed === null ? undefined : this.box.open(row.passwordSealed);
    } catch (e) {
      if (!(e instanceof SecretBoxError)) throw e;
      throw DomainException.conflict(`the stored password of ESC connection '${row.name}' cannot be opened (${e.message}); set it again with PUT /cam/api/v1/connections/${row.id}`);
    }
    return {
      name: row.name,
      id: row.id,
      url: row.url,
      username: row.username,
      password,
      caBundle: row.caBundle ?? undefined,
      timeoutMs: row.timeoutSeconds * 1000,
      maxInFlight: row.maxInFlight,
      version: row.updatedAt.getTime(),
    };
  }

  private remember(key: string, target: EscTarget): void {
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { target, freshUntil: Date.now() + FRESH_MS });
  }
}

const cacheKey = (tenantId: string, name: string) => `${tenantId}\u0000${name}`;

import { AppConfig } from '@cam-esc/config';
import { OutboundPolicy } from '@cam-esc/outbound';
import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { EscConnections } from '@cam-esc/connections';
import { DEFAULT_CONNECTION } from '@cam-esc/esc';
import { EscConnectionRepository } from '@cam-esc/persistence';
import { SecretBox } from '@cam-esc/secrets';
import { builtinIsReadOnly } from '../connection-id.pipe';
import { ConnectionInput, connectionFields } from '../connection-fields';
import { toConnectionView } from '../connection.view';
import { ConnectionUsers } from './connection-users';

export interface UpdateConnectionCommand extends Partial<ConnectionInput> {
  tenantId: string;
  id: string;
  /** Omitted: kept; null or "": removed. */
  password?: string | null;
}

/** A partial update; renaming or repointing a connection that live instances use is a 409 (their resources are there); a new url needs the password again. */
@Injectable()
export class UpdateConnectionUseCase {
  private readonly outbound: OutboundPolicy;

  constructor(
    private readonly connections: EscConnectionRepository,
    private readonly users: ConnectionUsers,
    private readonly resolved: EscConnections,
    private readonly box: SecretBox,
    config: AppConfig,
  ) {
    this.outbound = new OutboundPolicy(config.outboundAllow);
  }

  async execute({ tenantId, id, password, ...change }: UpdateConnectionCommand) {
    if (id === DEFAULT_CONNECTION) throw builtinIsReadOnly();
    const row = await this.connections.findById(tenantId, id);
    if (!row) throw DomainException.notFound('ESC connection', id);
    const kept = <T>(given: T | undefined, stored: T): T => (given === undefined ? stored : given);
    const fields = connectionFields({
      name: kept(change.name, row.name),
      url: kept(change.url, row.url),
      username: kept(change.username, row.username),
      default_tenant: kept(change.default_tenant, row.defaultTenant),
      ca_bundle: kept(change.ca_bundle, row.caBundle),
      timeout_seconds: kept(change.timeout_seconds, row.timeoutSeconds),
      max_in_flight: kept(change.max_in_flight, row.maxInFlight),
    }, this.outbound);
    if (fields.name !== row.name) {
      if (await this.connections.findByName(tenantId, fields.name)) throw DomainException.conflict(`ESC connection '${fields.name}' already exists`);
      await this.users.refuseWhileInUse(tenantId, row.name, 'rename');
    }
    if (fields.url !== row.url) {
      // the resources of live instances are on the ESC it names now: another ESC would not know them
      await this.users.refuseWhileInUse(tenantId, row.name, 'point elsewhere');
      // the stored password is for the ESC it named: it is not sent to another host unless given again
      if (password === undefined && row.passwordSealed !== null) {
        throw DomainException.invalid('password: give it again (or null for none) when the url changes: the stored one is only sent to the ESC it was given for', { field: 'password' });
      }
    }
    const passwordSealed = password === undefined ? row.passwordSealed : password ? this.box.seal(password) : null;
    const updated = await this.connections.update(tenantId, row.id, { ...fields, passwordSealed });
    this.resolved.forget(tenantId, row.name);
    this.resolved.forget(tenantId, updated.name);
    return toConnectionView(updated);
  }
}

import { XmlElement } from '../common/xml-tree';

/** The ESC resources besides deployments ("01-Tenants" ... "05-Flavors", "10-Volumes"). */
export type ResourceKind = 'tenant' | 'network' | 'subnet' | 'image' | 'flavor' | 'volume';

/** What a POST/PUT body asks for. */
export interface ResourceSpec {
  name: string;
  /**
   * The body's elements as sent (local names, namespace declarations dropped), minus the ids and
   * event_type the simulator fills in itself; echoed in callbacks and GET answers.
   */
  fields: XmlElement;
  /** subnet only: its internal_network_id (or network) element. */
  networkRef?: string;
}

/** The internal and external id of a resource another one refers to (its tenant, its network). */
export interface ResourceIds {
  internalId: string;
  externalId: string;
}

export interface SimResource {
  kind: ResourceKind;
  internalId: string;
  externalId: string;
  /** network, subnet, volume: the tenant it was created in; image: the admin tenant ESC reports. */
  tenant?: ResourceIds;
  /** subnet: the network it belongs to. */
  network?: ResourceIds;
  spec: ResourceSpec;
  /** CREATING until the create callback is sent: GET and lists show ACTIVE resources only. */
  state: 'CREATING' | 'ACTIVE';
  /** DELETE accepted and not finished yet. */
  deleteRequested: boolean;
}

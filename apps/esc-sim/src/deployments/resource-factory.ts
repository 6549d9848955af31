import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { ResourceStore } from '../resources/resource-store';
import { SimTenant, SimVm, SimVmInterface, VmGroupSpec } from './deployment.model';

const HOSTS = [
  { uuid: 'host-14882', name: '10.85.103.13' },
  { uuid: 'host-14883', name: '10.85.103.14' },
  { uuid: 'host-14884', name: '10.85.103.15' },
];

/** Makes up what a VIM would: tenant ids, VM uuids and names, MAC and IP addresses. */
@Injectable()
export class ResourceFactory {
  private readonly takenIps = new Set<string>();
  private readonly takenMacs = new Set<string>();
  private nextIp = 0;
  private nextHost = 0;

  constructor(private readonly resources: ResourceStore) {}

  /** The tenant a datamodel names; see ResourceStore.tenantNamed (it becomes a tenant resource). */
  tenant(name: string): SimTenant {
    const { internalId, externalId } = this.resources.tenantNamed(name);
    return { name, internalId, externalId };
  }

  /** The VM at position `index` of a group; ESC names it <deployment>_<group>_<index>_<uuid>. */
  vm(deploymentName: string, group: VmGroupSpec, index: number): SimVm {
    const host = HOSTS[this.nextHost++ % HOSTS.length];
    return {
      uuid: randomUUID(),
      name: `${deploymentName}_${group.name}_${index}_${randomUUID()}`,
      groupName: group.name,
      index,
      hostUuid: host.uuid,
      hostName: host.name,
      interfaces: this.interfaces(group, index),
      state: 'VM_INSERT_STATE',
    };
  }

  /** Interfaces for a group's VM, keeping the MAC (and IP, unless a new one is asked for) of a NIC it already has. */
  interfaces(group: VmGroupSpec, index: number, current: SimVmInterface[] = []): SimVmInterface[] {
    return group.interfaces.map((spec) => {
      const existing = current.find((nic) => nic.nicId === spec.nicId && nic.network === spec.network);
      const ipAddress = requestedIp(group, spec.network, spec.ipAddress, index) ?? existing?.ipAddress ?? this.allocateIp();
      this.takenIps.add(ipAddress);
      return {
        nicId: spec.nicId,
        network: spec.network,
        ipAddress,
        macAddress: existing?.macAddress ?? this.allocateMac(),
      };
    });
  }

  reset(): void {
    this.takenIps.clear();
    this.takenMacs.clear();
    this.nextIp = 0;
    this.nextHost = 0;
  }

  /** 10.0.0.1, 10.0.0.2 ... skipping any address a datamodel asked for explicitly. */
  private allocateIp(): string {
    let ip: string;
    do {
      const n = this.nextIp++;
      ip = `10.${Math.floor(n / (254 * 256)) % 256}.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
    } while (this.takenIps.has(ip));
    return ip;
  }

  /** OpenStack-style fa:16:3e:xx:xx:xx. */
  private allocateMac(): string {
    let mac: string;
    do {
      mac = ['fa', '16', '3e', ...[...randomBytes(3)].map((byte) => byte.toString(16).padStart(2, '0'))].join(':');
    } while (this.takenMacs.has(mac));
    this.takenMacs.add(mac);
    return mac;
  }
}

/**
 * The first VM of a group gets the interface's ip_address; further VMs take the remaining
 * addresses of the group's static_ip_address_pool for that network, if any.
 */
function requestedIp(group: VmGroupSpec, network: string, ipAddress: string | undefined, index: number): string | undefined {
  const candidates = [...new Set([ipAddress, ...(group.staticIpPool[network] ?? [])].filter((ip): ip is string => !!ip))];
  return candidates[index];
}

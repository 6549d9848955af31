import { BlockList, isIP, LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';

/**
 * Where calls that the catalog controls may go (stored ESC connections' URLs, resthook URLs):
 * never to a link-local or cloud metadata address, and, when OUTBOUND_ALLOW lists hosts, only to
 * them. An entry is a host name (`esc.example.com`), every name under a domain (`*.example.com`),
 * an address (`10.1.2.3`, `fd00::1`) or a network (`10.0.0.0/8`, `fd00::/8`). Names are checked
 * as written and the addresses they resolve to when connecting (so that a name cannot be pointed
 * at a forbidden address later).
 */
export class OutboundPolicy {
  private readonly names = new Set<string>();
  private readonly domains: string[] = [];
  private readonly nets = new BlockList();
  private readonly listed: boolean;

  constructor(allow: readonly string[] | undefined) {
    this.listed = allow !== undefined && allow.length > 0;
    for (const entry of allow ?? []) {
      const e = entry.trim().toLowerCase();
      if (e.startsWith('*.')) this.domains.push(e.slice(1));
      else if (e.includes('/')) {
        const [net, bits] = e.split('/');
        this.nets.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
      } else if (isIP(e)) this.nets.addAddress(e, isIP(e) === 6 ? 'ipv6' : 'ipv4');
      else this.names.add(e);
    }
  }

  /** Why a call to this URL may not go, judged by its host as written; undefined when it may (or may, once resolved). */
  urlRule(url: URL): string | undefined {
    const host = hostOf(url);
    if (FORBIDDEN_NAMES.has(host)) return `host '${host}' is a cloud metadata service, which is never called`;
    if (isIP(host)) return this.addressRule(host, host);
    if (!this.listed || this.nameListed(host) || this.nets.rules.length > 0) return undefined;
    return `host '${host}' is not in OUTBOUND_ALLOW`;
  }

  /** Why a connection to `address` (which `host` resolved to) may not be made; undefined when it may. */
  addressRule(host: string, address: string): string | undefined {
    const plain = unmapped(address);
    const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    if (FORBIDDEN.check(plain, family)) return `host '${host}' is (or resolves to) ${plain}, a link-local or cloud metadata address, which is never called`;
    if (!this.listed || this.nameListed(host) || this.nets.check(plain, family)) return undefined;
    return `host '${host}' (${plain}) is not in OUTBOUND_ALLOW`;
  }

  /**
   * dns.lookup as undici's `connect.lookup` takes it, keeping only the addresses this policy
   * allows: a connection is never opened to another.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const allowed = addresses.filter((a) => !this.addressRule(hostname, a.address));
      if (!allowed.length) {
        const why = addresses.length ? this.addressRule(hostname, addresses[0].address)! : `host '${hostname}' has no address`;
        return callback(Object.assign(new Error(`outbound call refused: ${why}`), { code: 'EOUTBOUND' }), '');
      }
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };

  private nameListed(host: string): boolean {
    return this.names.has(host) || this.domains.some((d) => host.endsWith(d));
  }
}

const FORBIDDEN_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** Link-local (which cloud metadata services live in: 169.254.169.254, fd00:ec2::254) and other metadata addresses. */
const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6');
FORBIDDEN.addAddress('100.100.100.200', 'ipv4');
FORBIDDEN.addSubnet('0.0.0.0', 8, 'ipv4');

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
}

/** An IPv4-mapped IPv6 address (::ffff:169.254.169.254) as the IPv4 address it is. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

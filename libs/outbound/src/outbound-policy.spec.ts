import { outboundEntryProblem } from '@cam-esc/config';
import { OutboundPolicy } from './outbound-policy';

const lookupOf = (policy: OutboundPolicy, host: string) =>
  new Promise<{ err: (Error & { code?: string }) | null; address: unknown }>((resolve) => policy.lookup(host, { all: true }, (err, address) => resolve({ err, address })));

describe('OutboundPolicy', () => {
  it('never calls a link-local or metadata address, whatever OUTBOUND_ALLOW says', () => {
    for (const policy of [new OutboundPolicy(undefined), new OutboundPolicy(['169.254.0.0/16', '*.internal', 'metadata.google.internal'])]) {
      expect(policy.urlRule(new URL('http://169.254.169.254/latest/meta-data'))).toMatch(/link-local or cloud metadata address/);
      expect(policy.urlRule(new URL('http://[fe80::1]/x'))).toMatch(/link-local/);
      expect(policy.urlRule(new URL('http://[::ffff:169.254.169.254]/x'))).toMatch(/link-local/);
      expect(policy.urlRule(new URL('http://[fd00:ec2::254]/x'))).toMatch(/metadata/);
      expect(policy.urlRule(new URL('http://metadata.google.internal/computeMetadata/v1/'))).toMatch(/cloud metadata service/);
    }
  });

  it('unset, lets every other host through', () => {
    const policy = new OutboundPolicy(undefined);
    for (const url of ['http://127.0.0.1:8080/ESCManager', 'https://esc.example.com/ESCManager', 'http://[::1]:80/']) expect(policy.urlRule(new URL(url))).toBeUndefined();
  });

  it('set, lets through only the names, domains, addresses and networks it lists', () => {
    const policy = new OutboundPolicy(['esc.example.com', '*.hooks.example.net', '10.0.0.0/8', '127.0.0.1']);
    expect(policy.urlRule(new URL('https://ESC.example.com/ESCManager'))).toBeUndefined();
    expect(policy.urlRule(new URL('https://a.hooks.example.net/x'))).toBeUndefined();
    expect(policy.urlRule(new URL('http://10.20.30.40:8080/ESCManager'))).toBeUndefined();
    expect(policy.urlRule(new URL('http://127.0.0.1:9/'))).toBeUndefined();
    expect(policy.urlRule(new URL('http://192.168.1.1/'))).toBe("host '192.168.1.1' (192.168.1.1) is not in OUTBOUND_ALLOW");
    // a name outside the list may still resolve into a listed network: its addresses decide when it connects
    expect(policy.urlRule(new URL('http://other.example.org/'))).toBeUndefined();
    expect(policy.addressRule('other.example.org', '192.168.1.1')).toBe("host 'other.example.org' (192.168.1.1) is not in OUTBOUND_ALLOW");
    expect(policy.addressRule('other.example.org', '10.1.1.1')).toBeUndefined();
    // names only: a name outside the list is refused as written
    expect(new OutboundPolicy(['esc.example.com']).urlRule(new URL('http://other.example.org/'))).toBe("host 'other.example.org' is not in OUTBOUND_ALLOW");
  });

  it('connects only to the addresses a name resolves to that it allows', async () => {
    const open = await lookupOf(new OutboundPolicy(undefined), 'localhost');
    expect(open.err).toBeNull();
    expect((open.address as Array<{ address: string }>).length).toBeGreaterThan(0);
    const closed = await lookupOf(new OutboundPolicy(['10.0.0.0/8']), 'localhost');
    expect(closed.err?.code).toBe('EOUTBOUND');
    expect(closed.err?.message).toMatch(/^outbound call refused: host 'localhost' \((127\.0\.0\.1|::1)\) is not in OUTBOUND_ALLOW/);
  });

  it.each([
    ['esc.example.com', undefined],
    ['*.example.com', undefined],
    ['10.0.0.0/8', undefined],
    ['fd00::/8', undefined],
    ['10.0.0.0/33', /is not a host name/],
    ['http://esc.example.com', /is not a host name/],
    ['*', /is not a host name/],
  ])('takes %s as an OUTBOUND_ALLOW entry: %s', (entry, problem) => {
    if (problem) expect(outboundEntryProblem(entry)).toMatch(problem);
    else expect(outboundEntryProblem(entry)).toBeUndefined();
  });
});

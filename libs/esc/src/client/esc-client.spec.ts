import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { AppConfig } from '@cam-esc/config';
import { EscAgents } from './esc-agents';
import { EscClient, EscUnreachableError } from './esc-client';
import { countTenants, probeEsc } from './esc-probe';
import { EscTarget } from './esc-target';
import { TEST_CERTIFICATE, TEST_PRIVATE_KEY } from './test-certificate';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const target = (over: Partial<EscTarget> = {}): EscTarget => ({ name: 'east', id: 'id-east', url: 'http://x/ESCManager', timeoutMs: 5000, maxInFlight: 4, version: 1, ...over });

describe('EscClient', () => {
  let server: Server;
  let url: string;
  let handler: Handler;
  let client: EscClient;

  beforeEach(async () => {
    server = createHttpServer((req, res) => handler(req, res));
    url = `http://${await listen(server)}/ESCManager`;
    client = new EscClient(AppConfig.fromEnv({ ESC_URL: url, ESC_USERNAME: 'env-user', ESC_PASSWORD: 'env-pw' }));
  });
  afterEach(async () => {
    await client.onModuleDestroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('uses the environment connection when given no target, and the target with its own credentials otherwise', async () => {
    const seen: string[] = [];
    handler = (req, res) => {
      seen.push(`${req.url} ${Buffer.from((req.headers.authorization ?? '').replace('Basic ', ''), 'base64').toString()}`);
      res.end('<ok/>');
    };
    await client.call({ method: 'GET', path: '/v0/deployments' });
    await client.call({ method: 'GET', path: '/v0/tenants' }, target({ url, username: 'east-user', password: 'east-pw' }));
    await client.call({ method: 'GET', path: '/v0/tenants' }, target({ url, id: 'id-open', username: undefined, password: undefined }));
    expect(seen).toEqual(['/ESCManager/v0/deployments env-user:env-pw', '/ESCManager/v0/tenants east-user:east-pw', '/ESCManager/v0/tenants ']);
  });

  it('runs at most maxInFlight requests at once on a connection; the others wait their turn', async () => {
    let inFlight = 0;
    let most = 0;
    const held: ServerResponse[] = [];
    handler = (_req, res) => {
      most = Math.max(most, ++inFlight);
      held.push(res);
    };
    const calls = Promise.all(Array.from({ length: 7 }, () => client.call({ method: 'GET', path: '/v0/tenants' }, target({ url, maxInFlight: 3 }))));
    while (held.length < 3) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    expect(held).toHaveLength(3);
    let settled = false;
    void calls.finally(() => (settled = true));
    while (!settled) {
      const res = held.shift();
      if (res) {
        inFlight -= 1;
        res.end('<ok/>');
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await calls).map((a) => a.status)).toEqual(Array(7).fill(200));
    expect(most).toBe(3);
  });

  it('splits a connection\'s max_in_flight between the processes that share it: 3 workers on max 7 run 2 at once each', async () => {
    let inFlight = 0;
    let most = 0;
    const held: ServerResponse[] = [];
    handler = (_req, res) => {
      most = Math.max(most, ++inFlight);
      held.push(res);
    };
    client.shareInFlightAmong(3);
    const calls = Promise.all(Array.from({ length: 5 }, () => client.call({ method: 'GET', path: '/v0/tenants' }, target({ url, maxInFlight: 7 }))));
    while (held.length < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    expect(held).toHaveLength(2);
    // one worker left: this one may now use all of it (a new pool; the old one's requests finish)
    client.shareInFlightAmong(1);
    const more = Promise.all(Array.from({ length: 5 }, () => client.call({ method: 'GET', path: '/v0/tenants' }, target({ url, maxInFlight: 7 }))));
    while (held.length < 7) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    expect(held).toHaveLength(7);
    // answered as they come: the old pool's 3 waiting requests go out as its 2 end
    let settled = false;
    const all = Promise.all([calls, more]).finally(() => (settled = true));
    while (!settled) {
      for (const res of held.splice(0)) {
        inFlight -= 1;
        res.end('<ok/>');
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await all).flat().map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(most).toBe(7);
  });

  it('keeps at least one request in flight per process, however many share a connection', () => {
    const agents = new EscAgents();
    agents.shareAmong(5);
    expect(agents.shareOf(target({ maxInFlight: 3 }))).toBe(1);
    expect(agents.shareOf(target({ maxInFlight: 16 }))).toBe(3);
    agents.shareAmong(0);
    expect(agents.shareOf(target({ maxInFlight: 16 }))).toBe(16);
  });

  it('keeps the URL out of the message when ESC cannot be reached', async () => {
    const closed = `http://127.0.0.1:1/ESCManager`;
    const error = await client.call({ method: 'GET', path: '/v0/tenants' }, target({ url: closed })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(EscUnreachableError);
    expect((error as Error).message).toMatch(/^ESC did not answer GET \/v0\/tenants: /);
    expect((error as Error).message).not.toContain(closed);
  });

  it('gives up after timeoutMs', async () => {
    handler = () => undefined; // never answers
    const error = await client.call({ method: 'GET', path: '/v0/slow' }, target({ url, timeoutMs: 200 })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(EscUnreachableError);
  });

  it('reports a probe: reachable, authenticated and how many tenants', async () => {
    handler = (req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('u:right').toString('base64')}`) {
        res.statusCode = 401;
        res.end('Unauthorized');
        return;
      }
      res.setHeader('Content-Type', 'application/xml');
      res.end('<?xml version="1.0"?><tenants xmlns="urn:esc"><tenant><name>a</name></tenant><tenant><name>b</name></tenant></tenants>');
    };
    expect(await probeEsc(client, target({ url, username: 'u', password: 'right' }))).toMatchObject({ reachable: true, httpStatus: 200, authenticated: true, tenants: 2 });
    expect(await probeEsc(client, target({ url, username: 'u', password: 'wrong', version: 2 }))).toMatchObject({ reachable: true, httpStatus: 401, authenticated: false, tenants: null });
    expect(await probeEsc(client, target({ url: 'http://127.0.0.1:1/ESCManager', version: 3 }))).toMatchObject({ reachable: false, httpStatus: null, authenticated: false });
  });

  it('trusts the caBundle of an https connection, and only it', async () => {
    const tls = createHttpsServer({ cert: TEST_CERTIFICATE, key: TEST_PRIVATE_KEY }, (_req, res) => res.end('[]'));
    const httpsUrl = `https://${await listen(tls)}/ESCManager`;
    try {
      expect(await probeEsc(client, target({ url: httpsUrl, caBundle: TEST_CERTIFICATE }))).toMatchObject({ reachable: true, tenants: 0 });
      const untrusted = await probeEsc(client, target({ url: httpsUrl, id: 'no-ca' }));
      expect(untrusted).toMatchObject({ reachable: false });
      expect(untrusted.message).toMatch(/certificate/);
    } finally {
      tls.closeAllConnections();
      await new Promise((r) => tls.close(r));
    }
  });
});

describe('EscAgents', () => {
  it('keeps one agent per connection version, and a new one when the connection changes', async () => {
    const agents = new EscAgents();
    const first = agents.for(target());
    expect(agents.for(target())).toBe(first);
    const tenantB = agents.for(target({ id: 'id-east-of-another-tenant' }));
    expect(tenantB).not.toBe(first);
    const changed = agents.for(target({ version: 2 }));
    expect(changed).not.toBe(first);
    expect(first.closed).toBe(true);
    expect(agents.for(target({ version: 2 }))).toBe(changed);
    await agents.closeAll();
  });
});

describe('countTenants', () => {
  it.each([
    ['<tenants/>', 0],
    ['<esc:tenants xmlns:esc="urn:x"><esc:tenant/><esc:tenant/></esc:tenants>', 2],
    ['[{"name":"a"}]', 1],
    ['<deployments/>', null],
    ['not xml <', null],
    ['', null],
  ])('%p → %p', (body, count) => {
    expect(countTenants(body)).toBe(count);
  });
});

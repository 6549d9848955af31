import { randomBytes } from 'node:crypto';
import { AppConfig } from '@cam-esc/config';
import { DomainErrorCode } from '@cam-esc/errors';
import { EscConnection, EscConnectionRepository } from '@cam-esc/persistence';
import { SecretBox } from '@cam-esc/secrets';
import { EscConnections } from './esc-connections';

describe('EscConnections', () => {
  const box = new SecretBox(randomBytes(32));
  const config = AppConfig.fromEnv({ ESC_URL: 'http://esc-env:8080/ESCManager', ESC_USERNAME: 'env', ESC_PASSWORD: 'env-pw' });
  let rows: EscConnection[];
  let reads: number;
  const repository = {
    findByName: async (tenantId: string, name: string) => {
      reads += 1;
      return rows.find((r) => r.tenantId === tenantId && r.name === name) ?? null;
    },
  } as unknown as EscConnectionRepository;
  const row = (over: Partial<EscConnection> = {}): EscConnection => ({
    id: '7b0e4c1e-0000-4000-8000-000000000001',
    tenantId: 'acme',
    name: 'east',
    url: 'https://esc-east:8443/ESCManager',
    username: 'admin',
    passwordSealed: box.seal('east-pw'),
    defaultTenant: null,
    caBundle: null,
    timeoutSeconds: 20,
    maxInFlight: 4,
    createdAt: new Date(1_000),
    updatedAt: new Date(2_000),
    ...over,
  });
  beforeEach(() => {
    rows = [row()];
    reads = 0;
  });

  it('resolves no name and `default` to the environment connection', async () => {
    const connections = new EscConnections(config, repository, box);
    for (const name of [undefined, 'default']) {
      expect(await connections.resolve('acme', name)).toEqual({ name: 'default', id: 'default', url: 'http://esc-env:8080/ESCManager', username: 'env', password: 'env-pw', timeoutMs: 30_000, maxInFlight: 16, version: 0 });
    }
    expect(reads).toBe(0);
  });

  it("resolves a stored connection of the tenant, with its password opened", async () => {
    expect(await new EscConnections(config, repository, box).resolve('acme', 'east')).toEqual({
      name: 'east',
      id: rows[0].id,
      url: 'https://esc-east:8443/ESCManager',
      username: 'admin',
      password: 'east-pw',
      caBundle: undefined,
      timeoutMs: 20_000,
      maxInFlight: 4,
      version: 2_000,
    });
  });

  it("refuses an unknown name (and another tenant's) with NOT_FOUND naming it", async () => {
    const connections = new EscConnections(config, repository, box);
    for (const tenant of ['acme', 'globex']) {
      const error = await connections.resolve(tenant, tenant === 'acme' ? 'west' : 'east').catch((e) => e);
      expect(error).toMatchObject({ code: DomainErrorCode.NOT_FOUND, message: `ESC connection '${tenant === 'acme' ? 'west' : 'east'}' was not found` });
    }
    expect(await connections.exists('acme', 'east')).toBe(true);
    expect(await connections.exists('globex', 'east')).toBe(false);
    expect(await connections.exists('globex', 'default')).toBe(true);
  });

  it('keeps a resolved target for a few seconds, then reuses it while the connection is unchanged', async () => {
    jest.useFakeTimers({ now: 10_000 });
    try {
      const open = jest.spyOn(box, 'open');
      const connections = new EscConnections(config, repository, box);
      const first = await connections.resolve('acme', 'east');
      expect(await connections.resolve('acme', 'east')).toBe(first);
      expect([reads, open.mock.calls.length]).toEqual([1, 1]);

      jest.advanceTimersByTime(6_000);
      expect(await connections.resolve('acme', 'east')).toBe(first);
      expect([reads, open.mock.calls.length]).toEqual([2, 1]);

      rows = [row({ passwordSealed: box.seal('new-pw'), updatedAt: new Date(3_000) })];
      connections.forget('acme', 'east');
      expect(await connections.resolve('acme', 'east')).toMatchObject({ password: 'new-pw', version: 3_000 });
    } finally {
      jest.useRealTimers();
    }
  });

  it('says which connection has a password it cannot open', async () => {
    rows = [row({ passwordSealed: new SecretBox(randomBytes(32)).seal('x') })];
    await expect(new EscConnections(config, repository, box).resolve('acme', 'east')).rejects.toMatchObject({
      code: DomainErrorCode.CONFLICT,
      message: expect.stringContaining("the stored password of ESC connection 'east' cannot be opened (the secret was sealed under another SECRETS_KEY"),
    });
  });
});

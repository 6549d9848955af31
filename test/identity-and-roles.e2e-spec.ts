/**
 * Identity and roles: bearer JWTs of an identity provider this test plays (OIDC discovery and a
 * JWKS it serves itself), checked for signature, issuer, audience and expiry; claims giving the
 * tenant and the roles; each endpoint's role enforced with a 403 that names it; API tokens with
 * roles beside.
 */
import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A } from './support/stack';

const AUDIENCE = 'cam-esc-gateway';

interface Idp {
  issuer: string;
  sign(claims: Record<string, unknown>, options?: { key?: KeyLike; kid?: string; expiresIn?: string; issuer?: string; audience?: string; alg?: string }): Promise<string>;
  /** Adds a key to the JWKS (a key rotation at the provider); returns its kid. */
  rotate(): Promise<{ key: KeyLike; kid: string }>;
  jwksReads: number;
  close(): Promise<void>;
}

async function startIdp(): Promise<Idp> {
  const keys: Array<{ key: KeyLike; jwk: JWK }> = [];
  const add = async (kid: string) => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    keys.push({ key: privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } });
    return { key: privateKey, kid };
  };
  await add('key-1');
  let issuer = '';
  const state = { jwksReads: 0 };
  const server: Server = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    if (req.url === '/jwks') {
      state.jwksReads += 1;
      return res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    get jwksReads() {
      return state.jwksReads;
    },
    async sign(claims, o = {}) {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid ?? 'key-1' }).setIssuedAt().setIssuer(o.issuer ?? issuer).setAudience(o.audience ?? AUDIENCE).setExpirationTime(o.expiresIn ?? '5m');
      return jwt.sign(o.key ?? keys[0].key);
    },
    rotate: () => add(`key-${keys.length + 1}`),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('identity and roles', () => {
  let idp: Idp;
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;
  const bearer = (token: string) => `Bearer ${token}`;
  const as = async (roles: string[] | string, extra: Record<string, unknown> = {}) => bearer(await idp.sign({ sub: `user-${String(roles)}`, tenant: TENANT_A.tenant, groups: roles, ...extra }));

  beforeAll(async () => {
    idp = await startIdp();
    stack = await startStack({
      env: {
        OIDC_ISSUER: idp.issuer,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_JWKS_COOLDOWN_SECONDS: '1',
        OIDC_ROLE_MAP: 'cam-viewers=viewer,cam-ops=operator,cam-catalog=catalog-admin,cam-admins=admin',
        API_TOKENS: `${TENANT_A.tenant}:${TENANT_A.token},tenant-a:reader-token:viewer,tenant-a:ops-token:operator`,
      },
    });
    http = request(stack.gatewayUrl);
    const catalog = await as('cam-catalog');
    await http.post('/cam/api/v1/templates').set('Authorization', catalog).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', catalog).send(escService('ASA with roles')).expect(200)).body.serviceManifestId;
  });
  afterAll(async () => {
    await stack?.close();
    await idp?.close();
  });

  it('takes a JWT of the provider: its tenant claim decides the tenant, its roles what it may do', async () => {
    const viewer = await as(['cam-viewers']);
    const list = await http.get('/cam/composer/api/v1/Service').set('Authorization', viewer).expect(200);
    expect(list.body.map((s: { name: string }) => s.name)).toContain('ASA with roles');
    const refused = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', viewer).send(deployBody('by-viewer', { image: 'ASAv-9.18' })).expect(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: "this call needs the role 'operator' (the caller has: viewer)" });
    const operator = await as(['cam-ops']);
    const deployed = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', operator).send(deployBody('by-operator', { image: 'ASAv-9.18' })).expect(200);
    expect(deployed.body.tenantId ?? TENANT_A.tenant).toBe(TENANT_A.tenant);
    // an operator does not change the catalog, nor the ESC connections
    expect((await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', operator).send(escService('by operator')).expect(403)).body.error.message).toMatch(/needs the role 'catalog-admin'/);
    expect((await http.post('/cam/api/v1/connections').set('Authorization', operator).send({ name: 'x', url: 'http://esc.example/ESCManager', username: 'u' }).expect(403)).body.error.message).toMatch(/needs the role 'admin'/);
    // an admin may
    expect((await http.post('/cam/api/v1/connections').set('Authorization', await as(['cam-admins'])).send({ name: 'x', url: 'http://esc.example/ESCManager', username: 'u' })).status).toBe(201);
    // with a role map, a provider's name that is not in it grants nothing, even one spelled like a role
    expect((await http.get('/cam/composer/api/v1/Service').set('Authorization', await as('admin'))).status).toBe(403);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['an expired token', () => idp.sign({ sub: 'u', tenant: 'tenant-a', groups: ['cam-viewers'] }, { expiresIn: '-5m' }), /it has expired/],
    ['a token for another audience', () => idp.sign({ sub: 'u', tenant: 'tenant-a', groups: ['cam-viewers'] }, { audience: 'someone-else' }), /its 'aud' claim is not accepted/],
    ['a token of another issuer', () => idp.sign({ sub: 'u', tenant: 'tenant-a', groups: ['cam-viewers'] }, { issuer: 'https://evil.example' }), /its 'iss' claim is not accepted/],
    ['a token signed by a key the provider does not hold', async () => idp.sign({ sub: 'u', tenant: 'tenant-a' }, { key: (await generateKeyPair('RS256')).privateKey }), /its signature does not verify/],
    ['a token with alg none', async () => unsigned({ sub: 'u', tenant: 'tenant-a', groups: ['cam-admins'], iss: idp.issuer, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 }), /signature algorithm is not accepted|not a valid signed JWT/],
    ['a token that names no tenant', () => idp.sign({ sub: 'u', groups: ['cam-viewers'] }), /names no tenant \(claim 'tenant'\)/],
  ])('refuses %s with a 401 saying why', async (_what, token, message) => {
    const res = await http.get('/cam/composer/api/v1/Service').set('Authorization', bearer(await token())).expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(res.body.error.message).toMatch(message);
  });

  it('a token with no role it knows may do nothing, not even read', async () => {
    const res = await http.get('/cam/composer/api/v1/Service').set('Authorization', await as(['marketing'])).expect(403);
    expect(res.body.error.message).toBe("this call needs the role 'viewer' (the caller has: no role)");
  });

  it('reads the provider keys again when a token names a kid it has not seen (a key rotation)', async () => {
    const before = idp.jwksReads;
    const { key, kid } = await idp.rotate();
    // the provider's keys are read at most once a cooldown (here 1 s)
    await new Promise((r) => setTimeout(r, 1100));
    const token = await idp.sign({ sub: 'rotated', tenant: 'tenant-a', groups: ['cam-viewers'] }, { key, kid });
    expect((await http.get('/cam/composer/api/v1/Service').set('Authorization', bearer(token))).status).toBe(200);
    expect(idp.jwksReads).toBeGreaterThan(before);
  });

  it('keeps API tokens beside, each with its role (admin when API_TOKENS names none)', async () => {
    expect((await http.get('/cam/composer/api/v1/Service').set('Authorization', bearer('reader-token'))).status).toBe(200);
    const refused = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', bearer('reader-token')).send(deployBody('by-reader', { image: 'ASAv-9.18' })).expect(403);
    expect(refused.body.error.message).toBe("this call needs the role 'operator' (the caller has: viewer)");
    expect((await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', bearer('ops-token')).send(deployBody('by-ops-token', { image: 'ASAv-9.18' }))).status).toBe(200);
    expect((await http.post('/cam/api/v1/connections').set('Authorization', bearer(TENANT_A.token)).send({ name: 'y', url: 'http://esc.example/ESCManager', username: 'u' })).status).toBe(201);
  });

  it('documents the role each operation needs', async () => {
    const doc = (await http.get('/docs-json')).body as { paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown> }>> };
    const deploy = doc.paths['/cam/composer/api/v1/ServiceManifest/{id}/deploy'].post;
    expect(deploy.description).toMatch(/Role: `operator`/);
    expect(deploy.responses['403']).toBeDefined();
    expect(doc.paths['/cam/api/v1/connections'].post.description).toMatch(/Role: `admin`/);
    expect(doc.paths['/cam/composer/api/v1/Service'].get.description).toMatch(/Role: `viewer`/);
  });
});

/** A JWT with alg none: header and claims, no signature. */
function unsigned(claims: Record<string, unknown>): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

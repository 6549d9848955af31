/**
 * The console's login at the identity provider's own page: the authorization code flow with PKCE
 * in the browser (oauth4webapi), against a real OpenID Provider (panva's oidc-provider, its own
 * process; PKCE required, the console a public client) and the real gateway, which checks the JWT
 * the console then sends. The way back is checked (state, issuer, nonce), the bearer is renewed
 * with the refresh token before it expires, and logging out forgets it and ends the provider's session.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { consoleBrowser, expectAccessible, screenshot } from './support/console-browser';
import { freePort } from './support/gateway-process';
import { Stack, startStack, waitFor } from './support/stack';

const CLIENT_ID = 'cam-console';
// a resource indicator (RFC 8707) is an absolute URI
const AUDIENCE = 'urn:cam-esc-gateway';
// short-lived bearers: the console renews them at four fifths of their life
const ACCESS_TOKEN_TTL = 8;

describe('console login at the identity provider (OIDC code flow with PKCE)', () => {
  let stack: Stack;
  let idp: ChildProcess;
  let idpOutput = '';
  let issuer: string;
  let browser: Browser;
  let page: Page;

  const bearer = () => page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('cam-esc-console-token'));
  const providerButton = () => page.getByRole('button', { name: `Log in at ${new URL(issuer).host}` });
  const signIn = async (user: string) => {
    await page.locator('input[name="login"]').fill(user);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: /sign-?in/i }).click();
  };

  beforeAll(async () => {
    browser = await consoleBrowser();
    issuer = `http://127.0.0.1:${await freePort()}`;
    // (the gateway reads the discovery document as it starts, before this provider listens: a failed read is tried again after 1 s)
    stack = await startStack({ env: { OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE, CONSOLE_OIDC_CLIENT_ID: CLIENT_ID, OIDC_JWKS_COOLDOWN_SECONDS: '1' } });
    idp = spawn(process.execPath, [join(__dirname, 'support', 'oidc-idp.mjs')], {
      env: { ...process.env, PORT: new URL(issuer).port, REDIRECT_URI: `${stack.gatewayUrl}/console/`, CLIENT_ID, AUDIENCE, ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    idp.stdout!.on('data', (d) => (idpOutput += d));
    idp.stderr!.on('data', (d) => (idpOutput += d));
    await waitFor(async () => idpOutput, (out) => out.includes('ready'), 'the test identity provider to listen').catch(() => {
      throw new Error(`the test identity provider did not start:\n${idpOutput}`);
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    idp?.kill();
    await stack?.close();
  });

  it('offers the provider on the login page, with what it needs and nothing secret', async () => {
    // while the provider could not be read a moment ago, the page is told why, and offers the token login
    const first = (await request(stack.gatewayUrl).get('/cam/api/v1/session/login').expect(200)).body;
    if (first.oidc.error) expect(first.oidc.error).toBe("the identity provider's discovery document could not be read: log in with a token, or try again");
    const readOptions = async () => (await request(stack.gatewayUrl).get('/cam/api/v1/session/login').expect(200)).body;
    const options = await waitFor(readOptions, (o) => !o.oidc.error, 'the gateway to read the discovery document again', 5_000);
    expect(options).toEqual({
      token: true,
      oidc: { issuer, client_id: CLIENT_ID, scope: 'openid', token: 'access_token', authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, end_session_endpoint: `${issuer}/session/end` },
    });
    // documented as a call that takes no token
    const doc = (await request(stack.gatewayUrl).get('/docs-json').expect(200)).body;
    expect(doc.paths['/cam/api/v1/session/login'].get.security).toEqual([]);
    expect(doc.paths['/cam/api/v1/session'].get.security).toEqual([{ bearer: [] }]);
    // the console's page may post to the provider's token endpoint, and nowhere else but itself
    const csp = (await request(stack.gatewayUrl).get('/console/').expect(200)).headers['content-security-policy'];
    expect(csp).toContain(`connect-src 'self' ${issuer}`);
    // and only the console's pages
    expect((await request(stack.gatewayUrl).get('/cam/api/v1/session/login')).headers['content-security-policy']).not.toContain(issuer);
    await page.goto(`${stack.gatewayUrl}/console/`);
    await providerButton().waitFor();
    await screenshot(page, 'login-with-provider');
    await expectAccessible(page, 'login with a provider');
  }, 30_000);

  it("logs in at the provider's page and comes back as the tenant and role its token names", async () => {
    const asked = page.waitForRequest((r) => r.url().startsWith(`${issuer}/auth?`));
    await providerButton().click();
    // the authorization request: a code, for the console's client and address, with an S256 PKCE challenge, a state and a nonce
    const authorize = new URL((await asked).url()).searchParams;
    expect(Object.fromEntries(authorize)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${stack.gatewayUrl}/console/`,
      scope: 'openid',
      state: expect.stringMatching(/^[\w-]{20,}$/),
      nonce: expect.stringMatching(/^[\w-]{20,}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
    });
    await page.locator('input[name="login"]').waitFor();
    await screenshot(page, 'provider-login-page');
    await signIn('tenant-a/operator');
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('who').textContent()).resolves.toContain('tenant-a · operator');
    // the code and the state leave the address bar
    expect(new URL(page.url()).search).toBe('');
    const token = (await bearer())!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ iss: issuer, aud: AUDIENCE, sub: 'tenant-a/operator', tenant: 'tenant-a', roles: ['operator'] });
    // the gateway takes it as any API client's bearer
    const session = await request(stack.gatewayUrl).get('/cam/api/v1/session').set('Authorization', `Bearer ${token}`).expect(200);
    expect(session.body).toMatchObject({ tenantId: 'tenant-a', subject: 'tenant-a/operator', via: 'jwt', roles: ['operator'] });
    await screenshot(page, 'overview-after-provider-login');
  }, 60_000);

  it('renews the bearer with the refresh token before it expires, and stays logged in', async () => {
    const first = await bearer();
    await waitFor(bearer, (now) => now !== first, 'the console to renew its bearer', 20_000);
    await page.getByRole('link', { name: 'Instances' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    await page.getByRole('cell', { name: 'No instances.' }).waitFor();
    const renewed = (await bearer())!;
    await request(stack.gatewayUrl).get('/cam/api/v1/session').set('Authorization', `Bearer ${renewed}`).expect(200);
  }, 40_000);

  it("logs out: the tab forgets its tokens and the provider's session ends (RP-initiated logout)", async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    // the provider asks to confirm, then sends the browser back to the console's login
    await page.waitForURL(new RegExp(`^${issuer}/session/end`));
    await page.getByRole('button', { name: /yes, sign me out/i }).click();
    await providerButton().waitFor();
    await expect(bearer()).resolves.toBeNull();
    await expect(page.evaluate(() => Object.keys((globalThis as unknown as { sessionStorage: Record<string, string> }).sessionStorage))).resolves.toEqual([]);
    // the provider no longer knows the user: its login page asks again
    await providerButton().click();
    await page.locator('input[name="login"]').waitFor();
    await page.goto(`${stack.gatewayUrl}/console/`);
  }, 30_000);

  it('refuses a way back that does not match the login this tab began (state)', async () => {
    // the provider still knows the user (its session) and would send a real code at once: it is kept from answering
    await page.route(`${issuer}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>provider</title>' }));
    await providerButton().click();
    await page.waitForURL(new RegExp(`^${issuer}/auth`));
    await page.unroute(`${issuer}/**`);
    // a forged return: a code and a state this tab did not get from the provider
    await page.goto(`${stack.gatewayUrl}/console/?code=forged&state=not-the-one&iss=${encodeURIComponent(issuer)}`);
    await page.getByRole('alert').filter({ hasText: "The identity provider's login did not complete" }).waitFor();
    await expect(bearer()).resolves.toBeNull();
    expect(new URL(page.url()).search).toBe('');
    await screenshot(page, 'provider-login-refused');
  }, 30_000);
});

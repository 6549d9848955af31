import * as oauth from 'oauth4webapi';
import { setToken } from './api';

/** How the console logs in at the identity provider, as GET /cam/api/v1/session/login answers. */
export interface ProviderLogin {
  issuer: string;
  client_id: string;
  scope: string;
  token: 'access_token' | 'id_token';
  authorization_endpoint?: string;
  token_endpoint?: string;
  end_session_endpoint?: string;
  error?: string;
}

export interface LoginOptions {
  token: boolean;
  oidc: ProviderLogin | null;
}

/** What a login at the provider keeps in this tab between the redirect there and the way back. */
interface Pending {
  provider: ProviderLogin;
  verifier: string;
  state: string;
  nonce: string;
}

const PENDING_KEY = 'cam-esc-console-oidc-pending';
const REFRESH_KEY = 'cam-esc-console-oidc-refresh';
const ENDS_KEY = 'cam-esc-console-oidc-session';

/** The console's own address at the provider: where it sends the user back (the client's redirect URI). */
export const redirectUri = () => `${location.origin}/console/`;

function server(p: ProviderLogin): oauth.AuthorizationServer {
  return { issuer: p.issuer, authorization_endpoint: p.authorization_endpoint, token_endpoint: p.token_endpoint, end_session_endpoint: p.end_session_endpoint };
}

const client = (p: ProviderLogin): oauth.Client => ({ client_id: p.client_id });

// the provider over plain http only when the console itself is (a test rig, a lab): never from an https page
const insecure = () => ({ [oauth.allowInsecureRequests]: location.protocol === 'http:' });

/** Sends the user to the provider's login page (authorization code flow with PKCE, S256). */
export async function beginProviderLogin(p: ProviderLogin): Promise<void> {
  const pending: Pending = { provider: p, verifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce() };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(p.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: p.client_id,
    redirect_uri: redirectUri(),
    scope: p.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Whether this page load is the provider sending the user back (a code or an error, and a login this tab began). */
export function isProviderReturn(): boolean {
  const q = new URLSearchParams(location.search);
  return (q.has('code') || q.has('error')) && sessionStorage.getItem(PENDING_KEY) !== null;
}

/**
 * Completes a login at the provider: checks the state (and the issuer the answer names), trades
 * the code and the PKCE verifier for the tokens, checks the ID token (issuer, audience, nonce,
 * expiry), and keeps the configured token as the console's bearer. The code leaves the address bar.
 */
export async function completeProviderLogin(): Promise<void> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as Pending | null;
  sessionStorage.removeItem(PENDING_KEY);
  const current = new URL(location.href);
  history.replaceState(null, '', '/console/');
  if (!pending) throw new Error('no login was begun in this tab: log in again');
  const p = pending.provider;
  const params = oauth.validateAuthResponse(server(p), client(p), current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(server(p), client(p), oauth.None(), params, redirectUri(), pending.verifier, insecure());
  const result = await oauth.processAuthorizationCodeResponse(server(p), client(p), response, { expectedNonce: pending.nonce, requireIdToken: true });
  keep(p, result);
}

/** The bearer from a token answer; its refresh token, when there is one, renews it before it expires. */
function keep(p: ProviderLogin, result: oauth.TokenEndpointResponse): void {
  const bearer = p.token === 'id_token' ? result.id_token : result.access_token;
  if (!bearer) throw new Error(`the identity provider's answer holds no ${p.token}`);
  setToken(bearer);
  if (result.refresh_token) sessionStorage.setItem(REFRESH_KEY, JSON.stringify({ provider: p, token: result.refresh_token }));
  // what a logout at the provider names the session by
  if (result.id_token) sessionStorage.setItem(ENDS_KEY, JSON.stringify({ provider: p, idToken: result.id_token }));
  // the life of the token sent: an ID token's is its exp, an access token's expires_in
  const exp = p.token === 'id_token' ? oauth.getValidatedIdTokenClaims(result)?.exp : undefined;
  scheduleRefresh(exp !== undefined ? exp - Date.now() / 1000 : result.expires_in);
}

let timer: ReturnType<typeof setTimeout> | undefined;

/**
 * Renews the bearer with the refresh token at four fifths of its life (a console left open
 * through a roll-out stays logged in); a renewal that fails (the provider away a moment) is
 * tried again every 10 s while the bearer lasts.
 */
function scheduleRefresh(lifeSeconds?: number): void {
  clearTimeout(timer);
  if (!lifeSeconds || lifeSeconds <= 0 || !sessionStorage.getItem(REFRESH_KEY)) return;
  const endsAt = Date.now() + lifeSeconds * 1000;
  const attempt = () =>
    refresh().catch(() => {
      if (Date.now() + 10_000 < endsAt) timer = setTimeout(attempt, 10_000);
    });
  timer = setTimeout(attempt, Math.max(5, lifeSeconds * 0.8) * 1000);
}

async function refresh(): Promise<void> {
  const kept = JSON.parse(sessionStorage.getItem(REFRESH_KEY) ?? 'null') as { provider: ProviderLogin; token: string } | null;
  if (!kept) return;
  const p = kept.provider;
  const response = await oauth.refreshTokenGrantRequest(server(p), client(p), oauth.None(), kept.token, insecure());
  keep(p, await oauth.processRefreshTokenResponse(server(p), client(p), response));
}

/** On a page load with a refresh token kept (a reload, a new page): a fresh bearer, and its renewal scheduled. A refusal leaves the bearer as it is. */
export async function resumeProviderSession(): Promise<void> {
  if (sessionStorage.getItem(REFRESH_KEY)) await refresh().catch(() => undefined);
}

/**
 * Forgets the provider's tokens of this tab and, on the user's logout (`endSession`) when the
 * provider has an end_session_endpoint, ends the session there too (RP-initiated logout: it comes back to the
 * console's login; the console's address must be a post-logout redirect URI of its client).
 * Returns whether the page is leaving for the provider.
 */
export function forgetProviderLogin(endSession: boolean): boolean {
  clearTimeout(timer);
  const ends = JSON.parse(sessionStorage.getItem(ENDS_KEY) ?? 'null') as { provider: ProviderLogin; idToken: string } | null;
  for (const key of [REFRESH_KEY, PENDING_KEY, ENDS_KEY]) sessionStorage.removeItem(key);
  if (!endSession || !ends?.provider.end_session_endpoint) return false;
  const url = new URL(ends.provider.end_session_endpoint);
  url.search = new URLSearchParams({ id_token_hint: ends.idToken, client_id: ends.provider.client_id, post_logout_redirect_uri: redirectUri() }).toString();
  location.assign(url.toString());
  return true;
}

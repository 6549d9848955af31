import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, setToken } from '../api';
import { beginProviderLogin, LoginOptions } from '../oidc';
import { Session } from '../session';

/**
 * The console's login: at the identity provider's own page when the gateway names the console's
 * client there (CONSOLE_OIDC_CLIENT_ID), or with an API token or a JWT pasted; kept for this
 * browser tab only.
 */
export function Login({ onLogin, error: initialError }: { onLogin: (session: Session) => void; error?: string }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(initialError);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<LoginOptions>();
  useEffect(() => {
    get<LoginOptions>('/cam/api/v1/session/login')
      .then(setOptions)
      .catch(() => setOptions({ token: true, oidc: null }));
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setToken(value.trim());
    try {
      onLogin(await get<Session>('/cam/api/v1/session'));
    } catch (err) {
      setToken(null);
      setError(err instanceof ApiError && err.status === 401 ? `The gateway refused the token: ${err.message}` : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const provider = options?.oidc;
  const atProvider = async () => {
    if (!provider) return;
    setBusy(true);
    try {
      await beginProviderLogin(provider);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <main class="container login">
      <article>
        <h1>cam-esc-gateway</h1>
        <p>The operator console.</p>
        {provider && (
          <section aria-label="Log in at the identity provider">
            <button type="button" onClick={atProvider} disabled={busy || !!provider.error} aria-describedby="provider-help">
              Log in at {new URL(provider.issuer).host}
            </button>
            <small id="provider-help">{provider.error ?? `Your identity provider's own login page (${provider.issuer}).`}</small>
            <hr />
          </section>
        )}
        <form onSubmit={submit} aria-label="Log in with a token">
          <label for="token">
            Bearer token
            <input id="token" name="token" type="password" autoComplete="current-password" required value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} aria-invalid={error ? true : undefined} aria-describedby="token-help" />
          </label>
          <small id="token-help">An API token of the gateway (API_TOKENS) or a bearer JWT of your identity provider. Kept in this browser tab only (session storage); logging out forgets it.</small>
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          <button type="submit" aria-busy={busy} disabled={busy} class={provider ? 'secondary' : undefined}>
            Log in
          </button>
        </form>
      </article>
    </main>
  );
}

import { useState } from 'preact/hooks';
import { ApiError, get, setToken } from '../api';
import { Session } from '../session';

/** The console's login: an API token or a JWT of the identity provider, kept for this browser tab only. */
export function Login({ onLogin }: { onLogin: (session: Session) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
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
  return (
    <main class="container login">
      <article>
        <h1>cam-esc-gateway</h1>
        <p>The operator console. Log in with an API token of the gateway (API_TOKENS) or a bearer JWT of your identity provider.</p>
        <form onSubmit={submit}>
          <label for="token">
            Bearer token
            <input id="token" name="token" type="password" autoComplete="current-password" required value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} aria-invalid={error ? true : undefined} aria-describedby="token-help" />
          </label>
          <small id="token-help">Kept in this browser tab only (session storage); logging out forgets it.</small>
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          <button type="submit" aria-busy={busy} disabled={busy}>
            Log in
          </button>
        </form>
      </article>
    </main>
  );
}

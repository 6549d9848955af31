import { useEffect, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { ApiError, get, setToken, token, whenUnauthorised } from './api';
import { BatchesPage } from './pages/batches';
import { CatalogPage } from './pages/catalog';
import { DriftPage } from './pages/drift';
import { InstancePage } from './pages/instance';
import { InstancesPage } from './pages/instances';
import { completeProviderLogin, forgetProviderLogin, isProviderReturn, resumeProviderSession } from './oidc';
import { Login } from './pages/login';
import { OverviewPage } from './pages/overview';
import { Session, SessionContext } from './session';

const PAGES = [
  { path: '/console/', label: 'Overview' },
  { path: '/console/catalog', label: 'Catalog' },
  { path: '/console/instances', label: 'Instances' },
  { path: '/console/batches', label: 'Batches' },
  { path: '/console/drift', label: 'Drift' },
];

function Header({ session, logout }: { session: Session; logout: () => void }) {
  const { path } = useLocation();
  const current = (p: string) => (p === '/console/' ? path === '/console/' || path === '/console' : path.startsWith(p));
  return (
    <header class="container-fluid top">
      <nav aria-label="Console">
        <ul>
          <li>
            <strong>cam-esc-gateway</strong>
          </li>
          {PAGES.map((p) => (
            <li key={p.path}>
              <a href={p.path} aria-current={current(p.path) ? 'page' : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
        <ul>
          <li>
            <span data-testid="who">
              {session.tenantId} · {session.roles.join(', ')}
            </span>
          </li>
          <li>
            <button type="button" class="secondary small" onClick={logout}>
              Log out
            </button>
          </li>
        </ul>
      </nav>
    </header>
  );
}

function NotFound() {
  return <p>No such page.</p>;
}

export function App() {
  const [session, setSession] = useState<Session | null>();
  const [loginError, setLoginError] = useState<string>();
  // a refused token (expired, revoked) only sends the tab back to its login; the user's logout also ends the provider's session
  const dropSession = () => {
    setToken(null);
    forgetProviderLogin(false);
    setSession(null);
  };
  const logout = () => {
    setToken(null);
    if (!forgetProviderLogin(true)) setSession(null);
  };
  useEffect(() => {
    whenUnauthorised(dropSession);
    (async () => {
      // back from the identity provider's login page: the code becomes the bearer
      if (isProviderReturn()) {
        try {
          await completeProviderLogin();
        } catch (e) {
          setToken(null);
          setLoginError(`The identity provider's login did not complete: ${(e as Error).message}`);
        }
      } else {
        await resumeProviderSession();
      }
      if (!token()) return setSession(null);
      await get<Session>('/cam/api/v1/session')
        .then(setSession)
        .catch((e) => (e instanceof ApiError && e.status === 401 ? (setLoginError(`The gateway refused the token: ${e.message}`), dropSession()) : setSession(null)));
    })();
  }, []);
  if (session === undefined) return <p aria-busy="true">Loading…</p>;
  if (session === null) return <Login onLogin={setSession} error={loginError} />;
  return (
    <SessionContext.Provider value={{ session, logout }}>
      <LocationProvider>
        <Header session={session} logout={logout} />
        <main class="container">
          <ErrorBoundary>
            <Router>
              <Route path="/console" component={OverviewPage} />
              <Route path="/console/" component={OverviewPage} />
              <Route path="/console/catalog" component={CatalogPage} />
              <Route path="/console/instances" component={InstancesPage} />
              <Route path="/console/instances/:id" component={InstancePage} />
              <Route path="/console/batches" component={BatchesPage} />
              <Route path="/console/drift" component={DriftPage} />
              <Route default component={NotFound} />
            </Router>
          </ErrorBoundary>
        </main>
      </LocationProvider>
    </SessionContext.Provider>
  );
}

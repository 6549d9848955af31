import { useEffect, useState } from 'preact/hooks';
import { get, withTenant } from '../api';
import { ScrollRegion } from '../components/scroll-region';
import { ActivityChart } from '../components/activity-chart';
import { ErrorNote, Status, TableHead } from '../components/status';
import { useSession } from '../session';

interface Overview {
  at: string;
  instances: Record<string, number>;
  actions: { running: number; queued: number; failed_24h: number };
  connections: Array<{ name: string; circuit: string; in_flight: number; requests_15m: number; error_rate_15m: number }>;
  /** The gateway's, for an admin only. */
  queues: Array<{ name: string; counts: Record<string, number> | null }> | null;
  callbacks_refused: number | null;
  /** Every tenant's, for an admin of the operations tenant only. */
  tenants: Array<{ tenant_id: string; instances: Record<string, number>; running: number; failed_24h: number }> | null;
  activity: { bucket_minutes: number; hours: number; buckets: Array<{ at: string; deploys: number; failures: number }> };
}

const STATUSES = ['Submitted', 'In_Progress', 'Active', 'Error', 'Terminating', 'Terminated'];

/** Every tenant's instances by status and its actions (the operations tenant's admins). */
function TenantsCard({ tenants }: { tenants: NonNullable<Overview['tenants']> }) {
  return (
    <article aria-labelledby="tenants-title">
      <header id="tenants-title">Every tenant</header>
      <ScrollRegion label="Every tenant's instances">
        <table>
          <TableHead columns={['Tenant', ...STATUSES, 'Actions running', 'Failed (24 h)']} />
          <tbody>
            {tenants.map((t) => (
              <tr key={t.tenant_id}>
                <th scope="row">{t.tenant_id}</th>
                {STATUSES.map((s) => (
                  <td class="number">{t.instances[s] ?? 0}</td>
                ))}
                <td class="number">{t.running}</td>
                <td class="number">{t.failed_24h}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </article>
  );
}

/** The tenant at a glance, refreshed every 10 seconds. */
export function OverviewPage() {
  const { session } = useSession();
  const [data, setData] = useState<Overview>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    const load = () =>
      get<Overview>(withTenant('/cam/api/v1/overview', session.tenantId))
        .then((d) => !stopped && (setData(d), setError(undefined)))
        .catch((e) => !stopped && setError((e as Error).message));
    load();
    const timer = setInterval(load, 10_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [session.tenantId]);
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <ErrorNote error={error} />
      {!data ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <div class="grid cards">
            <article>
              <header>Instances</header>
              <table>
                <tbody>
                  {STATUSES.map((s) => (
                    <tr key={s}>
                      <th scope="row">
                        <Status value={s} />
                      </th>
                      <td class="number">{data.instances[s] ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
            <article>
              <header>Actions</header>
              <p class="figure">
                <strong data-testid="running-actions">{data.actions.running}</strong> running
              </p>
              <p class="figure">
                <strong data-testid="failed-24h">{data.actions.failed_24h}</strong> failed in the last 24 hours
              </p>
              <p class="figure">
                <strong>{data.actions.queued}</strong> waiting for their batch's turn
              </p>
              {data.callbacks_refused !== null && (
                <p class="figure">
                  <strong>{data.callbacks_refused}</strong> ESC callbacks refused (this gateway process, every tenant, since it started)
                </p>
              )}
            </article>
            {data.queues && (
            <article>
              <header>Queues (the whole gateway)</header>
              <ScrollRegion label="Queue depths">
              <table>
                <TableHead columns={['Queue', 'Waiting', 'Active', 'Delayed', 'Failed']} />
                <tbody>
                  {data.queues!.map((q) => (
                    <tr key={q.name}>
                      <th scope="row">{q.name}</th>
                      {q.counts ? ['waiting', 'active', 'delayed', 'failed'].map((k) => <td class="number">{q.counts![k] ?? 0}</td>) : <td colSpan={4}>the queue store does not answer</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
              </ScrollRegion>
            </article>
            )}
          </div>
          <article>
            <header>ESC connections (last 15 minutes)</header>
            {data.connections.length === 0 ? (
              <p>No requests sent to ESC for this tenant in the last 15 minutes.</p>
            ) : (
              <table>
                <TableHead columns={['Connection', 'Circuit', 'In flight', 'Requests', 'Error rate']} />
                <tbody>
                  {data.connections.map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{c.name}</th>
                      <td>
                        <Status value={c.circuit} />
                      </td>
                      <td class="number">{c.in_flight}</td>
                      <td class="number">{c.requests_15m}</td>
                      <td class="number">{(c.error_rate_15m * 100).toFixed(1)} %</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </article>
          {data.tenants && <TenantsCard tenants={data.tenants} />}
          <article>
            <header>Deploys and failures</header>
            <ActivityChart buckets={data.activity.buckets} hours={data.activity.hours} />
          </article>
        </>
      )}
    </section>
  );
}

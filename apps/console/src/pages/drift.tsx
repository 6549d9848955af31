import { useEffect, useState } from 'preact/hooks';
import { get, post, withTenant } from '../api';
import { ConfirmButton } from '../components/confirm';
import { ErrorNote } from '../components/status';
import { useSession } from '../session';

interface ConnectionDrift {
  connection: string;
  error?: string;
  orphans?: Array<{ internal_deployment_id: string; deployment_name: string; made_by_gateway: boolean; was_of_instance?: string }>;
  missing?: Array<{ service_instance_id: string; instance_name: string; internal_deployment_id: string; gateway_status: string }>;
  vm_states?: Array<{ service_instance_id: string; vm_name: string; gateway_stage: string | null; esc_stage: string | null }>;
}

interface Drift {
  checked_at: string;
  connections: ConnectionDrift[];
  repaired?: { vm_states_refreshed: number; marked_gone: number; orphans_deleted: unknown[] };
}

/** What ESC holds against the gateway's records: orphan deployments, instances whose deployments are gone, VM stages that differ; repair what is safe. */
export function DriftPage() {
  const { session } = useSession();
  const [drift, setDrift] = useState<Drift>();
  const [error, setError] = useState<string>();
  const load = () =>
    get<Drift>(withTenant('/cam/api/v1/drift', session.tenantId))
      .then((d) => (setDrift(d), setError(undefined)))
      .catch((e) => setError((e as Error).message));
  useEffect(() => {
    load();
  }, [session.tenantId]);
  const safe = drift?.connections.some((c) => (c.orphans ?? []).some((o) => o.made_by_gateway) || (c.missing ?? []).length || (c.vm_states ?? []).length);
  return (
    <section aria-labelledby="drift-title">
      <h1 id="drift-title">Drift</h1>
      <ErrorNote error={error} />
      {!drift ? (
        <p aria-busy="true">Asking ESC…</p>
      ) : (
        <>
          <p>
            Checked {new Date(drift.checked_at).toLocaleString()}.{' '}
            {session.may.admin && safe && (
              <ConfirmButton
                label="Repair"
                question="Refresh VM stages from ESC, mark deployments ESC no longer has as gone, and delete orphan deployments this gateway made. Nothing else is touched."
                onConfirm={async () => setDrift(await post<Drift>(withTenant('/cam/api/v1/drift/repair', session.tenantId)))}
              />
            )}
          </p>
          {drift.repaired && (
            <p role="status">
              Repaired: {drift.repaired.vm_states_refreshed} VM stages refreshed, {drift.repaired.marked_gone} deployments marked gone, {drift.repaired.orphans_deleted.length} orphans deleted.
            </p>
          )}
          {drift.connections.map((c) => (
            <article key={c.connection}>
              <header>{c.connection}</header>
              {c.error ? (
                <p class="error">ESC could not be asked: {c.error}</p>
              ) : (
                <>
                  <h3>ESC deployments without an instance ({c.orphans?.length ?? 0})</h3>
                  <ul>
                    {(c.orphans ?? []).map((o) => (
                      <li key={o.internal_deployment_id}>
                        {o.deployment_name} {o.made_by_gateway ? '(made by this gateway: repair deletes it)' : '(not made by this gateway: left alone)'} {o.was_of_instance ? `, was ${o.was_of_instance}` : ''}
                      </li>
                    ))}
                  </ul>
                  <h3>Instances whose ESC deployment is missing ({c.missing?.length ?? 0})</h3>
                  <ul>
                    {(c.missing ?? []).map((m) => (
                      <li key={m.internal_deployment_id}>
                        <a href={`/console/instances/${m.service_instance_id}`}>{m.instance_name}</a> ({m.gateway_status})
                      </li>
                    ))}
                  </ul>
                  <h3>VM stages that differ ({c.vm_states?.length ?? 0})</h3>
                  <ul>
                    {(c.vm_states ?? []).map((v) => (
                      <li key={v.vm_name}>
                        {v.vm_name}: gateway {v.gateway_stage ?? '—'}, ESC {v.esc_stage ?? '—'}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </article>
          ))}
        </>
      )}
    </section>
  );
}

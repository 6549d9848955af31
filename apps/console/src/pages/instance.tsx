import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { follow, get, post, withTenant } from '../api';
import { ConfirmButton } from '../components/confirm';
import { Parameter, ParameterDialogButton } from '../components/parameter-form';
import { Ago, ErrorNote, Status, TableHead } from '../components/status';
import { Body } from '../components/xml';
import { useSession } from '../session';

interface Vm {
  name: string;
  group: string;
  state: string;
  ip_addresses: string[];
}

interface Instance {
  id: string;
  name: string;
  Status: string;
  action?: string;
  catalogItemName?: string;
  serviceManifest?: { version?: string };
  logs?: string;
  esc?: { deployments?: Array<{ deployment_name: string; status: string; power_state: string | null; vms: Vm[] }> };
  actionInstanceDetails?: Array<{ actionInstanceId: string; instance_action: string; action_status: string; Status: string; ordered_time?: number; updated_time?: string; logs?: string }>;
  UpgradePaths?: VersionChangePath[];
  DowngradePaths?: VersionChangePath[];
  action_status?: { name?: string; type?: string; status?: string };
}

interface VersionChangePath {
  id: string;
  type: 'UPGRADE' | 'DOWNGRADE';
  toVersion: string;
}

interface EscExchange {
  id: string;
  action: { name: string };
  step_id: string;
  operation: string;
  method: string;
  path: string;
  request_body?: string | null;
  status: string;
  created_time: string;
  http_status?: number | null;
  response_body?: string | null;
  esc_transaction_id?: string | null;
  callbacks: Array<{ id: string; received_time: string; stage?: string; outcome: string; esc_status_message?: string | null; body?: string | null }>;
}

interface CustomAction {
  name: string;
  type: string;
  description?: string;
  builtin?: boolean;
  input_parameters?: Parameter[];
}

const BASE = '/cam/composer/api/v1/ServiceInstances';

/** One instance: its state, VMs, action history, the timeline of its ESC exchanges, live; and the actions it allows. */
export function InstancePage({ id }: { id: string }) {
  const { session } = useSession();
  const [instance, setInstance] = useState<Instance>();
  const [exchanges, setExchanges] = useState<EscExchange[]>([]);
  const [custom, setCustom] = useState<CustomAction[]>([]);
  const [error, setError] = useState<string>();
  const [live, setLive] = useState(false);
  const url = (path = '') => withTenant(`${BASE}/${encodeURIComponent(id)}${path}`, session.tenantId);
  const load = useCallback(async () => {
    try {
      const [i, x] = await Promise.all([get<Instance>(`${url()}&filter[include]=UpgradePaths&filter[include]=DowngradePaths`), get<EscExchange[]>(url('/escRequests'))]);
      setInstance(i);
      setExchanges(x);
      setError(undefined);
      if (i.Status === 'Active') setCustom((await get<{ customActions: CustomAction[] }>(url('/getCustomActions'))).customActions ?? []);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id, session.tenantId]);
  useEffect(() => {
    load();
  }, [load]);

  // while an action runs, the SSE stream tells of each change; the page reads the instance again (at most every 300 ms)
  const pending = useRef<ReturnType<typeof setTimeout>>();
  const busy = instance && ['Submitted', 'In_Progress', 'Terminating'].includes(instance.Status);
  // a stream that ends while the action still runs (a gateway restart, a proxy's timeout) is followed again once the
  // instance is read, after 1 s, then 2, 4 … 30 s while it keeps failing; a refusal (4xx but 408 and 429) is not retried
  const [streams, setStreams] = useState(0);
  const failures = useRef(0);
  useEffect(() => {
    if (!busy) return;
    setLive(true);
    let again: ReturnType<typeof setTimeout> | undefined;
    let left = false;
    const stop = follow(
      url('/events'),
      () => {
        failures.current = 0;
        if (!pending.current) pending.current = setTimeout(() => ((pending.current = undefined), load()), 300);
      },
      (status) => {
        if (left) return;
        setLive(false);
        const refused = status >= 400 && status < 500 && status !== 408 && status !== 429;
        load().then(() => {
          if (left || refused) return;
          again = setTimeout(() => setStreams((n) => n + 1), Math.min(30, 2 ** failures.current) * 1000);
          failures.current++;
        });
      },
    );
    return () => {
      left = true;
      clearTimeout(again);
      stop();
      setLive(false);
    };
  }, [busy, load, streams]);

  const run = async (path: string, body: unknown) => {
    await post(url(path), body);
    await load();
  };
  const currentParameters = () => get<{ InputParameters: { input_parameters: Parameter[] } }>(url('/getInputParameters')).then((r) => r.InputParameters.input_parameters);

  if (error && !instance) return <ErrorNote error={error} />;
  if (!instance) return <p aria-busy="true">Loading…</p>;
  const operator = session.may.operator;
  const vms = (instance.esc?.deployments ?? []).flatMap((d) => d.vms.map((vm) => ({ ...vm, deployment: d.deployment_name })));
  return (
    <section aria-labelledby="instance-title">
      <h1 id="instance-title">
        {instance.name} <Status value={instance.Status} />
        {live && (
          <small class="live" aria-live="polite">
            {' '}
            live
          </small>
        )}
      </h1>
      <p>
        {instance.catalogItemName} {instance.serviceManifest?.version} · id <code>{instance.id}</code>
      </p>
      <ErrorNote error={error} />
      {operator && (
        <div class="actions" role="group" aria-label="Actions">
          {instance.Status !== 'Terminated' && (
            <ConfirmButton label="Terminate" variant="danger" question={`Terminate ${instance.name}? Its ESC deployments are deleted.`} disabled={!!busy} onConfirm={() => run('/terminate', {})} />
          )}
          {instance.Status === 'Error' &&
            // a failed provision or update runs again with its parameters, any of them changed; another action as it was
            (['provision', 'update'].includes(instance.action_status?.type ?? '') ? (
              <>
                <ParameterDialogButton
                  label="Retry"
                  intro={`Run the failed action of ${instance.name} again from its start, with these values (change one to fix what failed).`}
                  submitLabel="Retry"
                  changedOnly
                  load={currentParameters}
                  onSubmit={(v) => run('/retry', { retry_details: { is_partial: false, instance_parameters: v } })}
                />
                <ParameterDialogButton
                  label="Resume"
                  variant="secondary"
                  intro={`Continue the failed action of ${instance.name} from the step that failed, with these values.`}
                  submitLabel="Resume"
                  changedOnly
                  load={currentParameters}
                  onSubmit={(v) => run('/resume', { resume_details: { is_partial: false, instance_parameters: v } })}
                />
              </>
            ) : (
              <>
                <ConfirmButton label="Retry" question={`Run the failed action of ${instance.name} (${instance.action_status?.name ?? 'its last'}) again from its start?`} onConfirm={() => run('/retry', { retry_details: { is_partial: false } })} />
                <ConfirmButton label="Resume" variant="secondary" question={`Resume the failed action of ${instance.name} from the step that failed?`} onConfirm={() => run('/resume', { resume_details: { is_partial: false } })} />
              </>
            ))}
          {instance.Status === 'Active' && (
            <ParameterDialogButton
              label="Update"
              variant="secondary"
              intro={`Change parameters of ${instance.name}: every step is rendered again and what changed is updated on ESC.`}
              submitLabel="Update"
              changedOnly
              load={currentParameters}
              onSubmit={(v) => (Object.keys(v).length ? run('/update', { update_details: { instance_parameters: v } }) : Promise.reject(new Error('Nothing was changed.')))}
            />
          )}
          {instance.Status === 'Active' &&
            [...(instance.UpgradePaths ?? []), ...(instance.DowngradePaths ?? [])].map((path) => {
              const label = `${path.type === 'UPGRADE' ? 'Upgrade' : 'Downgrade'} to ${path.toVersion}`;
              return (
                <ParameterDialogButton
                  key={path.id}
                  label={label}
                  variant="secondary"
                  intro={`Move ${instance.name} to version ${path.toVersion}: what both versions have is updated, what is new created, what is gone deleted. The fields hold the values it has now.`}
                  submitLabel={label}
                  changedOnly
                  load={() => post<{ VersionChangeInputParameters: { input_parameters: Parameter[] } }>(url('/versionChangeInputParameters'), { versionChangeId: path.id }).then((r) => r.VersionChangeInputParameters.input_parameters)}
                  onSubmit={(v) => run('/submitVersionChange', { versionChangeId: path.id, instance_parameters: v, pre_action_parameters: {}, post_action_parameters: {} })}
                />
              );
            })}
          {instance.Status === 'Active' &&
            custom.map((a) => {
              const what = `${a.builtin ? 'the ESC operation' : 'the custom action'} ${a.name} on ${instance.name}`;
              const invoke = (values?: Record<string, string>) => run('/invokeCustomAction', { customDetails: { currentCustomAction: a.name, ...(values ? { instance_parameters: values } : {}) } });
              return (a.input_parameters ?? []).some((p) => !p.hidden) ? (
                <ParameterDialogButton key={a.name} label={a.name} variant="secondary" intro={`Run ${what}${a.description ? ` (${a.description})` : ''}.`} submitLabel={`Run ${a.name}`} load={async () => a.input_parameters ?? []} onSubmit={invoke} />
              ) : (
                <ConfirmButton key={a.name} label={a.name} variant="secondary" question={`Run ${what}?${a.description ? ` (${a.description})` : ''}`} onConfirm={() => invoke()} />
              );
            })}
        </div>
      )}
      <article>
        <header>VMs</header>
        {vms.length === 0 ? (
          <p>No VMs.</p>
        ) : (
          <table>
            <TableHead columns={['Name', 'Group', 'IP addresses', 'State']} />
            <tbody>
              {vms.map((vm) => (
                <tr key={vm.name}>
                  <td>{vm.name}</td>
                  <td>{vm.group}</td>
                  <td>{vm.ip_addresses.join(', ')}</td>
                  <td>
                    <Status value={vm.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </article>
      <article>
        <header>Actions run</header>
        <table>
          <TableHead columns={['Action', 'Status', 'Updated', 'Log']} />
          <tbody>
            {(instance.actionInstanceDetails ?? []).map((a) => (
              <tr key={a.actionInstanceId}>
                <td>{a.instance_action}</td>
                <td>
                  <Status value={a.action_status} />
                </td>
                <td>
                  <Ago at={a.updated_time} />
                </td>
                <td>{a.logs ? <Body label="log" text={a.logs} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
      <article>
        <header>ESC timeline</header>
        {exchanges.length === 0 ? (
          <p>Nothing sent to ESC yet.</p>
        ) : (
          <ol class="timeline">
            {exchanges.map((x) => (
              <li key={x.id}>
                <p>
                  <Ago at={x.created_time} /> · {x.action.name} · step <code>{x.step_id}</code> · <strong>{x.method}</strong> <code>{x.path}</code> → <Status value={x.status} />
                  {x.http_status ? ` HTTP ${x.http_status}` : ''}
                </p>
                <Body label="request" text={x.request_body} />
                <Body label="ESC's answer" text={x.response_body} />
                {x.callbacks.map((c) => (
                  <div key={c.id} class="callback">
                    <Ago at={c.received_time} /> callback {c.stage ?? ''} <Status value={c.outcome} /> {c.esc_status_message ?? ''}
                    <Body label="callback body" text={c.body} />
                  </div>
                ))}
              </li>
            ))}
          </ol>
        )}
      </article>
    </section>
  );
}

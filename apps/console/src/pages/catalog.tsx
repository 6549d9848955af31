import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { call, get, getBlob, post, withTenant } from '../api';
import { Parameter, ParameterFields, readParameters } from '../components/parameter-form';
import { ErrorNote, Status, TableHead } from '../components/status';
import { useSession } from '../session';
import { TemplateLibrary } from './templates';

interface Service {
  id: string;
  name: string;
  category?: string;
  image?: string;
  description?: string;
  serviceManifestId?: string | null;
}

interface FlowStep {
  id: string;
  title?: string;
  template_name?: string;
  version?: string;
  template_type?: string;
}

interface CamAction {
  type: string;
  name: string;
  input_parameters?: Parameter[];
  flow?: { templates?: Array<Record<string, FlowStep>>; resthooks?: Array<Record<string, FlowStep & { method?: string; url?: string }>>; sequence?: Record<string, string> };
}

interface Version {
  id: string;
  version: string;
  status: string;
  serviceInstanceCount?: number;
  ServiceEngine_InputFile: { service?: { actions?: CamAction[]; plans?: Array<{ name: string }> } };
}

const SERVICES = '/cam/composer/api/v1/Service';

/** An icon of the catalog, read with the token (an <img src> could not send it) and shown as a data URL. */
function Icon({ name, tenantId }: { name?: string; tenantId: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    if (!name) return;
    getBlob(withTenant(`/cam/composer/api/v1/icons/name/${encodeURIComponent(name)}`, tenantId))
      .then((blob) => {
        if (!blob) return;
        // CAM labels SVG application/xml, which an <img> does not draw: it is drawn as the image it is (no script runs in an <img>)
        const image = /xml/.test(blob.type) ? new Blob([blob], { type: 'image/svg+xml' }) : blob;
        const reader = new FileReader();
        reader.onload = () => setSrc(String(reader.result));
        reader.readAsDataURL(image);
      })
      .catch(() => undefined);
  }, [name, tenantId]);
  return src ? <img src={src} alt="" class="icon" /> : <span class="icon icon-empty" aria-hidden="true" />;
}

/** The steps of a flow in their sequence order: kind, template, id. */
export function FlowDiagram({ action }: { action: CamAction }) {
  const steps = new Map<string, FlowStep & { kind: string }>();
  for (const t of action.flow?.templates ?? []) for (const s of Object.values(t)) steps.set(s.id, { ...s, kind: s.template_type ?? 'template' });
  for (const r of action.flow?.resthooks ?? []) for (const s of Object.values(r)) steps.set(s.id, { ...s, kind: 'resthook' });
  const order = Object.entries(action.flow?.sequence ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, id]) => id);
  if (!order.length) return <p>No steps.</p>;
  return (
    <ol class="flow" aria-label={`${action.name} flow`}>
      {order.map((id, i) => {
        const step = steps.get(id);
        return (
          <li key={`${id}-${i}`} class={`step step-${step?.kind ?? 'unknown'}`}>
            <span class="step-kind">{step?.kind ?? '?'}</span>
            <strong>{step?.title ?? id}</strong>
            <small>{step?.template_name ? `${step.template_name} ${step.version ?? ''}` : id}</small>
          </li>
        );
      })}
    </ol>
  );
}

function DeployForm({ version, tenantId }: { version: Version; tenantId: string }) {
  const { route } = useLocation();
  const provision = version.ServiceEngine_InputFile.service?.actions?.find((a) => a.type === 'provision');
  const plans = version.ServiceEngine_InputFile.service?.plans ?? [];
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const parameters = provision?.input_parameters ?? [];
      const values = readParameters(e.target as HTMLFormElement, parameters);
      const specifications = parameters.filter((p) => p.name in values).map((p) => ({ name: p.name, value: values[p.name], secured: p.secured === true }));
      const body = { name: String(form.get('name')), instance_plan: String(form.get('plan') ?? '') || undefined, action: 'Provision', resourceProperties: { templateParameters: [], specifications } };
      const instance = await post<{ id: string }>(withTenant(`/cam/composer/api/v1/ServiceManifest/${version.id}/deploy`, tenantId), body);
      route(`/console/instances/${instance.id}`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label={`Deploy version ${version.version}`}>
      <label>
        Instance name
        <input name="name" required maxLength={255} />
      </label>
      {plans.length > 1 && (
        <label>
          Plan
          <select name="plan">{plans.map((p) => <option value={p.name}>{p.name}</option>)}</select>
        </label>
      )}
      <ParameterFields parameters={provision?.input_parameters ?? []} />
      <ErrorNote error={error} />
      <button type="submit" aria-busy={busy} disabled={busy}>
        Deploy
      </button>
    </form>
  );
}

/** Services, their versions (Draft, Published, Retired), each version's flows as step lists, a deploy form, and the template library. */
export function CatalogPage() {
  const { session } = useSession();
  const [services, setServices] = useState<Service[]>();
  const [selected, setSelected] = useState<Service>();
  const [versions, setVersions] = useState<Version[]>();
  const [version, setVersion] = useState<Version>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    get<Service[]>(withTenant(SERVICES, session.tenantId, { 'filter[limit]': '500' }))
      .then(setServices)
      .catch((e) => setError((e as Error).message));
  }, [session.tenantId]);
  useEffect(() => {
    if (!selected) return;
    setVersions(undefined);
    setVersion(undefined);
    call<Version[]>(withTenant(`${SERVICES}/${selected.id}/ServiceVersions`, session.tenantId))
      .then((a) => {
        setVersions(a.body);
        setVersion(a.body.find((v) => v.id === selected.serviceManifestId) ?? a.body[0]);
      })
      .catch((e) => setError((e as Error).message));
  }, [selected?.id]);
  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">Catalog</h1>
      <ErrorNote error={error} />
      <div class="split">
        <nav aria-label="Services">
          {!services ? (
            <p aria-busy="true">Loading…</p>
          ) : services.length === 0 ? (
            <p>No services yet.</p>
          ) : (
            <ul class="services">
              {services.map((s) => (
                <li key={s.id}>
                  <button type="button" class={`service ${selected?.id === s.id ? 'selected' : 'outline'}`} aria-pressed={selected?.id === s.id} onClick={() => setSelected(s)}>
                    <Icon name={s.image} tenantId={session.tenantId} />
                    <span>
                      <strong>{s.name}</strong>
                      <small>{s.category ?? ''}</small>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div>
          {selected && (
            <article>
              <header>
                <h2>{selected.name}</h2>
                <p>{selected.description}</p>
              </header>
              {!versions ? (
                <p aria-busy="true">Loading versions…</p>
              ) : (
                <>
                  <table>
                    <TableHead columns={['Version', 'Status', 'Live instances', '']} />
                    <tbody>
                      {versions.map((v) => (
                        <tr key={v.id} aria-selected={version?.id === v.id}>
                          <td>{v.version}</td>
                          <td>
                            <Status value={v.status} />
                          </td>
                          <td class="number">{v.serviceInstanceCount ?? 0}</td>
                          <td>
                            <button type="button" class="secondary small" onClick={() => setVersion(v)} aria-label={`Show version ${v.version}`}>
                              Show
                            </button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {version && (
                    <>
                      <h3>Version {version.version}: flows</h3>
                      {(version.ServiceEngine_InputFile.service?.actions ?? []).map((a) => (
                        <details key={a.name} open={a.type === 'provision'}>
                          <summary>
                            {a.name} <small>({a.type})</small>
                          </summary>
                          <FlowDiagram action={a} />
                        </details>
                      ))}
                      {session.may.operator && version.status !== 'Retired' && (
                        <>
                          <h3>Deploy version {version.version}</h3>
                          <DeployForm version={version} tenantId={session.tenantId} />
                        </>
                      )}
                    </>
                  )}
                </>
              )}
            </article>
          )}
        </div>
      </div>
      <TemplateLibrary />
    </section>
  );
}

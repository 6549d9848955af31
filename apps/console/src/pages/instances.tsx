import { useEffect, useState } from 'preact/hooks';
import { call, withTenant } from '../api';
import { Ago, ErrorNote, Status, TableHead } from '../components/status';
import { useSession } from '../session';

interface Summary {
  id: string;
  name: string;
  Status: string;
  catalogItemName?: string;
  version?: string;
  ordered_time?: string;
  updated_time?: string;
  last_action?: { name: string; type: string; status: string } | null;
}

const PAGE = 50;
const STATUSES = ['', 'Submitted', 'In_Progress', 'Active', 'Error', 'Terminating', 'Terminated'];

/** The pattern of part of a name, for filter[where][name][ilike]: the text's own % and _ literal. */
const partOfName = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/** The tenant's instances, newest first, a page at a time (keyset: as fast on page 2,000 as on page 1), by part of the name and by status. */
export function InstancesPage() {
  const { session } = useSession();
  const [name, setName] = useState('');
  const [status, setStatus] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<{ rows: Summary[]; next?: string }>();
  const [error, setError] = useState<string>();
  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    // an answer to an earlier search (a slower one) must not replace this one's
    let stale = false;
    setPage(undefined);
    call<Summary[]>(withTenant('/cam/composer/api/v1/ServiceInstances', session.tenantId, { 'filter[limit]': String(PAGE), 'filter[where][name][ilike]': name ? partOfName(name) : undefined, 'filter[where][Status]': status || undefined, 'filter[cursor]': cursor }))
      .then((a) => {
        if (stale) return;
        setPage({ rows: a.body, next: a.headers.get('X-Next-Cursor') ?? undefined });
        setError(undefined);
      })
      .catch((e) => !stale && setError((e as Error).message));
    return () => {
      stale = true;
    };
  }, [session.tenantId, name, status, cursor]);
  const search = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setCursors([]);
    setName(String(form.get('name') ?? '').trim());
    setStatus(String(form.get('status') ?? ''));
  };
  return (
    <section aria-labelledby="instances-title">
      <h1 id="instances-title">Instances</h1>
      <form class="filters" onSubmit={search} role="search" aria-label="Find instances">
        <label>
          Name
          <input name="name" type="search" placeholder="part of a name, any case" />
        </label>
        <label>
          Status
          <select name="status">
            {STATUSES.map((s) => (
              <option value={s}>{s || 'any'}</option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={error} />
      {!page ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <table class="striped">
            <TableHead columns={['Name', 'Status', 'Service', 'Version', 'Age', 'Last action']} />
            <tbody>
              {page.rows.length === 0 && (
                <tr>
                  <td colSpan={6}>No instances.</td>
                </tr>
              )}
              {page.rows.map((i) => (
                <tr key={i.id}>
                  <td>
                    <a href={`/console/instances/${i.id}`}>{i.name}</a>
                  </td>
                  <td>
                    <Status value={i.Status} />
                  </td>
                  <td>{i.catalogItemName}</td>
                  <td>{i.version}</td>
                  <td>
                    <Ago at={i.ordered_time} />
                  </td>
                  <td>{i.last_action ? `${i.last_action.name}: ${i.last_action.status}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" class="pager">
            <button type="button" class="secondary" disabled={!cursors.length} onClick={() => setCursors(cursors.slice(0, -1))}>
              Previous
            </button>
            <span>Page {cursors.length + 1}</span>
            <button type="button" class="secondary" disabled={!page.next} onClick={() => page.next && setCursors([...cursors, page.next])}>
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { get, post, withTenant } from '../api';
import { ConfirmButton } from '../components/confirm';
import { Ago, ErrorNote, Status, TableHead } from '../components/status';
import { useSession } from '../session';

interface Batch {
  id: string;
  state: string;
  concurrency: number;
  total: number;
  counts: Record<string, number>;
  running: number;
  created_at: string;
  updated_at: string;
}

interface Item {
  index: number;
  name: string;
  instance_id: string | null;
  status: string;
  error: string | null;
}

const BATCHES = '/cam/composer/api/v1/Batches';
/** What an item shows once it has run (or will not run). */
const FAILED = ['Error', 'Invalid'];
const FINISHED = ['Active', 'Error', 'Invalid', 'Cancelled', 'Terminated', 'Deleted'];

/** Progress of a batch: done, failed, running, items per minute and the time left at that rate. */
export function progressOf(b: Batch, now = Date.now()) {
  const count = (states: string[]) => states.reduce((n, s) => n + (b.counts[s] ?? 0), 0);
  const done = count(FINISHED);
  const failed = count(FAILED);
  const minutes = Math.max(1 / 60, ((b.state === 'Running' ? now : new Date(b.updated_at).getTime()) - new Date(b.created_at).getTime()) / 60_000);
  const rate = done / minutes;
  const left = b.total - done;
  const eta = b.state === 'Running' && rate > 0 && left > 0 ? Math.round(left / rate) : undefined;
  // what retry runs again: items whose instance ended in Error (an Invalid item has no instance to run)
  const retryable = b.counts.Error ?? 0;
  return { done, failed, retryable, rate, left, eta };
}

function FailedItems({ batch, tenantId }: { batch: Batch; tenantId: string }) {
  const [items, setItems] = useState<Item[]>();
  useEffect(() => {
    Promise.all(FAILED.map((s) => get<{ items: Item[] }>(withTenant(`${BATCHES}/${batch.id}`, tenantId, { 'filter[where][status]': s, 'filter[limit]': '100' }))))
      .then((pages) => setItems(pages.flatMap((p) => p.items).sort((a, b) => a.index - b.index)))
      .catch(() => setItems([]));
  }, [batch.id, JSON.stringify(batch.counts)]);
  if (!items) return <p aria-busy="true">Loading failed items…</p>;
  if (!items.length) return null;
  return (
    <table class="failed-items">
      <caption>Failed items</caption>
      <TableHead columns={['#', 'Name', 'Status', 'Error']} />
      <tbody>
        {items.map((i) => (
          <tr key={i.index}>
            <td class="number">{i.index}</td>
            <td>{i.instance_id ? <a href={`/console/instances/${i.instance_id}`}>{i.name}</a> : i.name}</td>
            <td>
              <Status value={i.status} />
            </td>
            <td>{i.error ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The tenant's batches with their progress, the failed items and their errors; cancel, and retry the failed ones. */
export function BatchesPage() {
  const { session } = useSession();
  const [batches, setBatches] = useState<Batch[]>();
  const [error, setError] = useState<string>();
  const load = () =>
    get<Batch[]>(withTenant(BATCHES, session.tenantId, { 'filter[limit]': '20' }))
      .then((b) => (setBatches(b), setError(undefined)))
      .catch((e) => setError((e as Error).message));
  useEffect(() => {
    load();
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [session.tenantId]);
  const act = async (id: string, what: 'cancel' | 'retry') => {
    await post(withTenant(`${BATCHES}/${id}/${what}`, session.tenantId));
    await load();
  };
  return (
    <section aria-labelledby="batches-title">
      <h1 id="batches-title">Batches</h1>
      <ErrorNote error={error} />
      {!batches ? (
        <p aria-busy="true">Loading…</p>
      ) : batches.length === 0 ? (
        <p>No batches yet.</p>
      ) : (
        batches.map((b) => {
          const p = progressOf(b);
          return (
            <article key={b.id} aria-label={`Batch ${b.id}`}>
              <header>
                Batch <code>{b.id}</code> <Status value={b.state} /> · started <Ago at={b.created_at} />
              </header>
              <label>
                {p.done} of {b.total} done · {p.failed} failed · {b.running} running · {p.rate.toFixed(1)} items/min{p.eta !== undefined ? ` · about ${p.eta} min left` : ''}
                <progress value={p.done} max={b.total} aria-label={`batch ${b.id}: ${p.done} of ${b.total} done`} />
              </label>
              <p class="counts">
                {Object.entries(b.counts).map(([s, n]) => (
                  <span key={s}>
                    <Status value={s} /> {n}{' '}
                  </span>
                ))}
              </p>
              <FailedItems batch={b} tenantId={session.tenantId} />
              {session.may.operator && (
                <div class="actions" role="group" aria-label={`Batch ${b.id} actions`}>
                  {b.state === 'Running' && <ConfirmButton label="Cancel batch" variant="danger" question="Cancel the items that have not started? Those running go on." onConfirm={() => act(b.id, 'cancel')} />}
                  {p.retryable > 0 && b.state !== 'Running' && <ConfirmButton label="Retry failed" question={`Run the ${p.retryable} items that ended in Error again?`} onConfirm={() => act(b.id, 'retry')} />}
                </div>
              )}
            </article>
          );
        })
      )}
    </section>
  );
}

/** An instance's, action's or batch's status as a labelled badge (its colour is not the only cue: the word is there). */
export function Status({ value }: { value?: string | null }) {
  if (!value) return <span class="status">—</span>;
  return <span class={`status status-${value.replace(/[^A-Za-z_]/g, '')}`}>{value}</span>;
}

/** "3 min ago" for an ISO time, with the time itself on hover. */
export function Ago({ at }: { at?: string | null }) {
  if (!at) return <span>—</span>;
  const seconds = Math.max(0, Math.round((Date.now() - new Date(at).getTime()) / 1000));
  const text = seconds < 60 ? `${seconds} s ago` : seconds < 3600 ? `${Math.round(seconds / 60)} min ago` : seconds < 86400 ? `${Math.round(seconds / 3600)} h ago` : `${Math.round(seconds / 86400)} d ago`;
  return <time dateTime={at} title={new Date(at).toLocaleString()}>{text}</time>;
}

export function ErrorNote({ error }: { error?: string }) {
  return error ? (
    <p role="alert" class="error">
      {error}
    </p>
  ) : null;
}

/** A table's header row: one column header per name (an empty name for a column of buttons). */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th key={`${i}-${c}`} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

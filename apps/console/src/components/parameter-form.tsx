import { useRef, useState } from 'preact/hooks';
import { ErrorNote } from './status';

/** An input parameter as the catalog and the instance calls describe it (CAM's fields). */
export interface Parameter {
  name: string;
  label?: string;
  description?: string;
  type?: string;
  customtype?: string;
  required?: boolean;
  secured?: boolean;
  hidden?: boolean;
  immutable?: boolean;
  editable?: boolean;
  default?: unknown;
  /** the instance's value (getInputParameters) */
  value?: unknown;
  options?: Array<{ value: string; label?: string }>;
}

/** CAM's mask of a secured value: shown, never sent back. */
const MASK = '*******';

const shown = (p: Parameter) => !p.hidden;
const secret = (p: Parameter) => p.secured === true || p.type === 'password';
const fixed = (p: Parameter) => p.immutable === true || p.editable === false;

/** What the field starts with: the instance's value, else the default; nothing for a secret (left empty, it is kept). */
function initial(p: Parameter): string {
  if (secret(p)) return '';
  const v = p.value ?? p.default;
  return v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v)) ? '' : String(v);
}

/** A form's fields for some input parameters: a select where the values are listed, a password field for a secured one. */
export function ParameterFields({ parameters, keepValues }: { parameters: Parameter[]; keepValues?: boolean }) {
  return (
    <>
      {parameters.filter(shown).map((p) => {
        const id = `p-${p.name}`;
        const start = keepValues ? initial(p) : '';
        const hint = secret(p) && keepValues ? 'left empty, the value it has is kept' : p.description;
        const placeholder = !keepValues && p.default !== undefined && p.default !== '' && !secret(p) ? String(p.default) : undefined;
        return (
          <label key={p.name}>
            {p.label ?? p.name}
            {p.required ? ' (required)' : ''}
            {p.options?.length ? (
              <select name={id} required={p.required} disabled={fixed(p)}>
                {/* no value yet: nothing chosen (a required one must be); a value not listed stays the one chosen */}
                {(!p.required || start === '') && (
                  <option value="" selected={start === ''}>
                    —
                  </option>
                )}
                {start !== '' && !p.options.some((o) => o.value === start) && (
                  <option value={start} selected>
                    {start}
                  </option>
                )}
                {p.options.map((o) => (
                  <option value={o.value} selected={o.value === start}>
                    {o.label ?? o.value}
                  </option>
                ))}
              </select>
            ) : (
              <input
                name={id}
                type={secret(p) ? 'password' : 'text'}
                required={p.required && !(secret(p) && keepValues)}
                readOnly={fixed(p)}
                defaultValue={start}
                placeholder={placeholder}
                autoComplete="off"
                aria-describedby={hint ? `${id}-hint` : undefined}
              />
            )}
            {hint && <small id={`${id}-hint`}>{hint}</small>}
          </label>
        );
      })}
    </>
  );
}

/**
 * The values a form gives its parameters. With `changedOnly`, only what differs from what the
 * field started with (an update sends what changed; a secured field left empty keeps its value).
 */
export function readParameters(form: HTMLFormElement, parameters: Parameter[], changedOnly = false): Record<string, string> {
  const data = new FormData(form);
  const values: Record<string, string> = {};
  for (const p of parameters.filter(shown)) {
    const raw = data.get(`p-${p.name}`);
    if (typeof raw !== 'string' || fixed(p)) continue;
    if (raw === '' && (changedOnly || !p.required)) continue;
    if (raw === MASK) continue;
    if (changedOnly && !secret(p) && raw === initial(p)) continue;
    values[p.name] = raw;
  }
  return values;
}

/**
 * A button that opens a dialog with a form of parameters (read when it opens: `load`), and runs
 * `onSubmit` with what was filled in; the dialog says what the gateway answered when it refuses.
 */
export function ParameterDialogButton(props: {
  label: string;
  intro: string;
  submitLabel: string;
  load: () => Promise<Parameter[]>;
  onSubmit: (values: Record<string, string>) => Promise<unknown>;
  changedOnly?: boolean;
  variant?: 'secondary';
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [parameters, setParameters] = useState<Parameter[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const open = async () => {
    setError(undefined);
    setParameters(undefined);
    dialog.current?.showModal();
    try {
      setParameters(await props.load());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!parameters) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit(readParameters(e.target as HTMLFormElement, parameters, props.changedOnly));
      dialog.current?.close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class={props.variant} onClick={open}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={props.label}>
        <article>
          <h3>{props.label}</h3>
          <p>{props.intro}</p>
          {!parameters && !error && <p aria-busy="true">Loading…</p>}
          {parameters && (
            <form onSubmit={submit} aria-label={`${props.label}: parameters`}>
              {parameters.filter(shown).length === 0 && <p>It takes no parameters.</p>}
              <ParameterFields parameters={parameters} keepValues />
              <ErrorNote error={error} />
              <footer>
                <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
                  Cancel
                </button>{' '}
                <button type="submit" aria-busy={busy} disabled={busy}>
                  {props.submitLabel}
                </button>
              </footer>
            </form>
          )}
          {!parameters && error && (
            <>
              <ErrorNote error={error} />
              <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
                Close
              </button>
            </>
          )}
        </article>
      </dialog>
    </>
  );
}

import { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

/** A button whose action runs only once confirmed in a modal dialog (Escape or Cancel leaves it). */
export function ConfirmButton(props: { label: string; question: ComponentChildren; onConfirm: () => Promise<unknown>; variant?: 'danger' | 'secondary'; disabled?: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      dialog.current?.close();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class={props.variant === 'danger' ? 'danger' : props.variant === 'secondary' ? 'secondary' : undefined} disabled={props.disabled} onClick={() => dialog.current?.showModal()}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={`Confirm: ${props.label}`}>
        <article>
          <h3>{props.label}?</h3>
          <p>{props.question}</p>
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          <footer>
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>{' '}
            <button type="button" aria-busy={busy} disabled={busy} onClick={confirm}>
              Confirm {props.label.toLowerCase()}
            </button>
          </footer>
        </article>
      </dialog>
    </>
  );
}

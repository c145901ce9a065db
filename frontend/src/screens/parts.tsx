/**
 * Form pieces the lane's dialogs share: a labelled big field, the manager's PIN field, and the footer (error line
 * plus the primary Enter button). They render plain inputs: each dialog keeps its own refs, focuses them in its
 * layout effects (see docs/FRONTEND.md, "No keystroke is lost") and handles Enter / Escape in its own key handler.
 */
import type { Ref } from 'preact';
import { useT } from '../ui';

export interface FieldProps {
  label: string;
  name: string;
  inputRef?: Ref<HTMLInputElement> | undefined;
  /** Controlled text; leave out for an uncontrolled field read through `inputRef`. */
  value?: string | undefined;
  onValue?: ((text: string) => void) | undefined;
  type?: 'text' | 'password' | undefined;
  inputMode?: 'decimal' | 'numeric' | 'text' | undefined;
  placeholder?: string | undefined;
  /** Enter in the field: its text (the key's default is prevented). */
  onEnter?: ((text: string) => void) | undefined;
}

/** `<label class="field">` with its caption and a `big-input` (no autocomplete). */
export function Field(props: FieldProps) {
  const { onValue, onEnter } = props;
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        ref={props.inputRef ?? null}
        name={props.name}
        class="big-input"
        type={props.type}
        inputMode={props.inputMode}
        autoComplete="off"
        placeholder={props.placeholder}
        value={props.value}
        onInput={onValue && ((e) => onValue(e.currentTarget.value))}
        onKeyDown={
          onEnter &&
          ((e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            onEnter(e.currentTarget.value);
          })
        }
      />
    </label>
  );
}

/** The manager's PIN (`input[name=manager-pin]`, hidden digits), asked when the server wants an approval. */
export function PinField({ inputRef }: { inputRef: Ref<HTMLInputElement> }) {
  const { tr } = useT();
  return <Field label={tr('manager.pin')} name="manager-pin" type="password" inputMode="numeric" inputRef={inputRef} />;
}

/** The primary button of a dialog, labelled with the Enter key that does the same. */
export function SubmitButton(props: { label: string; busy?: boolean | undefined; onSubmit: () => void }) {
  return (
    <button type="button" class="primary wide-button" disabled={props.busy} onClick={props.onSubmit}>
      <kbd>Enter</kbd> {props.label}
    </button>
  );
}

/** A dialog's error line (an alert, empty when there is none) and, with `label`, its primary Enter button. */
export function DialogFooter(props: {
  error: string | null;
  label?: string | undefined;
  busy?: boolean | undefined;
  onSubmit?: (() => void) | undefined;
}) {
  return (
    <>
      <p class="error-text" role="alert">
        {props.error ?? ''}
      </p>
      {props.label !== undefined && props.onSubmit && (
        <SubmitButton label={props.label} busy={props.busy} onSubmit={props.onSubmit} />
      )}
    </>
  );
}

/** The lane's small dialogs: shortcut help, weight, quantity, void reason, discount, manager PIN, age check. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import { errorText } from '../lib/messages';
import { readScale } from '../lib/pos-api';
import type { CartLine, CartProduct, Discount } from '../lib/cart';
import type { MessageKey } from '../lib/i18n';
import { formatMoney, formatQuantity, parseMoney, parseQuantity, parseScaled } from '../lib/money';
import { Dialog, useT } from '../ui';
import { DialogFooter, Field, SubmitButton } from './parts';

/** Every lane shortcut, in the order the help lists them (F-keys are also on-screen buttons). */
export const SHORTCUTS: readonly (readonly [string, MessageKey])[] = [
  ['F1', 'keys.help'],
  ['F2', 'keys.search'],
  ['F3', 'keys.qty'],
  ['F4', 'keys.discount'],
  ['F5', 'keys.customer'],
  ['F6', 'keys.tier'],
  ['F7', 'keys.newSale'],
  ['F8', 'keys.hold'],
  ['F9', 'keys.resume'],
  ['F10', 'keys.pay'],
  ['F11', 'keys.returns'],
  ['F12', 'keys.void'],
  ['Alt+S', 'shift.menu'],
  ['Alt+O', 'outbox.title'],
  ['?', 'help.show'],
  ['Enter', 'help.enter'],
  ['3 *', 'help.qty'],
  ['↑ ↓', 'help.arrows'],
  ['Esc', 'help.escape'],
];

export function HelpDialog() {
  const { tr } = useT();
  return (
    <Dialog title={tr('help.title')} wide>
      <table class="shortcuts">
        <tbody>
          {SHORTCUTS.map(([key, label]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{tr(label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{tr('help.close')}</p>
    </Dialog>
  );
}

/** A text field that has the focus, submits on Enter and shows the error under it (a `Field` and its footer). */
export function EntryField(props: {
  label: string;
  error: string | null;
  onSubmit: (text: string) => void;
  onChange?: (text: string) => void;
  type?: 'text' | 'password';
  name: string;
  initial?: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
}) {
  const ref = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  return (
    <>
      <Field
        label={props.label}
        name={props.name}
        type={props.type ?? 'text'}
        inputMode={props.inputMode ?? 'decimal'}
        inputRef={ref}
        value={props.initial}
        onValue={props.onChange}
        onEnter={props.onSubmit}
      />
      <DialogFooter error={props.error} />
    </>
  );
}

/**
 * The weight of a weighed item: read from the lane's scale (`GET /api/devices/scale/weight`, F2 reads again) and
 * put in the field for the cashier to confirm with Enter, or typed by hand (always possible; a typed value is
 * never overwritten by a late reading).
 */
export function WeightDialog({
  product,
  api,
  onWeight,
}: {
  product: CartProduct;
  api?: ApiClient;
  onWeight: (thousandths: number) => void;
}) {
  const { lang, tr } = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [scale, setScale] = useState<'reading' | 'done' | 'none' | string>(api ? 'reading' : 'none');
  const read = () => {
    if (!api) return () => undefined;
    const abort = new AbortController();
    setScale('reading');
    readScale(api, abort.signal)
      .then((grams) => {
        setText((t) => (t.trim() === '' ? formatQuantity(grams) : t));
        setScale('done');
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        const none = e instanceof ApiError && (e.code === 'SCALE_NOT_CONFIGURED' || e.status === 404);
        setScale(none ? 'none' : e instanceof ApiError && e.status < 500 ? e.message : errorText(lang, e));
      });
    return () => abort.abort();
  };
  useEffect(read, []);
  const submit = () => {
    const parsed = parseQuantity(text);
    if (parsed.ok) onWeight(parsed.value);
    else setError(tr(`parse.${parsed.error}`));
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'F2' || !api) return;
    e.preventDefault();
    read();
  };
  return (
    <Dialog title={tr('weight.title', { name: product.name })}>
      <div onKeyDown={onKey}>
        <p class={scale === 'done' ? 'ok-text' : 'muted'} data-testid="scale-status">
          {scale === 'reading'
            ? tr('scale.reading')
            : scale === 'done'
              ? tr('scale.read')
              : scale === 'none'
                ? tr('scale.none')
                : tr('scale.error', { reason: scale })}
        </p>
        <EntryField
          label={tr('weight.prompt')}
          name="weight"
          error={error}
          initial={text}
          onChange={setText}
          onSubmit={submit}
        />
        <SubmitButton label={tr('weight.add')} onSubmit={submit} />
      </div>
    </Dialog>
  );
}

/** Void reason codes (stable, sent to the server); the UI shows them translated. */
export const VOID_REASONS = ['scan_error', 'customer_changed_mind', 'price_query', 'damaged'] as const;

export type VoidReason = (typeof VOID_REASONS)[number];

const isVoidReason = (v: string): v is VoidReason => (VOID_REASONS as readonly string[]).includes(v);

/** A void reason for people: the translation of a known code, else the text as recorded. */
export function reasonText(tr: (key: MessageKey) => string, reason: string): string {
  return isVoidReason(reason) ? tr(`void.reason.${reason}`) : reason;
}

export function VoidDialog({ line, onReason }: { line: CartLine; onReason: (reason: VoidReason) => void }) {
  const { tr } = useT();
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  const onKey = (e: KeyboardEvent) => {
    const reason = VOID_REASONS[Number(e.key) - 1];
    if (!reason || !/^\d$/.test(e.key)) return;
    e.preventDefault();
    onReason(reason);
  };
  return (
    <Dialog title={tr('void.title', { name: line.name })}>
      <p>{tr('void.prompt')}</p>
      <div class="choices" ref={ref} tabIndex={-1} onKeyDown={onKey}>
        {VOID_REASONS.map((code, i) => (
          <button type="button" key={code} onClick={() => onReason(code)}>
            <kbd>{i + 1}</kbd> {reasonText(tr, code)}
          </button>
        ))}
      </div>
    </Dialog>
  );
}

export function QtyDialog({ line, onQty }: { line: CartLine; onQty: (thousandths: number) => void }) {
  const { tr } = useT();
  const [error, setError] = useState<string | null>(null);
  const submit = (text: string) => {
    const parsed = parseQuantity(text);
    if (parsed.ok) onQty(parsed.value);
    else setError(tr(`parse.${parsed.error}`));
  };
  return (
    <Dialog title={tr('qty.title', { name: line.name })}>
      <p class="muted">{tr('qty.now', { qty: formatQuantity(line.qty) })}</p>
      <EntryField label={tr('qty.prompt')} name="qty" error={error} onSubmit={submit} />
    </Dialog>
  );
}

/** "10%" → a percentage (≤ 2 decimals), "50" or "50.00" → an amount in minor units. */
export function parseDiscount(
  text: string,
): { ok: true; discount: Omit<Discount, 'reason'> } | { ok: false; error: string } {
  const clean = text.trim();
  if (clean.endsWith('%')) {
    const p = parseScaled(clean.slice(0, -1), 2);
    if (!p.ok) return { ok: false, error: p.error };
    if (p.value <= 0 || p.value > 10_000) return { ok: false, error: 'OUT_OF_RANGE' };
    return { ok: true, discount: { percent: (p.value / 100).toFixed(2).replace(/\.?0+$/, '') } };
  }
  const m = parseMoney(clean);
  if (!m.ok) return { ok: false, error: m.error };
  if (m.value <= 0) return { ok: false, error: 'NOT_POSITIVE' };
  return { ok: true, discount: { amount: m.value } };
}

export function DiscountDialog(props: {
  line: CartLine | null;
  currency: string;
  onApply: (line: CartLine | null, discount: Discount | null) => Promise<string | null>;
}) {
  const { tr } = useT();
  const [target, setTarget] = useState<CartLine | null>(props.line);
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const valueRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => valueRef.current?.focus(), []);
  const current = target ? target.discount : null;
  const submit = async () => {
    if (busy) return;
    let discount: Discount | null = null;
    if (value.trim() !== '') {
      const parsed = parseDiscount(value);
      if (!parsed.ok) return setError(tr(`parse.${parsed.error}` as MessageKey));
      if (reason.trim() === '') {
        reasonRef.current?.focus();
        return setError(tr('cart.REASON_REQUIRED'));
      }
      discount = { ...parsed.discount, reason: reason.trim() };
    }
    setBusy(true);
    const problem = await props.onApply(target, discount);
    setBusy(false);
    if (problem) setError(problem);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'F4' && props.line) {
      e.preventDefault();
      setTarget((t) => (t ? null : props.line));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (e.target === valueRef.current && value.trim() !== '' && reason.trim() === '') reasonRef.current?.focus();
      else void submit();
    }
  };
  return (
    <Dialog title={target ? tr('discount.lineTitle', { name: target.name }) : tr('discount.billTitle')}>
      <div onKeyDown={onKey}>
        {props.line && <p class="muted">{tr('discount.switch')}</p>}
        {current && (
          <p class="muted">
            {tr('discount.current', {
              value: current.percent ? `${current.percent}%` : formatMoney(current.amount ?? 0, props.currency),
            })}
          </p>
        )}
        <Field label={tr('discount.value')} name="discount" inputRef={valueRef} value={value} onValue={setValue} />
        <Field label={tr('discount.reason')} name="reason" inputRef={reasonRef} value={reason} onValue={setReason} />
        <DialogFooter
          error={error}
          label={value.trim() === '' ? tr('discount.remove') : tr('discount.apply')}
          busy={busy}
          onSubmit={() => void submit()}
        />
      </div>
    </Dialog>
  );
}

/** A manager types their PIN to approve what the cashier may not do alone. */
export function ManagerDialog({ onPin }: { onPin: (pin: string) => Promise<string | null> }) {
  const { tr } = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (pin: string) => {
    if (busy) return;
    if (!/^\d{4,6}$/.test(pin)) return setError(tr('signin.pinLength'));
    setBusy(true);
    const problem = await onPin(pin);
    setBusy(false);
    if (problem) setError(problem);
  };
  return (
    <Dialog title={tr('manager.title')}>
      <p>{tr('manager.prompt')}</p>
      <EntryField
        label={tr('manager.pin')}
        name="manager-pin"
        type="password"
        inputMode="numeric"
        error={error}
        onSubmit={(pin) => void submit(pin)}
      />
    </Dialog>
  );
}

/** Keys handled by a dialog without a text field (focus is put on it so the keys reach it). */
function useDialogKeys(onKey: (e: KeyboardEvent) => boolean) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  return {
    ref,
    tabIndex: -1,
    onKeyDown: (e: KeyboardEvent) => {
      if (onKey(e)) e.preventDefault();
    },
  };
}

export function AgeDialog(props: { product: CartProduct; onConfirm: () => void; onRefuse: () => void }) {
  const { tr } = useT();
  const keys = useDialogKeys((e) => {
    if (e.key === 'y' || e.key === 'Y' || e.key === 'Enter') return (props.onConfirm(), true);
    if (e.key === 'n' || e.key === 'N') return (props.onRefuse(), true);
    return false;
  });
  return (
    <Dialog title={tr('age.title')}>
      <div class="choices" {...keys}>
        <p class="age-question">{tr('age.prompt', { name: props.product.name, age: props.product.minAge ?? 18 })}</p>
        <button type="button" class="primary" onClick={props.onConfirm}>
          <kbd>Y</kbd> {tr('age.yes')}
        </button>
        <button type="button" onClick={props.onRefuse}>
          <kbd>N</kbd> {tr('age.no')}
        </button>
      </div>
    </Dialog>
  );
}

export function ConfirmDialog(props: { title: string; text: string; onYes: () => void }) {
  const { tr } = useT();
  const keys = useDialogKeys((e) => (e.key === 'Enter' ? (props.onYes(), true) : false));
  return (
    <Dialog title={props.title}>
      <div class="choices" {...keys}>
        <p>{props.text}</p>
        <button type="button" class="primary" onClick={props.onYes}>
          <kbd>Enter</kbd> {tr('confirm.yes')}
        </button>
        <p class="muted">{tr('help.close')}</p>
      </div>
    </Dialog>
  );
}

/** The lane's small dialogs: shortcut help, weight entry, void reason, cash payment. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CartLine, CartProduct } from '../lib/cart';
import type { MessageKey } from '../lib/i18n';
import { formatMoney, parseMoney, parseQuantity } from '../lib/money';
import { Dialog, useT } from '../ui';

/** Every lane shortcut, in the order the help lists them (F-keys are also on-screen buttons). */
export const SHORTCUTS: readonly (readonly [string, MessageKey])[] = [
  ['F1', 'keys.help'],
  ['F2', 'keys.search'],
  ['F4', 'keys.discount'],
  ['F8', 'keys.hold'],
  ['F9', 'keys.resume'],
  ['F10', 'keys.pay'],
  ['F12', 'keys.void'],
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

/** A text field that submits on Enter and shows the error under it. */
function EntryField(props: {
  label: string;
  error: string | null;
  onSubmit: (text: string) => void;
  onChange?: (text: string) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        ref={ref}
        class="big-input"
        inputMode="decimal"
        autoComplete="off"
        onInput={(e) => props.onChange?.(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          props.onSubmit(e.currentTarget.value);
        }}
      />
      <span class="error-text" role="alert">
        {props.error ?? ''}
      </span>
    </label>
  );
}

export function WeightDialog({ product, onWeight }: { product: CartProduct; onWeight: (thousandths: number) => void }) {
  const { tr } = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const parsed = parseQuantity(text);
    if (parsed.ok) onWeight(parsed.value);
    else setError(tr(`parse.${parsed.error}`));
  };
  return (
    <Dialog title={tr('weight.title', { name: product.name })}>
      <EntryField label={tr('weight.prompt')} error={error} onChange={setText} onSubmit={submit} />
      <button type="button" class="primary wide-button" onClick={submit}>
        <kbd>Enter</kbd> {tr('weight.add')}
      </button>
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
  useEffect(() => ref.current?.focus(), []);
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

export function PayDialog(props: { due: number; currency: string; onPay: (tendered: number, change: string) => void }) {
  const { tr } = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const parsed = text.trim() === '' ? { ok: true as const, value: props.due } : parseMoney(text);
  const change = parsed.ok && parsed.value >= props.due ? formatMoney(parsed.value - props.due, props.currency) : '—';
  const submit = () => {
    if (props.due <= 0) return setError(tr('pay.empty'));
    if (!parsed.ok) return setError(tr(`parse.${parsed.error}`));
    if (parsed.value < props.due) return setError(tr('pay.short'));
    props.onPay(parsed.value, change);
  };
  return (
    <Dialog title={tr('pay.title')}>
      <dl class="pay-sums">
        <dt>{tr('pay.due')}</dt>
        <dd>{formatMoney(props.due, props.currency)}</dd>
        <dt>{tr('pay.change')}</dt>
        <dd>{change}</dd>
      </dl>
      <EntryField label={tr('pay.tendered')} error={error} onChange={setText} onSubmit={submit} />
      <button type="button" class="primary wide-button" onClick={submit}>
        <kbd>Enter</kbd> {tr('pay.confirm')}
      </button>
    </Dialog>
  );
}

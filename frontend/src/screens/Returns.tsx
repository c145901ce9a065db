/** Returns (F11): scan or type the receipt number, choose lines and quantities, reason, refund method, manager PIN. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import type { MessageKey } from '../lib/i18n';
import { errorText } from '../lib/messages';
import { formatMoney, formatQuantity, parseQuantity } from '../lib/money';
import {
  createReturn,
  estimateRefund,
  lookupReceipt,
  REFUND_METHODS,
  RETURN_REASONS,
  returnBody,
  toThousandths,
  type Lookup,
  type ReasonCode,
  type RefundMethod,
} from '../lib/returns';
import { printStatusOf } from '../lib/pos-api';
import { Dialog, useT } from '../ui';
import { EntryField } from './dialogs';
import { DialogFooter, Field, PinField } from './parts';

const METHOD_KEYS = ['F5', 'F6', 'F7'];

export function ReturnsDialog(props: { api: ApiClient; currency: string; onDone: (text: string) => void }) {
  const { lang, tr } = useT();
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const money = (v: number) => formatMoney(v, props.currency);

  async function find(text: string) {
    if (text.trim() === '') return setError(tr('parse.EMPTY'));
    try {
      setLookup(await lookupReceipt(props.api, text));
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404)
        setError(
          e.code === 'HTTP_404' || e.code === 'NOT_FOUND'
            ? tr('returns.unavailable')
            : tr('returns.notFound', { number: text.trim() }),
        );
      else setError(errorText(lang, e));
    }
  }

  if (!lookup)
    return (
      <Dialog title={tr('returns.title')}>
        <EntryField
          label={tr('returns.receipt')}
          name="receipt-number"
          inputMode="text"
          error={error}
          onSubmit={(t) => void find(t)}
        />
        <p class="muted">{tr('help.close')}</p>
      </Dialog>
    );
  return <ReturnLines api={props.api} lookup={lookup} money={money} onDone={props.onDone} />;
}

function ReturnLines(props: {
  api: ApiClient;
  lookup: Lookup;
  money: (v: number) => string;
  onDone: (text: string) => void;
}) {
  const { lang, tr } = useT();
  const { lookup, money } = props;
  const [qtyText, setQtyText] = useState<Record<number, string>>({});
  const [reason, setReason] = useState<ReasonCode | null>(null);
  const [method, setMethod] = useState<RefundMethod>('cash');
  const [reference, setReference] = useState('');
  const [managerPin, setManagerPin] = useState<string | null>(null);
  const [askPin, setAskPin] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keys = useRef(new Map<string, string>());
  const first = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => first.current?.focus(), []);
  useLayoutEffect(() => {
    if (askPin) pinRef.current?.focus();
  }, [askPin]);

  const choices = lookup.lines.map((l) => {
    const parsed = parseQuantity(qtyText[l.lineNo] ?? '');
    return { line: l, qty: parsed.ok ? parsed.value : 0, bad: (qtyText[l.lineNo] ?? '').trim() !== '' && !parsed.ok };
  });
  const refund = choices.reduce((n, c) => n + estimateRefund(c.line, c.qty), 0);

  async function submit(pin: string | null) {
    if (busy) return;
    const picked = choices.filter((c) => c.qty > 0);
    if (choices.some((c) => c.bad)) return setError(tr('parse.FORMAT'));
    if (picked.length === 0) return setError(tr('returns.pickLines'));
    const over = picked.find((c) => c.qty > toThousandths(c.line.returnableQuantity));
    if (over) return setError(tr('returns.tooMany', { name: over.line.name }));
    if (!reason) return setError(tr('returns.pickReason'));
    if (method === 'card' && reference.trim() === '') return setError(tr('tender.REFERENCE_REQUIRED'));
    const body = returnBody(
      lookup,
      picked.map((c) => ({ lineNo: c.line.lineNo, qty: c.qty })),
      reason,
      method,
      pin,
      method === 'card' ? reference.trim() : null,
    );
    // One key per body: a retry of the same request replays; a changed request (PIN added) is a new one.
    const json = JSON.stringify(body);
    const key = keys.current.get(json) ?? crypto.randomUUID();
    keys.current.set(json, key);
    setBusy(true);
    try {
      const out = await createReturn(props.api, body, key);
      const credit = out.storeCreditCode ? ` ${tr('returns.credit', { code: out.storeCreditCode })}` : '';
      const slip = printStatusOf(out);
      const printed =
        slip && slip.status !== 'skipped' ? ` · ${tr(`print.${slip.status}`, { detail: slip.detail })}` : '';
      props.onDone(tr('returns.done', { amount: money(out.totalAmount) }) + credit + printed);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MANAGER_APPROVAL_REQUIRED') {
        setAskPin(true);
        setError(tr('manager.prompt'));
      } else if (e instanceof ApiError && e.code === 'MANAGER_PIN_INVALID') {
        setManagerPin(null);
        setError(tr('manager.invalid'));
      } else setError(e instanceof ApiError && e.status === 400 ? e.message : errorText(lang, e));
    } finally {
      setBusy(false);
    }
  }

  const onKey = (e: KeyboardEvent) => {
    const inPin = e.target === pinRef.current;
    const m = METHOD_KEYS.indexOf(e.key);
    if (m >= 0 && REFUND_METHODS[m]) setMethod(REFUND_METHODS[m]);
    else if (e.altKey && /^[1-5]$/.test(e.key)) setReason(RETURN_REASONS[Number(e.key) - 1] ?? null);
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const inputs = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLInputElement>('input.qty-input')];
      const at = inputs.indexOf(e.target as HTMLInputElement);
      inputs[Math.max(0, Math.min(inputs.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
    } else if (e.key === 'Enter') {
      const pin = inPin ? (e.target as HTMLInputElement).value : managerPin;
      if (inPin) setManagerPin(pin);
      void submit(pin);
    } else return;
    e.preventDefault();
  };

  return (
    <Dialog title={tr('returns.saleTitle', { number: lookup.receiptNumber })} wide>
      <div class="returns" onKeyDown={onKey}>
        <table class="grid">
          <thead>
            <tr>
              <th>{tr('cart.item')}</th>
              <th class="num">{tr('returns.sold')}</th>
              <th class="num">{tr('returns.returnable')}</th>
              <th class="num">{tr('returns.qty')}</th>
              <th class="num">{tr('returns.refund')}</th>
            </tr>
          </thead>
          <tbody>
            {choices.map((c, i) => (
              <tr key={c.line.lineNo}>
                <td>{c.line.name}</td>
                <td class="num">{formatQuantity(toThousandths(c.line.quantity))}</td>
                <td class="num">{formatQuantity(toThousandths(c.line.returnableQuantity))}</td>
                <td class="num">
                  <input
                    ref={i === 0 ? first : null}
                    class={c.bad ? 'qty-input bad' : 'qty-input'}
                    name={`return-qty-${c.line.lineNo}`}
                    inputMode="decimal"
                    autoComplete="off"
                    disabled={c.line.returnableQuantity <= 0}
                    value={qtyText[c.line.lineNo] ?? ''}
                    onInput={(e) => setQtyText({ ...qtyText, [c.line.lineNo]: e.currentTarget.value })}
                  />
                </td>
                <td class="num">{money(estimateRefund(c.line, c.qty))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="muted small">{tr('returns.hint')}</p>
        <div class="methods" role="group" aria-label={tr('returns.reason')}>
          {RETURN_REASONS.map((r, i) => (
            <button type="button" key={r} aria-pressed={r === reason} onClick={() => setReason(r)}>
              <kbd>Alt+{i + 1}</kbd> {tr(`returns.reason.${r}` as MessageKey)}
            </button>
          ))}
        </div>
        <div class="methods" role="group" aria-label={tr('returns.method')}>
          {REFUND_METHODS.map((m, i) => (
            <button type="button" key={m} aria-pressed={m === method} onClick={() => setMethod(m)}>
              <kbd>{METHOD_KEYS[i]}</kbd> {tr(`tender.method.${m}` as MessageKey)}
            </button>
          ))}
        </div>
        {method === 'card' && (
          <Field label={tr('pay.reference')} name="refund-reference" value={reference} onValue={setReference} />
        )}
        {askPin && <PinField inputRef={pinRef} />}
        <div class="change-due">
          <span>{tr('returns.total')}</span>
          <strong data-testid="refund-total">{money(refund)}</strong>
        </div>
        <DialogFooter
          error={error}
          label={tr('returns.confirm')}
          busy={busy}
          onSubmit={() => void submit(managerPin)}
        />
      </div>
    </Dialog>
  );
}

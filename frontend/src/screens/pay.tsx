/** Payment with split tenders (cash, card, wallet), quick cash buttons, change shown large; then the receipt. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import type { MessageKey } from '../lib/i18n';
import { errorText } from '../lib/messages';
import { formatMoney, parseMoney } from '../lib/money';
import { printSale, printStatusOf, receiptText, type PrintStatus, type SaleOut } from '../lib/pos-api';
import type { TenderMethod, TenderWire } from '../lib/sale';
import { checkTender, needsReference, quickCash, settle, type Tender } from '../lib/tenders';
import { Dialog, useT } from '../ui';
import { DialogFooter, Field } from './parts';

const METHODS: readonly (readonly [string, TenderMethod])[] = [
  ['F5', 'cash'],
  ['F6', 'card'],
  ['F7', 'wallet'],
];
const QUICK_KEYS = ['F1', 'F2', 'F3', 'F4'];

export function PayDialog(props: {
  total: number;
  cashOnlyDue: number;
  currency: string;
  onPay: (tenders: TenderWire[], change: number) => void;
}) {
  const { tr } = useT();
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [method, setMethod] = useState<TenderMethod>('cash');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const refRef = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  const money = (v: number) => formatMoney(v, props.currency);
  const now = settle(props.total, props.cashOnlyDue, tenders);
  const remainingFor = (m: TenderMethod) =>
    m === 'cash' ? now.remaining : Math.min(now.remaining, props.total - now.nonCash);
  useLayoutEffect(() => amountRef.current?.focus(), [method]);

  function add(t: Tender) {
    const problem = checkTender(props.total, props.cashOnlyDue, tenders, t);
    if (problem) return setError(tr(`tender.${problem}`));
    const next = [...tenders, t];
    setTenders(next);
    setAmount('');
    setReference('');
    setError(null);
    const s = settle(props.total, props.cashOnlyDue, next);
    if (s.complete && !done.current) {
      done.current = true;
      props.onPay(s.tenders, s.change);
    } else amountRef.current?.focus();
  }

  function submit() {
    let value = remainingFor(method);
    if (amount.trim() !== '') {
      const parsed = parseMoney(amount);
      if (!parsed.ok) return setError(tr(`parse.${parsed.error}`));
      value = parsed.value;
    }
    if (needsReference(method) && reference.trim() === '') {
      refRef.current?.focus();
      return setError(tr('tender.REFERENCE_REQUIRED'));
    }
    add(needsReference(method) ? { method, amount: value, reference: reference.trim() } : { method, amount: value });
  }

  const quick = method === 'cash' ? quickCash(now.remaining) : [];
  const onKey = (e: KeyboardEvent) => {
    const m = METHODS.find(([k]) => k === e.key);
    const q = QUICK_KEYS.indexOf(e.key);
    if (m) setMethod(m[1]);
    else if (q >= 0 && quick[q] !== undefined) add({ method: 'cash', amount: quick[q] });
    else if (e.key === 'Enter') submit();
    else if (e.key === 'Delete' && tenders.length > 0) setTenders(tenders.slice(0, -1));
    else return;
    e.preventDefault();
  };

  return (
    <Dialog title={tr('pay.title')} wide>
      <div class="pay" onKeyDown={onKey}>
        <dl class="pay-sums">
          <dt>{tr('pay.due')}</dt>
          <dd data-testid="pay-due">{money(now.nonCash === 0 ? props.cashOnlyDue : props.total)}</dd>
          <dt>{tr('pay.paid')}</dt>
          <dd>{money(now.nonCash + now.handed)}</dd>
          <dt>{tr('pay.remaining')}</dt>
          <dd data-testid="pay-remaining">{money(now.remaining)}</dd>
        </dl>
        <div class="change-due">
          <span>{tr('pay.change')}</span>
          <strong data-testid="pay-change">{money(now.change)}</strong>
        </div>
        {tenders.length > 0 && (
          <ul class="tenders" data-testid="tenders">
            {tenders.map((t, i) => (
              <li key={i}>
                <span>{tr(`tender.method.${t.method}` as MessageKey)}</span>
                <span class="muted">{t.reference ?? ''}</span>
                <span class="num">{money(t.amount)}</span>
              </li>
            ))}
            <li class="muted small">{tr('pay.removeHint')}</li>
          </ul>
        )}
        <div class="methods" role="group">
          {METHODS.map(([key, m]) => (
            <button type="button" key={m} aria-pressed={m === method} onClick={() => setMethod(m)}>
              <kbd>{key}</kbd> {tr(`tender.method.${m}` as MessageKey)}
            </button>
          ))}
        </div>
        <Field
          label={method === 'cash' ? tr('pay.tendered') : tr('pay.amount')}
          name="amount"
          inputRef={amountRef}
          inputMode="decimal"
          placeholder={formatMoney(remainingFor(method))}
          value={amount}
          onValue={setAmount}
        />
        {needsReference(method) && (
          <Field
            label={tr('pay.reference')}
            name="reference"
            inputRef={refRef}
            value={reference}
            onValue={setReference}
          />
        )}
        {quick.length > 0 && (
          <div class="quick-cash">
            {quick.map((v, i) => (
              <button type="button" key={v} onClick={() => add({ method: 'cash', amount: v })}>
                <kbd>{QUICK_KEYS[i]}</kbd> {i === 0 ? tr('pay.exact') : formatMoney(v)}
              </button>
            ))}
          </div>
        )}
        <DialogFooter error={error} label={tr('pay.addTender')} onSubmit={submit} />
      </div>
    </Dialog>
  );
}

/** After payment: the change, large; the receipt (the API's text) once the server confirmed the sale. */
export function DoneDialog(props: {
  api: ApiClient;
  change: number;
  sale: SaleOut | null;
  currency: string;
  onClose: () => void;
}) {
  const { lang, tr } = useT();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [printed, setPrinted] = useState<PrintStatus | null>(null);
  const [printing, setPrinting] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => setPrinted(printStatusOf(props.sale)), [props.sale?.id]);
  /** R: print on the lane's printer again — the original if it failed, else a COPY (`POST /api/sales/{id}/print`). */
  const retryPrint = async () => {
    if (!props.sale || printing) return;
    setPrinting(true);
    try {
      setPrinted(await printSale(props.api, props.sale.id));
    } catch (e) {
      setPrinted({ status: 'failed', detail: errorText(lang, e), copy: false });
    } finally {
      setPrinting(false);
    }
  };
  useLayoutEffect(() => ref.current?.focus(), []);
  useEffect(() => {
    if (!props.sale) return;
    receiptText(props.api, props.sale.id)
      .then(setText)
      .catch((e: unknown) => setError(errorText(lang, e)));
  }, [props.sale?.id]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') props.onClose();
    else if ((e.key === 'p' || e.key === 'P') && text) window.print();
    else if ((e.key === 'r' || e.key === 'R') && printed && printed.status !== 'skipped') void retryPrint();
    else return;
    e.preventDefault();
  };
  return (
    <Dialog title={tr('done.title')} wide>
      <div class="done" ref={ref} tabIndex={-1} onKeyDown={onKey}>
        <div class="change-due huge">
          <span>{tr('pay.change')}</span>
          <strong data-testid="change-due">{formatMoney(props.change, props.currency)}</strong>
        </div>
        {props.sale ? (
          <p class="ok-text" data-testid="receipt-number">
            {tr('done.receipt', { number: props.sale.receiptNumber })}
          </p>
        ) : (
          <p class="muted" data-testid="receipt-waiting">
            {tr('done.waiting')}
          </p>
        )}
        {printed && (
          <p
            class={`print-status ${printed.status}`}
            data-testid="print-status"
            data-status={printed.status}
            role="status"
          >
            {printing ? tr('print.busy') : tr(`print.${printed.status}`, { detail: printed.detail })}
            {printed.copy && printed.status === 'printed' ? ` (${tr('print.copy')})` : ''}
          </p>
        )}
        {text && (
          <pre class="receipt" data-testid="receipt-text">
            {text}
          </pre>
        )}
        {error && (
          <p class="error-text" role="alert">
            {error}
          </p>
        )}
        <div class="done-actions">
          <button type="button" disabled={!text} onClick={() => window.print()}>
            <kbd>P</kbd> {tr('done.print')}
          </button>
          {printed && printed.status !== 'skipped' && (
            <button type="button" data-testid="print-retry" disabled={printing} onClick={() => void retryPrint()}>
              <kbd>R</kbd> {printed.status === 'printed' ? tr('print.again') : tr('print.retry')}
            </button>
          )}
          <button type="button" class="primary" onClick={props.onClose}>
            <kbd>Enter</kbd> {tr('done.next')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

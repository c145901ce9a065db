/**
 * Shift screens of the lane: open with a float, the shift menu (Alt+S), X report, cash in/out/drop/pickup/petty,
 * no-sale, Z close with the declared cash (a total or counted by denomination) and the Z reprint (COPY).
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import type { MessageKey } from '../lib/i18n';
import { errorText } from '../lib/messages';
import { formatMoney, parseMoney } from '../lib/money';
import {
  addMovement,
  closeShift,
  countCash,
  MOVEMENT_KINDS,
  noSale,
  parseCount,
  type MovementKind,
  type ReportLabels,
  type Shift,
  type ZReport,
} from '../lib/shifts';
import { Dialog, useT } from '../ui';
import { EntryField } from './dialogs';
import { DialogFooter, Field, PinField } from './parts';

type Tr = ReturnType<typeof useT>['tr'];

/** The problem of a shift call as text: a manager's approval and a wrong PIN get their own words. */
function shiftError(tr: Tr, lang: Parameters<typeof errorText>[0], e: unknown): string {
  if (e instanceof ApiError && e.code === 'MANAGER_PIN_INVALID') return tr('manager.invalid');
  if (e instanceof ApiError && e.status < 500 && e.status !== 401) return e.message;
  return errorText(lang, e);
}

export function ShiftOpenDialog(props: { terminal: string; onOpen: (float: number) => Promise<string | null> }) {
  const { tr } = useT();
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const submit = async (text: string) => {
    if (busy.current) return;
    const parsed = parseMoney(text);
    if (!parsed.ok || parsed.value < 0) return setError(tr(`parse.${parsed.ok ? 'NOT_POSITIVE' : parsed.error}`));
    busy.current = true;
    const problem = await props.onOpen(parsed.value);
    busy.current = false;
    if (problem) setError(problem);
  };
  return (
    <Dialog title={tr('shift.openTitle', { terminal: props.terminal })}>
      <p>{tr('shift.openPrompt')}</p>
      <EntryField label={tr('shift.float')} name="float" error={error} onSubmit={(t) => void submit(t)} />
      <p class="muted small">{tr('shift.openHint')}</p>
    </Dialog>
  );
}

export type ShiftAction = 'x' | 'cash' | 'noSale' | 'z' | 'reprintZ';
const MENU: readonly (readonly [ShiftAction, MessageKey])[] = [
  ['x', 'shift.x'],
  ['cash', 'shift.cash'],
  ['noSale', 'shift.noSale'],
  ['z', 'shift.z'],
  ['reprintZ', 'shift.reprintZ'],
];

export function ShiftMenu(props: { shift: Shift | null; onPick: (a: ShiftAction) => void }) {
  const { tr } = useT();
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  const s = props.shift;
  const enabled = (a: ShiftAction) => a === 'reprintZ' || s !== null;
  const onKey = (e: KeyboardEvent) => {
    const item = MENU[Number(e.key) - 1];
    if (!item || !/^\d$/.test(e.key) || !enabled(item[0])) return;
    e.preventDefault();
    props.onPick(item[0]);
  };
  return (
    <Dialog title={tr('shift.menu')}>
      <p class="muted" data-testid="shift-info">
        {s
          ? tr('shift.info', { id: s.id, name: s.openedByName, float: formatMoney(s.openingFloat, s.currency) })
          : tr('shift.none')}
      </p>
      <div class="choices" ref={ref} tabIndex={-1} onKeyDown={onKey}>
        {MENU.map(([a, label], i) => (
          <button type="button" key={a} disabled={!enabled(a)} onClick={() => props.onPick(a)}>
            <kbd>{i + 1}</kbd> {tr(label)}
          </button>
        ))}
      </div>
    </Dialog>
  );
}

/** A report as fixed-width text: P prints it through the browser, Enter closes. */
export function ReportDialog(props: {
  title: string;
  text: string;
  note?: string | null;
  noteTone?: string | null;
  onClose: () => void;
}) {
  const { tr } = useT();
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') props.onClose();
    else if (e.key === 'p' || e.key === 'P') window.print();
    else return;
    e.preventDefault();
  };
  return (
    <Dialog title={props.title} wide>
      <div class="done" ref={ref} tabIndex={-1} onKeyDown={onKey}>
        {props.note && (
          <p class={`big-note ${props.noteTone ?? ''}`} data-testid="report-note">
            {props.note}
          </p>
        )}
        <pre class="receipt" data-testid="report-text">
          {props.text}
        </pre>
        <div class="done-actions">
          <button type="button" onClick={() => window.print()}>
            <kbd>P</kbd> {tr('done.print')}
          </button>
          <button type="button" class="primary" onClick={props.onClose}>
            <kbd>Enter</kbd> {tr('shift.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

export function reportLabels(tr: Tr, kind: 'x' | 'z'): ReportLabels {
  return {
    title: kind === 'x' ? tr('shift.xTitle') : tr('shift.zTitle'),
    shift: tr('shift.shift'),
    opened: tr('shift.opened'),
    sales: tr('shift.sales'),
    discounts: tr('shift.discounts'),
    tax: tr('shift.tax'),
    total: tr('lane.total'),
    refunds: tr('shift.refunds'),
    voids: tr('shift.voids'),
    noSales: tr('shift.noSales'),
    cash: tr('shift.cashDrawer'),
    float: tr('shift.float'),
    cashTendered: tr('shift.cashTendered'),
    change: tr('pay.change'),
    cashIn: tr('shift.kind.cash_in'),
    cashOut: tr('shift.kind.cash_out'),
    drops: tr('shift.kind.drop'),
    pickups: tr('shift.kind.pickup'),
    petty: tr('shift.kind.petty'),
    expected: tr('shift.expected'),
    declared: tr('shift.declared'),
    variance: tr('shift.variance'),
    tender: (m) =>
      ['cash', 'card', 'wallet'].includes(m) ? tr(`tender.method.${m as 'cash'}` as MessageKey) : m.replace(/_/g, ' '),
  };
}

/** One Idempotency-Key per distinct body (a retry of the same movement repeats its key). */
function useIdempotencyKeys() {
  const keys = useRef(new Map<string, string>());
  return (body: unknown) => {
    const id = JSON.stringify(body);
    let key = keys.current.get(id);
    if (!key) {
      key = crypto.randomUUID();
      keys.current.set(id, key);
    }
    return key;
  };
}

/**
 * What the shift dialogs with a manager's PIN share: the PIN field's ref, the error line, `pin(needed)` (the typed
 * PIN, or null after asking for it when one is needed) and `send(call)` (one call at a time: a second Enter while
 * it runs does nothing; a refusal clears the PIN and shows why, unless `refused` handles it).
 */
function usePinnedCall() {
  const { lang, tr } = useT();
  const [error, setError] = useState<string | null>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const busy = useRef(false);
  const pin = (needed: boolean): string | null => {
    const typed = pinRef.current?.value.trim() ?? '';
    if (!needed || typed !== '') return typed;
    pinRef.current?.focus();
    setError(tr('shift.needsManager'));
    return null;
  };
  const send = async (call: () => Promise<void>, refused?: (e: unknown) => boolean) => {
    if (busy.current) return;
    busy.current = true;
    try {
      await call();
    } catch (e) {
      if (refused?.(e)) return;
      if (pinRef.current) pinRef.current.value = '';
      setError(shiftError(tr, lang, e));
    } finally {
      busy.current = false;
    }
  };
  return { error, setError, pinRef, pin, send };
}

/** Cash in / out / drop / pickup / petty: Alt+1–5 picks the kind; amount, reason; a manager PIN when asked. */
export function CashDialog(props: { api: ApiClient; shift: Shift; onDone: (text: string) => void }) {
  const { tr } = useT();
  const [kind, setKind] = useState<MovementKind>('cash_out');
  const [askPin, setAskPin] = useState(false);
  const { error, setError, pinRef, pin, send } = usePinnedCall();
  const amountRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const keyFor = useIdempotencyKeys();
  useLayoutEffect(() => amountRef.current?.focus(), []);
  useLayoutEffect(() => {
    if (askPin) pinRef.current?.focus();
  }, [askPin]);

  const submit = async () => {
    const amount = parseMoney(amountRef.current?.value ?? '');
    if (!amount.ok || amount.value <= 0) {
      amountRef.current?.focus();
      return setError(tr(`parse.${amount.ok ? 'NOT_POSITIVE' : amount.error}`));
    }
    const reason = (reasonRef.current?.value ?? '').trim();
    if (reason === '') {
      reasonRef.current?.focus();
      return setError(tr('cart.REASON_REQUIRED'));
    }
    const managerPin = pin(false);
    const body = { kind, amount: amount.value, reason, ...(askPin && managerPin ? { managerPin } : {}) };
    // The server says when a movement needs a manager: then the PIN field appears.
    const needsManager = (e: unknown) => {
      if (!(e instanceof ApiError && e.code === 'MANAGER_APPROVAL_REQUIRED')) return false;
      setAskPin(true);
      setError(tr('shift.needsManager'));
      return true;
    };
    await send(async () => {
      await addMovement(props.api, props.shift.id, body, keyFor(body));
      props.onDone(
        tr('shift.cashDone', {
          kind: tr(`shift.kind.${kind}`),
          amount: formatMoney(amount.value, props.shift.currency),
        }),
      );
    }, needsManager);
  };
  const onKey = (e: KeyboardEvent) => {
    const k = e.altKey ? MOVEMENT_KINDS[Number(e.key) - 1] : undefined;
    if (k) {
      e.preventDefault();
      return setKind(k);
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (e.target === amountRef.current && (reasonRef.current?.value ?? '') === '') reasonRef.current?.focus();
    else if (askPin && e.target !== pinRef.current && (pinRef.current?.value ?? '') === '') pinRef.current?.focus();
    else void submit();
  };
  return (
    <Dialog title={tr('shift.cash')}>
      <div onKeyDown={onKey}>
        <div class="methods" role="group">
          {MOVEMENT_KINDS.map((k, i) => (
            <button type="button" key={k} aria-pressed={k === kind} onClick={() => setKind(k)}>
              <kbd>Alt+{i + 1}</kbd> {tr(`shift.kind.${k}`)}
            </button>
          ))}
        </div>
        <Field label={tr('pay.amount')} name="cash-amount" inputMode="decimal" inputRef={amountRef} />
        <Field label={tr('discount.reason')} name="cash-reason" inputRef={reasonRef} />
        {askPin && <PinField inputRef={pinRef} />}
        <DialogFooter error={error} label={tr('shift.record')} onSubmit={() => void submit()} />
      </div>
    </Dialog>
  );
}

/** No sale: opens the drawer with a reason (a cashier needs a manager's PIN). */
export function NoSaleDialog(props: {
  api: ApiClient;
  shift: Shift;
  needsPin: boolean;
  onDone: (text: string, tone?: 'ok' | 'error') => void;
}) {
  const { tr } = useT();
  const { error, setError, pinRef, pin, send } = usePinnedCall();
  const reasonRef = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => reasonRef.current?.focus(), []);
  const submit = async () => {
    const reason = (reasonRef.current?.value ?? '').trim();
    if (reason === '') return setError(tr('cart.REASON_REQUIRED'));
    const managerPin = pin(props.needsPin);
    if (managerPin === null) return;
    await send(async () => {
      const out = await noSale(props.api, props.shift.id, { reason, ...(managerPin ? { managerPin } : {}) });
      // the no-sale is recorded either way; a drawer that did not open is the cashier's problem to see at once
      const state = ['opened', 'failed', 'pending', 'not_connected'].includes(out.drawer)
        ? tr(`drawer.${out.drawer}` as MessageKey)
        : out.drawer;
      props.onDone(tr('shift.noSaleDone', { drawer: state }), out.drawer === 'opened' ? 'ok' : 'error');
    });
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (e.target === reasonRef.current && props.needsPin && (pinRef.current?.value ?? '') === '')
      pinRef.current?.focus();
    else void submit();
  };
  return (
    <Dialog title={tr('shift.noSale')}>
      <div onKeyDown={onKey}>
        <Field label={tr('discount.reason')} name="nosale-reason" inputRef={reasonRef} />
        {props.needsPin && <PinField inputRef={pinRef} />}
        <DialogFooter error={error} />
      </div>
    </Dialog>
  );
}

/**
 * Z close: the counted cash as one total, or (F2) counted by denomination (↑ ↓ move, the total adds up as you
 * type). The expected cash is not shown (a blind count); the Z shows the variance.
 */
export function ZCloseDialog(props: {
  api: ApiClient;
  shift: Shift;
  needsPin: boolean;
  /** Notes and coins of the count grid (the store's settings), largest first. */
  denominations: readonly number[];
  onClosed: (z: ZReport) => void;
}) {
  const { tr } = useT();
  const [byDenomination, setByDenomination] = useState(false);
  const [counts, setCounts] = useState<Record<number, number>>({});
  const [badCount, setBadCount] = useState(false);
  const { error, setError, pinRef, pin, send } = usePinnedCall();
  const totalRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (byDenomination) gridRef.current?.querySelector('input')?.focus();
    else totalRef.current?.focus();
  }, [byDenomination]);
  const counted = countCash(counts);
  const money = (v: number) => formatMoney(v, props.shift.currency);

  const submit = async () => {
    let body: { declaredCash?: number; denominations?: { value: number; count: number }[]; managerPin?: string };
    if (byDenomination) {
      if (badCount) return setError(tr('parse.FORMAT'));
      body = { denominations: counted.denominations, declaredCash: counted.total };
    } else {
      const parsed = parseMoney(totalRef.current?.value ?? '');
      if (!parsed.ok || parsed.value < 0) {
        totalRef.current?.focus();
        return setError(tr(`parse.${parsed.ok ? 'NOT_POSITIVE' : parsed.error}`));
      }
      body = { declaredCash: parsed.value };
    }
    const managerPin = pin(props.needsPin);
    if (managerPin === null) return;
    if (managerPin) body.managerPin = managerPin;
    await send(async () => props.onClosed(await closeShift(props.api, props.shift.id, body)));
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'F2') {
      e.preventDefault();
      return setByDenomination((b) => !b);
    }
    const inGrid = e.target instanceof HTMLInputElement && e.target.name.startsWith('den-');
    if (inGrid && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const inputs = [...(gridRef.current?.querySelectorAll('input') ?? [])];
      const at = inputs.indexOf(e.target as HTMLInputElement);
      inputs[Math.max(0, Math.min(inputs.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
      return;
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (e.target !== pinRef.current && props.needsPin && (pinRef.current?.value ?? '') === '') pinRef.current?.focus();
    else void submit();
  };
  const onCount = (value: number, text: string) => {
    const n = parseCount(text);
    setBadCount(n === null);
    setCounts((c) => ({ ...c, [value]: n ?? 0 }));
  };
  return (
    <Dialog title={tr('shift.zTitle')} wide>
      <div onKeyDown={onKey}>
        <p class="muted">{tr('shift.zPrompt', { id: props.shift.id })}</p>
        <p class="muted small">{tr('shift.zSwitch')}</p>
        {byDenomination ? (
          <div class="denominations" ref={gridRef}>
            {props.denominations.map((v) => (
              <label key={v} class="den-row">
                <span class="num">{formatMoney(v)}</span>
                <span>×</span>
                <input
                  name={`den-${v}`}
                  class="den-count"
                  inputMode="numeric"
                  autoComplete="off"
                  onInput={(e) => onCount(v, e.currentTarget.value)}
                />
                <span class="num muted">{formatMoney(v * (counts[v] ?? 0))}</span>
              </label>
            ))}
            <p class="den-total">
              {tr('shift.counted')} <strong data-testid="counted-total">{money(counted.total)}</strong>
            </p>
          </div>
        ) : (
          <Field label={tr('shift.declared')} name="declared" inputMode="decimal" inputRef={totalRef} />
        )}
        {props.needsPin && <PinField inputRef={pinRef} />}
        <DialogFooter error={error} label={tr('shift.zClose')} onSubmit={() => void submit()} />
      </div>
    </Dialog>
  );
}

/** `short`, `over` or `balanced`: how the counted cash compares with the expected cash. */
export const varianceTone = (z: ZReport): string => {
  const v = z.report.cash.variance ?? 0;
  return v === 0 ? 'balanced' : v < 0 ? 'short' : 'over';
};

/** "Variance: −12.50 (short)" / "+5.00 (over)" / "0.00 (balanced)" for the Z screen. */
export function varianceNote(tr: Tr, z: ZReport): string {
  const v = z.report.cash.variance ?? 0;
  const word = v === 0 ? tr('shift.balanced') : v < 0 ? tr('shift.short') : tr('shift.over');
  return tr('shift.varianceNote', { amount: `${v > 0 ? '+' : ''}${formatMoney(v, z.report.currency)}`, word });
}

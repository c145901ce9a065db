/** The lane: one always-focused scan field, the cart, the total, the outbox counter and F-key actions. */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import { totals } from '../lib/cart';
import type { MessageKey } from '../lib/i18n';
import { formatMoney, formatQuantity } from '../lib/money';
import type { Outbox } from '../lib/outbox';
import { can, type Session } from '../lib/pos-api';
import { WedgeDetector } from '../lib/wedge';
import { LangSwitch, useT } from '../ui';
import { CartTable } from './CartTable';
import {
  AgeDialog,
  ConfirmDialog,
  DiscountDialog,
  HelpDialog,
  ManagerDialog,
  QtyDialog,
  VoidDialog,
  WeightDialog,
} from './dialogs';
import { toCartProduct, useLane, type LaneState } from './lane-state';
import { DoneDialog, PayDialog } from './pay';
import { OutboxDialog } from './OutboxDialog';
import { CustomerDialog, ResumeDialog } from './pickers';
import { ReturnsDialog } from './Returns';
import { SearchDialog } from './SearchDialog';
import { CashDialog, NoSaleDialog, ReportDialog, ShiftMenu, ShiftOpenDialog, ZCloseDialog } from './Shift';
import { effectiveTier } from '../lib/sale';

interface Props {
  api: ApiClient;
  session: Session;
  terminal: string;
  outbox: Outbox | null;
  systemError: string | null;
  /** The session is locked (inactivity): keys go to the lock screen, the cart stays. */
  locked: boolean;
  onSignOut: () => void;
}

type Action =
  | 'help'
  | 'search'
  | 'qty'
  | 'discount'
  | 'customer'
  | 'tier'
  | 'newSale'
  | 'hold'
  | 'resume'
  | 'pay'
  | 'returns'
  | 'void';

const F_KEYS: readonly (readonly [string, Action, MessageKey])[] = [
  ['F1', 'help', 'keys.help'],
  ['F2', 'search', 'keys.search'],
  ['F3', 'qty', 'keys.qty'],
  ['F4', 'discount', 'keys.discount'],
  ['F5', 'customer', 'keys.customer'],
  ['F6', 'tier', 'keys.tier'],
  ['F7', 'newSale', 'keys.newSale'],
  ['F8', 'hold', 'keys.hold'],
  ['F9', 'resume', 'keys.resume'],
  ['F11', 'returns', 'keys.returns'],
  ['F12', 'void', 'keys.void'],
  ['F10', 'pay', 'keys.pay'], // last: the one full-width button under the others
];

function useAction(lane: LaneState) {
  const { tr } = useT();
  return (action: Action) => {
    const hasLines = totals(lane.cart).lines > 0;
    switch (action) {
      case 'help':
        return lane.setOverlay({ kind: 'help' });
      case 'search':
        return lane.setOverlay({ kind: 'search', query: '' });
      case 'pay':
        if (hasLines && lane.needShift()) return;
        if (hasLines) return lane.setOverlay({ kind: 'pay' });
        return lane.setNotice({ tone: 'info', text: tr('pay.empty') });
      case 'void':
        return lane.openFor('void');
      case 'qty':
        return lane.openFor('qty');
      case 'discount':
        if (!hasLines) return lane.setNotice({ tone: 'info', text: tr('pay.empty') });
        return lane.setOverlay({ kind: 'discount', line: lane.selectedLine() });
      case 'customer':
        return lane.setOverlay({ kind: 'customer' });
      case 'tier':
        return lane.cycleTier();
      case 'newSale':
        return hasLines ? lane.setOverlay({ kind: 'newSale' }) : lane.newSale();
      case 'hold':
        return void lane.hold();
      case 'resume':
        return lane.setOverlay({ kind: 'resume' });
      case 'returns':
        return lane.setOverlay({ kind: 'returns' });
    }
  };
}

/**
 * A key that arrives while a dialog is open but the focus is outside it (a click on the backdrop, a dialog whose
 * field is not focused yet) goes to the dialog instead of being lost: the dialog's first field (or its key
 * target) takes the focus, a character is typed into it, any other key is handed to it as a keydown.
 */
export function redirectToDialog(e: KeyboardEvent): void {
  const dialog = document.querySelector('.backdrop .dialog');
  if (!dialog || (e.target instanceof Node && dialog.contains(e.target))) return;
  const target =
    dialog.querySelector<HTMLElement>('input:not([disabled])') ?? dialog.querySelector<HTMLElement>('[tabindex="-1"]');
  if (!target) return;
  e.preventDefault();
  target.focus();
  const printable = e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey;
  if (printable && target instanceof HTMLInputElement) {
    target.setRangeText(
      e.key,
      target.selectionStart ?? target.value.length,
      target.selectionEnd ?? target.value.length,
      'end',
    );
    target.dispatchEvent(new Event('input', { bubbles: true }));
  } else {
    const init = { key: e.key, code: e.code, ctrlKey: e.ctrlKey, altKey: e.altKey, shiftKey: e.shiftKey };
    target.dispatchEvent(new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true }));
  }
}

/** Route every key on the page: dialogs first, then F-keys, then the scanner/typing into the wedge. */
function useKeys(
  lane: LaneState,
  act: (a: Action) => void,
  wedge: WedgeDetector,
  setScanText: (s: string) => void,
  locked: { current: boolean },
) {
  const handler = useRef<(e: KeyboardEvent) => void>(() => undefined);
  handler.current = (e: KeyboardEvent) => {
    if (locked.current) return;
    // A dialog that handled the key prevents its default. Preact may already have re-rendered with the
    // dialog closed by the time the key bubbles here, so without this check it would also reach the wedge.
    if (e.defaultPrevented || e.isComposing) return;
    const fkey = F_KEYS.find(([k]) => k === e.key);
    if (/^F\d{1,2}$/.test(e.key)) e.preventDefault(); // F1 help, F5 reload, F12 devtools… belong to the lane
    if (lane.overlay) {
      const closesHelp = lane.overlay.kind === 'help' && (e.key === 'F1' || e.key === '?');
      if (e.key === 'Escape' || closesHelp) lane.setOverlay(null);
      else redirectToDialog(e);
      return;
    }
    if (fkey) return act(fkey[1]);
    if (e.altKey && (e.key === 's' || e.key === 'S'))
      return void (e.preventDefault(), lane.setOverlay({ kind: 'shiftMenu' }));
    if (e.altKey && (e.key === 'o' || e.key === 'O'))
      return void (e.preventDefault(), lane.setOverlay({ kind: 'outbox' }));
    if (e.key === '?' && wedge.text() === '') return void (e.preventDefault(), act('help'));
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown')
      return void (e.preventDefault(), lane.moveSelection(e.key === 'ArrowUp' ? -1 : 1));
    if (e.ctrlKey || e.altKey || e.metaKey || e.key === 'Tab') return;
    if (e.key === 'Escape') lane.setNextQty(null);
    e.preventDefault();
    const event = wedge.key(e.key, e.timeStamp);
    setScanText(wedge.text());
    if (event) lane.onWedge(event);
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => handler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

function TopBar(props: {
  session: Session;
  terminal: string;
  pending: number;
  attention: number;
  shift: LaneState['shift'];
  onShift: () => void;
  onOutbox: () => void;
  onSignOut: () => void;
}) {
  const { tr } = useT();
  const s = props.shift;
  return (
    <header class="topbar">
      <strong class="brand">{tr('app.title')}</strong>
      <span>{tr('signin.terminal', { terminal: props.terminal })}</span>
      <span>{tr('lane.cashier', { name: props.session.user.displayName })}</span>
      <span class={props.pending > 0 ? 'badge warn' : 'badge'} role="status">
        {tr('lane.pending', { count: props.pending })}
      </span>
      {props.attention > 0 && (
        <button
          type="button"
          class="badge danger"
          role="alert"
          data-testid="attention"
          title="Alt+O"
          onClick={props.onOutbox}
        >
          {tr('lane.attention', { count: props.attention })}
        </button>
      )}
      <span class="spacer" />
      {s && s.kind !== 'unsupported' && (
        <button
          type="button"
          class={s.kind === 'open' ? 'ghost shift-chip' : 'ghost shift-chip warn'}
          data-testid="shift-chip"
          onClick={props.onShift}
        >
          <kbd>Alt+S</kbd>{' '}
          {s.kind === 'open'
            ? tr('shift.chip', { id: s.shift.id })
            : s.kind === 'none'
              ? tr('shift.none')
              : tr('shift.unknown')}
        </button>
      )}
      <LangSwitch />
      <button type="button" class="ghost" onClick={props.onSignOut}>
        {tr('lane.signOut')}
      </button>
    </header>
  );
}

function Overlays({
  lane,
  api,
  session,
  terminal,
  total,
  cashOnlyDue,
}: {
  lane: LaneState;
  api: ApiClient;
  session: Session;
  terminal: string;
  total: number;
  cashOnlyDue: number;
}) {
  const { lang, tr } = useT();
  const o = lane.overlay;
  if (!o) return null;
  const currency = lane.settings.currency;
  const close = () => lane.setOverlay(null);
  switch (o.kind) {
    case 'help':
      return <HelpDialog />;
    case 'search':
      return (
        <SearchDialog
          api={api}
          initialQuery={o.query}
          onPick={(p) => (close(), lane.addProduct(toCartProduct(p, lang), null))}
        />
      );
    case 'weight':
      return <WeightDialog product={o.product} api={api} onWeight={(w) => (close(), lane.addProduct(o.product, w))} />;
    case 'void':
      return <VoidDialog line={o.line} onReason={(r) => lane.confirmVoid(o.line.lineId, r)} />;
    case 'qty':
      return <QtyDialog line={o.line} onQty={(q) => lane.changeQty(o.line.lineId, q)} />;
    case 'discount':
      return <DiscountDialog line={o.line} currency={currency} onApply={lane.applyDiscount} />;
    case 'manager':
      return <ManagerDialog onPin={o.then} />;
    case 'customer':
      return <CustomerDialog api={api} current={lane.ctx.customer} onPick={lane.attachCustomer} />;
    case 'age':
      return (
        <AgeDialog
          product={o.product}
          onConfirm={() => lane.confirmAge(o.product, o.qty)}
          onRefuse={() => (
            close(),
            lane.setNotice({ tone: 'info', text: tr('age.refused', { name: o.product.name }) })
          )}
        />
      );
    case 'newSale':
      return <ConfirmDialog title={tr('keys.newSale')} text={tr('newSale.confirm')} onYes={lane.newSale} />;
    case 'resume':
      return <ResumeDialog api={api} currency={currency} onPick={(h) => void lane.resume(h)} />;
    case 'returns':
      return (
        <ReturnsDialog
          api={api}
          currency={currency}
          onDone={(text) => (close(), lane.setNotice({ tone: 'ok', text }))}
        />
      );
    case 'pay':
      return (
        <PayDialog total={total} cashOnlyDue={cashOnlyDue} currency={currency} onPay={(t, c) => void lane.pay(t, c)} />
      );
    case 'done':
      return <DoneDialog api={api} change={o.change} sale={o.sale} currency={currency} onClose={close} />;
    case 'outbox':
      return lane.outbox ? (
        <OutboxDialog
          outbox={lane.outbox}
          currency={currency}
          onRetry={lane.retryOutbox}
          onDiscard={lane.discardOutbox}
        />
      ) : null;
    case 'shiftOpen':
      return <ShiftOpenDialog terminal={terminal} onOpen={lane.startShift} />;
    case 'shiftMenu':
      return <ShiftMenu shift={lane.openShiftNow} onPick={(a) => void lane.shiftAction(a)} />;
    case 'report':
      return <ReportDialog title={o.title} text={o.text} note={o.note} noteTone={o.tone ?? null} onClose={close} />;
    case 'cash':
    case 'noSale':
    case 'zClose': {
      const s = lane.openShiftNow;
      if (!s) return null;
      const done = (text: string, tone: 'ok' | 'error' = 'ok') => (close(), lane.setNotice({ tone, text }));
      if (o.kind === 'cash') return <CashDialog api={api} shift={s} onDone={done} />;
      if (o.kind === 'noSale')
        return <NoSaleDialog api={api} shift={s} needsPin={!can(session, 'drawer.open')} onDone={done} />;
      return (
        <ZCloseDialog
          api={api}
          shift={s}
          needsPin={!can(session, 'shifts.z_close')}
          denominations={lane.settings.denominations}
          onClosed={lane.shiftClosed}
        />
      );
    }
  }
}

export function Lane(props: Props) {
  const { tr } = useT();
  const lane = useLane(props);
  const act = useAction(lane);
  const wedge = useMemo(() => new WedgeDetector(), []);
  const [scanText, setScanText] = useState('');
  const scan = useRef<HTMLInputElement>(null);
  const overlayOpen = useRef(false);
  overlayOpen.current = lane.overlay !== null || props.locked;
  const locked = useRef(props.locked);
  locked.current = props.locked;
  useKeys(lane, act, wedge, setScanText, locked);
  useEffect(() => {
    // "Ready to scan" for `make bench-ui`: the lane is mounted, its scan field focused, the outbox open.
    if (props.outbox) performance.mark('pos:lane-ready');
  }, [props.outbox]);
  // Synchronously when a dialog closes (a layout effect): the next key, however fast, finds the scan field.
  useLayoutEffect(() => {
    if (!lane.overlay && !props.locked) scan.current?.focus();
  }, [lane.overlay, props.locked]);
  const sums = totals(lane.cart);
  const q = lane.quote && lane.quote.cart === lane.cart && lane.quote.ctx === lane.ctx ? lane.quote : null;
  const priced = q?.quote ?? null;
  const total = priced?.totals.totalAmount ?? sums.total;
  const cashOnlyDue = priced?.amountDueCash ?? total;
  const tier = effectiveTier(lane.ctx);
  const currency = lane.settings.currency;
  const notice = lane.busy ? { tone: 'info', text: tr('lane.lookupBusy', { code: lane.busy }) } : lane.notice;

  return (
    <div class="lane">
      <TopBar
        session={props.session}
        terminal={props.terminal}
        {...lane.counts}
        shift={lane.shift}
        onShift={() => lane.setOverlay({ kind: 'shiftMenu' })}
        onOutbox={() => lane.setOverlay({ kind: 'outbox' })}
        onSignOut={props.onSignOut}
      />
      {props.systemError && (
        <div class="notice error system" role="alert">
          {props.systemError}
        </div>
      )}
      <section class="scanbar">
        <label for="scan">{tr('lane.scanLabel')}</label>
        <div class="scan-row">
          <input
            id="scan"
            ref={scan}
            class="scan-input"
            value={scanText}
            autoComplete="off"
            spellcheck={false}
            onBlur={() => setTimeout(() => overlayOpen.current || scan.current?.focus(), 0)}
          />
          {lane.nextQty !== null && (
            <span class="chip">{tr('lane.nextQty', { qty: formatQuantity(lane.nextQty) })}</span>
          )}
        </div>
        <div class={`notice ${notice?.tone ?? ''}`} role="status" aria-live="polite">
          {notice?.text ?? '\u00a0'}
        </div>
      </section>
      <main class="lane-body">
        <CartTable
          cart={lane.cart}
          priced={priced?.lines ?? null}
          selected={lane.selected}
          onSelect={lane.setSelected}
        />
        <aside class="side">
          <div class="total-box">
            <div class="sale-info">
              <span class={tier === 'retail' ? 'chip plain' : 'chip'} data-testid="tier">
                {tr('tier.label', { tier: tr(`tier.${tier}`) })}
              </span>
              {lane.ctx.customer && (
                <span class="chip plain" data-testid="customer">
                  {lane.ctx.customer.name}
                </span>
              )}
              {lane.ctx.heldSaleId !== null && (
                <span class="chip plain">{tr('resume.chip', { id: lane.ctx.heldSaleId })}</span>
              )}
            </div>
            <div class="total-label">{tr('lane.total')}</div>
            <div class={priced ? 'total priced' : 'total'} data-testid="total">
              {formatMoney(total, currency)}
            </div>
            <div>{tr('lane.items', { count: sums.items })}</div>
            {priced && priced.totals.lineDiscount + priced.totals.billDiscount > 0 && (
              <div data-testid="savings">
                {tr('lane.savings', {
                  amount: formatMoney(priced.totals.lineDiscount + priced.totals.billDiscount, currency),
                })}
              </div>
            )}
            {priced?.billAdjustments.map((a, i) => (
              <div key={i} class="small">
                {a.text} {formatMoney(a.amount)}
              </div>
            ))}
            {priced && priced.totals.taxAmount > 0 && (
              <div class="muted small">
                {tr('lane.tax', { amount: formatMoney(priced.totals.taxAmount, currency) })}
              </div>
            )}
            {!priced && sums.lines > 0 && <div class="muted small">{q?.error ? q.error : tr('lane.estimate')}</div>}
          </div>
          <div class="fkeys">
            {F_KEYS.map(([key, action, label]) => (
              <button
                type="button"
                key={key}
                class={action === 'pay' ? 'fkey pay' : 'fkey'}
                onClick={() => act(action)}
              >
                <kbd>{key}</kbd>
                <span>{tr(label)}</span>
              </button>
            ))}
          </div>
        </aside>
      </main>
      <Overlays
        lane={lane}
        api={props.api}
        session={props.session}
        terminal={props.terminal}
        total={total}
        cashOnlyDue={cashOnlyDue}
      />
    </div>
  );
}

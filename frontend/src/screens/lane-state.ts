/** The lane's state and actions: scans in order, cart changes, the server's quote, overlays, the outbox. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import {
  addItem,
  addWeighed,
  cartOf,
  emptyCart,
  isActive,
  lastActiveLine,
  setLineDiscount,
  setQuantity,
  voidLine,
  type Cart,
  type CartLine,
  type CartProduct,
  type CartResult,
  type Discount,
} from '../lib/cart';
import { commandFor, type LaneCommand } from '../lib/entry';
import { heldSaleBody, holdSale, resumeHeld, type HeldSale } from '../lib/holds';
import { errorText, lookupErrorText } from '../lib/messages';
import { QTY_ONE } from '../lib/money';
import type { Outbox, OutboxCounts } from '../lib/outbox';
import { cartNeedsApproval } from '../lib/approval';
import { DEFAULT_SETTINGS, loadSettings, thresholdOf, type StoreSettings } from '../lib/storeinfo';
import {
  can,
  displayIdle,
  isSaleOut,
  verifyManagerPin,
  productByBarcode,
  productName,
  quoteCart,
  type Product,
  type Quote,
  type SaleOut,
  type ScanMatch,
  type Session,
} from '../lib/pos-api';
import {
  cartBody,
  effectiveTier,
  emptyContext,
  saleBody,
  TIERS,
  type CustomerRef,
  type SaleContext,
  type TenderWire,
} from '../lib/sale';
import type { WedgeEvent } from '../lib/wedge';
import {
  currentShift,
  lastClosedShift,
  openShift,
  reprintZ,
  reprintZWithPin,
  reportText,
  xReport,
  type ShiftState,
  type ZReport,
} from '../lib/shifts';
import { reportLabels, varianceNote, varianceTone, type ShiftAction } from './Shift';
import { useT } from '../ui';

export type Overlay =
  | { kind: 'help' }
  | { kind: 'search'; query: string }
  | { kind: 'weight'; product: CartProduct }
  | { kind: 'void'; line: CartLine }
  | { kind: 'qty'; line: CartLine }
  | { kind: 'discount'; line: CartLine | null }
  | { kind: 'manager'; then: (pin: string) => Promise<string | null> }
  | { kind: 'customer' }
  | { kind: 'age'; product: CartProduct; qty: number | null }
  | { kind: 'newSale' }
  | { kind: 'resume' }
  | { kind: 'returns' }
  | { kind: 'pay' }
  | { kind: 'done'; key: string; change: number; sale: SaleOut | null }
  | { kind: 'shiftOpen' }
  | { kind: 'shiftMenu' }
  | { kind: 'cash' }
  | { kind: 'noSale' }
  | { kind: 'zClose' }
  | { kind: 'outbox' }
  | { kind: 'report'; title: string; text: string; note: string | null; tone?: string };

export interface Notice {
  tone: 'error' | 'ok' | 'info';
  text: string;
}

export interface LaneDeps {
  api: ApiClient;
  outbox: Outbox | null;
  terminal: string;
  session: Session;
}

/** The quote the server gave for exactly this cart and context (stale quotes are not shown). */
export interface QuoteState {
  cart: Cart;
  ctx: SaleContext;
  quote: Quote | null;
  error: string | null;
  unavailable: boolean;
}

const QUOTE_DEBOUNCE_MS = 120;

export function toCartProduct(p: Product | ScanMatch, lang: Parameters<typeof productName>[1]): CartProduct {
  const scan = 'scan' in p ? p.scan : undefined;
  const label = scan && (scan.weightG || scan.priceMinor) ? scan.code : null;
  return {
    productId: p.id,
    name: productName(p, lang),
    unitPrice: scan?.priceMinor ?? p.prices.retail,
    weighed: p.weighed,
    unit: p.unit,
    scannedCode: label,
    minAge: p.ageRestricted ? (p.minAge ?? 18) : null,
  };
}

function useOutboxCounts(outbox: Outbox | null): OutboxCounts {
  const [counts, setCounts] = useState<OutboxCounts>({ pending: 0, attention: 0 });
  useEffect(() => outbox?.subscribe(setCounts), [outbox]);
  return counts;
}

export function useLane({ api, outbox, terminal, session }: LaneDeps) {
  const { lang, tr } = useT();
  const cartRef = useRef<Cart>(emptyCart());
  const ctxRef = useRef<SaleContext>(emptyContext());
  const [cart, setCartState] = useState<Cart>(cartRef.current);
  const [ctx, setCtxState] = useState<SaleContext>(ctxRef.current);
  const [quote, setQuote] = useState<QuoteState | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [settings, setSettings] = useState<StoreSettings>(DEFAULT_SETTINGS);
  useEffect(() => {
    void loadSettings(api).then(setSettings);
  }, [api]);
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [nextQty, setNextQty] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const counts = useOutboxCounts(outbox);
  /** The lane's shift: null while the first answer is awaited. */
  const [shift, setShift] = useState<ShiftState | null>(null);

  const fail = (text: string) => setNotice({ tone: 'error', text });
  const setCart = (c: Cart) => {
    cartRef.current = c;
    setCartState(c);
  };
  const setCtx = (c: SaleContext) => {
    ctxRef.current = c;
    setCtxState(c);
  };

  // The done screen closed (Enter = next customer, Esc, a click): the next customer's empty cart starts, so the
  // customer display goes back to the idle message instead of the last sale's change. Best effort: not awaited,
  // errors ignored (no display, offline, an older server): the cashier is never held up by it.
  const wasDone = useRef(false);
  useEffect(() => {
    const done = overlay?.kind === 'done';
    if (wasDone.current && !done && !cartRef.current.lines.some(isActive)) void displayIdle(api).catch(() => null);
    wasDone.current = done;
  }, [overlay]);

  // Price the cart on the server after each change (debounced; an older answer never replaces a newer one).
  useEffect(() => {
    if (!cart.lines.some(isActive)) return setQuote(null);
    const abort = new AbortController();
    const timer = setTimeout(() => {
      quoteCart(api, cartBody(cart, ctx), abort.signal)
        .then((q) => setQuote({ cart, ctx, quote: q, error: null, unavailable: false }))
        .catch((e: unknown) => {
          if (abort.signal.aborted) return;
          const unavailable = e instanceof ApiError && e.status === 404;
          setQuote({ cart, ctx, quote: null, error: unavailable ? null : errorText(lang, e), unavailable });
        });
    }, QUOTE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api, cart, ctx, lang]);

  function apply(result: CartResult): boolean {
    if (!result.ok) {
      fail(tr(`cart.${result.error}`));
      return false;
    }
    setCart(result.cart);
    setSelected(result.lineId);
    return true;
  }

  /** Put a product in the cart; weighed items need a weight, age-restricted ones an age check first. */
  function addProduct(item: CartProduct, qty: number | null) {
    if (item.minAge && !ctxRef.current.ageChecked.includes(item.productId))
      return setOverlay({ kind: 'age', product: item, qty });
    if (item.weighed && qty === null && !item.scannedCode) return setOverlay({ kind: 'weight', product: item });
    const result = item.weighed
      ? addWeighed(cartRef.current, item, qty)
      : addItem(cartRef.current, item, qty ?? QTY_ONE);
    if (apply(result)) setNotice({ tone: 'ok', text: tr('lane.added', { name: item.name }) });
  }

  function confirmAge(item: CartProduct, qty: number | null) {
    setCtx({ ...ctxRef.current, ageChecked: [...ctxRef.current.ageChecked, item.productId] });
    setOverlay(null);
    addProduct(item, qty);
  }

  async function lookup(code: string, qty: number | null) {
    setBusy(code);
    try {
      const found = await productByBarcode(api, code);
      const weight = found.scan?.weightG ?? null;
      addProduct(toCartProduct(found, lang), weight ?? qty);
    } catch (e) {
      fail(lookupErrorText(lang, code, e));
    } finally {
      setBusy(null);
    }
  }

  function run(command: LaneCommand) {
    if (command.kind === 'invalid') return fail(tr(`parse.${command.error}`));
    if (command.kind === 'quantity') return setNextQty(command.qty);
    if (command.kind === 'search') return setOverlay({ kind: 'search', query: command.query });
    const qty = command.qty ?? nextQty;
    setNextQty(null); // a quantity applies to one item only, never to the scan after it
    // Lookups run one after another so the cart keeps the order of the scans.
    queue.current = queue.current.then(() => lookup(command.code, qty));
  }

  const onWedge = (event: WedgeEvent) => run(commandFor(event));

  const selectedLine = (): CartLine | null =>
    cart.lines.find((l) => l.lineId === selected && isActive(l)) ?? lastActiveLine(cart);

  function openFor(kind: 'void' | 'qty') {
    const line = selectedLine();
    if (line) setOverlay({ kind, line });
    else setNotice({ tone: 'info', text: tr('lane.noLine') });
  }

  function confirmVoid(lineId: number, reason: string) {
    if (apply(voidLine(cartRef.current, lineId, reason))) setOverlay(null);
  }

  function changeQty(lineId: number, qty: number) {
    if (apply(setQuantity(cartRef.current, lineId, qty))) setOverlay(null);
  }

  function moveSelection(step: 1 | -1) {
    const active = cart.lines.filter(isActive);
    const at = active.findIndex((l) => l.lineId === selected);
    const next = active[Math.min(active.length - 1, Math.max(0, (at < 0 ? active.length : at) + step))];
    if (next) setSelected(next.lineId);
  }

  /**
   * Try a priced change (discount): quote it first; a discount above the threshold asks for a manager's PIN,
   * then the quote is retried with it. Resolves with an error text, or null once applied.
   */
  async function tryPriced(nextCart: Cart, nextCtx: SaleContext): Promise<string | null> {
    try {
      const q = await quoteCart(api, cartBody(nextCart, nextCtx));
      const approver = !nextCtx.managerPin && !can(session, 'sales.discount_override');
      if (approver && cartNeedsApproval(nextCart, nextCtx.billDiscount, q, thresholdOf(settings))) {
        setOverlay({
          kind: 'manager',
          then: async (pin) => {
            const checked = await verifyManagerPin(api, pin, terminal, 'sales.discount_override').catch(() => 'error');
            if (checked === 'error') return tr('error.network');
            if (checked !== 'ok') return tr('manager.invalid');
            return tryPriced(nextCart, { ...nextCtx, managerPin: pin });
          },
        });
        return null;
      }
      setCart(nextCart);
      setCtx(nextCtx);
      setQuote({ cart: nextCart, ctx: nextCtx, quote: q, error: null, unavailable: false });
      setOverlay(null);
      setNotice({ tone: 'ok', text: tr('discount.applied') });
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MANAGER_APPROVAL_REQUIRED' && !nextCtx.managerPin) {
        setOverlay({ kind: 'manager', then: (pin) => tryPriced(nextCart, { ...nextCtx, managerPin: pin }) });
        return null;
      }
      if (e instanceof ApiError && e.code === 'MANAGER_PIN_INVALID') return tr('manager.invalid');
      return e instanceof ApiError && e.status === 400 ? e.message : errorText(lang, e);
    }
  }

  function applyDiscount(line: CartLine | null, discount: Discount | null): Promise<string | null> {
    if (line) {
      const r = setLineDiscount(cartRef.current, line.lineId, discount);
      if (!r.ok) return Promise.resolve(tr(`cart.${r.error}`));
      return tryPriced(r.cart, ctxRef.current);
    }
    return tryPriced(cartRef.current, { ...ctxRef.current, billDiscount: discount });
  }

  function attachCustomer(customer: CustomerRef | null) {
    setCtx({ ...ctxRef.current, customer, priceTier: null });
    setOverlay(null);
    setNotice({
      tone: 'ok',
      text: customer ? tr('customer.attached', { name: customer.name }) : tr('customer.removed'),
    });
  }

  function cycleTier() {
    const now = effectiveTier(ctxRef.current);
    const next = TIERS[(TIERS.indexOf(now) + 1) % TIERS.length] ?? 'retail';
    setCtx({ ...ctxRef.current, priceTier: next });
    setNotice({ tone: 'info', text: tr('tier.now', { tier: tr(`tier.${next}`) }) });
  }

  function reset() {
    setCart(emptyCart());
    setCtx(emptyContext());
    setQuote(null);
    setSelected(null);
    setNextQty(null);
  }

  function newSale() {
    reset();
    setOverlay(null);
    setNotice({ tone: 'info', text: tr('lane.newSale') });
  }

  async function hold() {
    if (!cartRef.current.lines.some(isActive)) return setNotice({ tone: 'info', text: tr('pay.empty') });
    try {
      const held = await holdSale(api, heldSaleBody(cartRef.current, ctxRef.current, lang));
      reset();
      setNotice({ tone: 'ok', text: tr('hold.done', { id: held.id }) });
    } catch (e) {
      fail(e instanceof ApiError && e.status === 404 ? tr('hold.unavailable') : errorText(lang, e));
    }
  }

  async function resume(h: HeldSale) {
    if (cartRef.current.lines.some(isActive)) return fail(tr('resume.cartNotEmpty'));
    try {
      const r = await resumeHeld(api, h.id, lang);
      setCart(cartOf(r.lines));
      setCtx({ ...emptyContext(), ...r.ctx, heldSaleId: h.id });
      setSelected(null);
      setOverlay(null);
      setNotice({ tone: 'ok', text: tr('resume.done', { id: h.id }) });
    } catch (e) {
      fail(errorText(lang, e));
    }
  }

  /** Write the sale to the outbox (durable first), then show the change and, once confirmed, the receipt. */
  async function pay(tenders: TenderWire[], change: number) {
    if (!outbox) return fail(tr('error.storage', { reason: 'IndexedDB' }));
    let key: string;
    try {
      key = await outbox.enqueue(saleBody(cartRef.current, ctxRef.current, tenders, lang));
    } catch (e) {
      return fail(tr('error.storage', { reason: e instanceof Error ? e.message : String(e) }));
    }
    reset();
    setOverlay({ kind: 'done', key, change, sale: null });
    setNotice({ tone: 'ok', text: tr('pay.saved') });
    void outbox.whenSent(key).then((answer) => {
      if (!isSaleOut(answer)) return;
      setOverlay((o) => (o?.kind === 'done' && o.key === key ? { ...o, sale: answer } : o));
    });
  }

  /** Ask the server for this lane's shift; with `ask`, a lane without one offers the shift-open screen. */
  async function loadShift(ask: boolean): Promise<ShiftState> {
    const s = await currentShift(api);
    setShift(s);
    if (s.kind === 'none' && ask) setOverlay((o) => (o === null || o.kind === 'pay' ? { kind: 'shiftOpen' } : o));
    return s;
  }

  useEffect(() => {
    void loadShift(true);
  }, []);

  // A sale refused for want of a shift (closed meanwhile, e.g. from the back office): offer to open one; the
  // sale stays in the outbox and is sent again once the shift is open.
  const stuckOnShift = () =>
    outbox?.list().filter((e) => e.status === 'failed' && e.lastError === 'SHIFT_NOT_OPEN') ?? [];
  useEffect(() => {
    if (stuckOnShift().length > 0) void loadShift(true);
  }, [counts.attention]);

  async function startShift(float: number): Promise<string | null> {
    try {
      const opened = await openShift(api, float);
      setShift({ kind: 'open', shift: opened });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'SHIFT_ALREADY_OPEN')) return errorText(lang, e);
      await loadShift(false);
    }
    setOverlay(null);
    setNotice({ tone: 'ok', text: tr('shift.openedNotice') });
    for (const entry of stuckOnShift()) void outbox?.retry(entry.key);
    return null;
  }

  /** Selling needs an open shift: false (and the shift-open screen) when the lane has none. */
  function needShift(): boolean {
    if (shift?.kind === 'unknown') void loadShift(true); // ask again (the sale goes on; the outbox copes)
    if (shift?.kind !== 'none') return false;
    setOverlay({ kind: 'shiftOpen' });
    setNotice({ tone: 'info', text: tr('shift.needed') });
    return true;
  }

  const openShiftNow = shift?.kind === 'open' ? shift.shift : null;

  async function shiftAction(action: ShiftAction) {
    const s = openShiftNow;
    try {
      if (action === 'x' && s) {
        const r = await xReport(api, s.id);
        return setOverlay({
          kind: 'report',
          title: tr('shift.xTitle'),
          text: reportText(r, reportLabels(tr, 'x')),
          note: null,
        });
      }
      if (action === 'cash' && s) return setOverlay({ kind: 'cash' });
      if (action === 'noSale' && s) return setOverlay({ kind: 'noSale' });
      if (action === 'z' && s) {
        if (cartRef.current.lines.some(isActive)) return fail(tr('shift.zCart'));
        if (counts.pending > 0) return fail(tr('shift.zPending', { count: counts.pending }));
        return setOverlay({ kind: 'zClose' });
      }
      if (action === 'reprintZ') {
        const terminalId = s?.terminalId ?? session.terminal?.id;
        const last = terminalId ? await lastClosedShift(api, terminalId) : null;
        if (!last) return fail(tr('shift.noZ'));
        const show = (z: ZReport) =>
          setOverlay({ kind: 'report', title: tr('shift.zTitle'), text: z.text, note: null });
        if (can(session, 'reports.read')) return show(await reprintZ(api, last.id));
        // A cashier: a manager's PIN approves the reprint (the server checks it and journals the approver).
        return setOverlay({
          kind: 'manager',
          then: async (pin) => {
            try {
              show(await reprintZWithPin(api, last.id, pin));
              return null;
            } catch (e) {
              if (e instanceof ApiError && e.code === 'MANAGER_PIN_INVALID') return tr('manager.invalid');
              return e instanceof ApiError && e.status === 403 ? tr('shift.forbidden') : errorText(lang, e);
            }
          },
        });
      }
    } catch (e) {
      setOverlay(null);
      fail(e instanceof ApiError && e.status === 403 ? tr('shift.forbidden') : errorText(lang, e));
    }
  }

  /** Outbox screen: put a refused sale back in the queue (after its cause was fixed). */
  function retryOutbox(key: string) {
    if (!outbox) return;
    void outbox.retry(key).then(() => setNotice({ tone: 'info', text: tr('outbox.retried') }));
  }

  /** Outbox screen: discard a refused sale, once a manager's PIN (checked by the server) approves it. */
  function discardOutbox(key: string) {
    if (!outbox) return;
    setOverlay({
      kind: 'manager',
      then: async (pin) => {
        const checked = await verifyManagerPin(api, pin, terminal, 'sales.void').catch(() => 'error');
        if (checked === 'error') return tr('error.network');
        if (checked !== 'ok') return tr('manager.invalid');
        await outbox.discard(key);
        setOverlay({ kind: 'outbox' });
        setNotice({ tone: 'ok', text: tr('outbox.discarded') });
        return null;
      },
    });
  }

  function shiftClosed(z: ZReport) {
    setShift({ kind: 'none' });
    setOverlay({
      kind: 'report',
      title: tr('shift.zTitle'),
      text: z.text,
      note: varianceNote(tr, z),
      tone: varianceTone(z),
    });
  }

  return {
    settings,
    outbox,
    retryOutbox,
    discardOutbox,
    shift,
    openShiftNow,
    startShift,
    needShift,
    shiftAction,
    shiftClosed,
    cart,
    ctx,
    quote,
    selected,
    setSelected,
    overlay,
    setOverlay,
    notice,
    setNotice,
    nextQty,
    setNextQty,
    busy,
    counts,
    onWedge,
    addProduct,
    confirmAge,
    openFor,
    selectedLine,
    confirmVoid,
    changeQty,
    moveSelection,
    applyDiscount,
    attachCustomer,
    cycleTier,
    newSale,
    hold,
    resume,
    pay,
    fail,
  };
}

export type LaneState = ReturnType<typeof useLane>;

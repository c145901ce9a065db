/** The lane's state and actions: scans in order, cart changes, overlays, the outbox counter. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import {
  addItem,
  addWeighed,
  emptyCart,
  isActive,
  lastActiveLine,
  voidLine,
  type Cart,
  type CartLine,
  type CartProduct,
  type CartResult,
} from '../lib/cart';
import { commandFor, type LaneCommand } from '../lib/entry';
import { lookupErrorText } from '../lib/messages';
import { QTY_ONE } from '../lib/money';
import type { Outbox, OutboxCounts } from '../lib/outbox';
import { productByBarcode, productName, type Product } from '../lib/pos-api';
import { saleBody } from '../lib/sale';
import type { WedgeEvent } from '../lib/wedge';
import { useT } from '../ui';

export type Overlay =
  | { kind: 'help' }
  | { kind: 'search'; query: string }
  | { kind: 'weight'; product: CartProduct }
  | { kind: 'void'; line: CartLine }
  | { kind: 'pay' };

export interface Notice {
  tone: 'error' | 'ok' | 'info';
  text: string;
}

export interface LaneDeps {
  api: ApiClient;
  outbox: Outbox | null;
  terminal: string;
}

export function toCartProduct(p: Product, lang: Parameters<typeof productName>[1]): CartProduct {
  return { productId: p.id, name: productName(p, lang), unitPrice: p.prices.retail, weighed: p.weighed, unit: p.unit };
}

function useOutboxCounts(outbox: Outbox | null): OutboxCounts {
  const [counts, setCounts] = useState<OutboxCounts>({ pending: 0, attention: 0 });
  useEffect(() => outbox?.subscribe(setCounts), [outbox]);
  return counts;
}

export function useLane({ api, outbox, terminal }: LaneDeps) {
  const { lang, tr } = useT();
  const cartRef = useRef<Cart>(emptyCart());
  const [cart, setCart] = useState<Cart>(cartRef.current);
  const [selected, setSelected] = useState<number | null>(null);
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [nextQty, setNextQty] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const counts = useOutboxCounts(outbox);

  const fail = (text: string) => setNotice({ tone: 'error', text });

  function apply(result: CartResult): boolean {
    if (!result.ok) {
      fail(tr(`cart.${result.error}`));
      return false;
    }
    cartRef.current = result.cart;
    setCart(result.cart);
    setSelected(result.lineId);
    return true;
  }

  /** Put a product in the cart; a weighed one without a weight opens the weight dialog. */
  function addProduct(item: CartProduct, qty: number | null) {
    if (item.weighed && qty === null) return setOverlay({ kind: 'weight', product: item });
    const result = item.weighed
      ? addWeighed(cartRef.current, item, qty)
      : addItem(cartRef.current, item, qty ?? QTY_ONE);
    if (apply(result)) setNotice({ tone: 'ok', text: tr('lane.added', { name: item.name }) });
  }

  async function lookup(code: string, qty: number | null) {
    setBusy(code);
    try {
      addProduct(toCartProduct(await productByBarcode(api, code), lang), qty);
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

  function openVoid() {
    const line = cart.lines.find((l) => l.lineId === selected && isActive(l)) ?? lastActiveLine(cart);
    if (line) setOverlay({ kind: 'void', line });
  }

  function confirmVoid(lineId: number, reason: string) {
    if (apply(voidLine(cartRef.current, lineId, reason))) setOverlay(null);
  }

  function moveSelection(step: 1 | -1) {
    const active = cart.lines.filter(isActive);
    const at = active.findIndex((l) => l.lineId === selected);
    const next = active[Math.min(active.length - 1, Math.max(0, (at < 0 ? active.length : at) + step))];
    if (next) setSelected(next.lineId);
  }

  async function pay(tendered: number, change: string) {
    if (!outbox) return fail(tr('error.storage', { reason: 'IndexedDB' }));
    try {
      await outbox.enqueue(saleBody(cartRef.current, terminal, tendered, new Date()));
    } catch (e) {
      return fail(tr('error.storage', { reason: e instanceof Error ? e.message : String(e) }));
    }
    cartRef.current = emptyCart();
    setCart(cartRef.current);
    setSelected(null);
    setOverlay(null);
    setNotice({ tone: 'ok', text: tr('pay.done', { change }) });
  }

  return {
    cart,
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
    openVoid,
    confirmVoid,
    moveSelection,
    pay,
    fail,
  };
}

export type LaneState = ReturnType<typeof useLane>;

/** The lane's cart as immutable values. Totals are for display only: the server prices the sale. */
import { lineAmount, QTY_ONE } from './money';

export interface CartProduct {
  productId: number;
  name: string;
  /** Price per unit (per kg for weighed items) in minor units. */
  unitPrice: number;
  weighed: boolean;
  unit: string;
  /** A variable-measure (scale label) code: sent with the line, the server takes the weight/price from it. */
  scannedCode?: string | null;
  /** Minimum customer age when the product is age-restricted. */
  minAge?: number | null;
}

/** A manual discount: a percentage (decimal text, ≤ 2 decimals) or an amount in minor units, with a reason. */
export interface Discount {
  percent?: string;
  amount?: number;
  reason: string;
}

export interface CartLine extends CartProduct {
  lineId: number;
  /** Quantity in thousandths (grams for kg items). */
  qty: number;
  voidReason: string | null;
  discount?: Discount | null;
}

export interface Cart {
  readonly lines: readonly CartLine[];
  readonly nextLineId: number;
}

export type CartError =
  | 'WEIGHT_REQUIRED'
  | 'NOT_WEIGHED'
  | 'BAD_QUANTITY'
  | 'WHOLE_UNITS_ONLY'
  | 'UNKNOWN_LINE'
  | 'ALREADY_VOIDED'
  | 'REASON_REQUIRED'
  | 'FIXED_QUANTITY';

export type CartResult = { ok: true; cart: Cart; lineId: number } | { ok: false; error: CartError };

export interface CartTotals {
  /** Active (not voided) lines. */
  lines: number;
  /** Piece count of non-weighed active lines (weighed lines count as one item each). */
  items: number;
  /** Sum of line amounts in minor units, each rounded half-up. */
  total: number;
}

export const emptyCart = (): Cart => ({ lines: [], nextLineId: 1 });

export const isActive = (line: CartLine): boolean => line.voidReason === null;

export const lineTotal = (line: CartLine): number => lineAmount(line.qty, line.unitPrice);

function checkQty(product: CartProduct, qty: number): CartError | null {
  if (!Number.isSafeInteger(qty) || qty <= 0) return 'BAD_QUANTITY';
  if (!product.weighed && product.unit === 'pc' && qty % QTY_ONE !== 0) return 'WHOLE_UNITS_ONLY';
  return null;
}

/** Add a non-weighed item: a repeat scan of the same product at the same price increments its line. */
export function addItem(cart: Cart, product: CartProduct, qty: number = QTY_ONE): CartResult {
  if (product.weighed) return { ok: false, error: 'WEIGHT_REQUIRED' };
  const problem = checkQty(product, qty);
  if (problem) return { ok: false, error: problem };
  // A scale/price label is its own line (the server reads the label); everything else merges on repeat scans.
  const same = product.scannedCode
    ? undefined
    : cart.lines.find(
        (l) => isActive(l) && !l.scannedCode && l.productId === product.productId && l.unitPrice === product.unitPrice,
      );
  if (same) {
    const lines = cart.lines.map((l) => (l === same ? { ...l, qty: l.qty + qty } : l));
    return { ok: true, cart: { ...cart, lines }, lineId: same.lineId };
  }
  return appendLine(cart, product, qty);
}

/** Add a weighed item with its weight in thousandths (grams for kg): always a line of its own. */
export function addWeighed(cart: Cart, product: CartProduct, weight: number | null): CartResult {
  if (!product.weighed) return { ok: false, error: 'NOT_WEIGHED' };
  if (weight === null) return { ok: false, error: 'WEIGHT_REQUIRED' };
  const problem = checkQty(product, weight);
  if (problem) return { ok: false, error: problem };
  return appendLine(cart, product, weight);
}

function appendLine(cart: Cart, product: CartProduct, qty: number): CartResult {
  const line: CartLine = { ...product, lineId: cart.nextLineId, qty, voidReason: null };
  return { ok: true, cart: { lines: [...cart.lines, line], nextLineId: cart.nextLineId + 1 }, lineId: line.lineId };
}

/** Void a line before payment; the line stays (struck through, sent for the audit) with its reason. */
export function voidLine(cart: Cart, lineId: number, reason: string): CartResult {
  const line = cart.lines.find((l) => l.lineId === lineId);
  if (!line) return { ok: false, error: 'UNKNOWN_LINE' };
  if (!isActive(line)) return { ok: false, error: 'ALREADY_VOIDED' };
  if (reason.trim() === '') return { ok: false, error: 'REASON_REQUIRED' };
  const lines = cart.lines.map((l) => (l === line ? { ...l, voidReason: reason.trim() } : l));
  return { ok: true, cart: { ...cart, lines }, lineId };
}

/** Change the quantity of an active line (not of a scale label: its weight comes from the label). */
export function setQuantity(cart: Cart, lineId: number, qty: number): CartResult {
  const line = cart.lines.find((l) => l.lineId === lineId);
  if (!line) return { ok: false, error: 'UNKNOWN_LINE' };
  if (!isActive(line)) return { ok: false, error: 'ALREADY_VOIDED' };
  if (line.scannedCode) return { ok: false, error: 'FIXED_QUANTITY' };
  const problem = checkQty(line, qty);
  if (problem) return { ok: false, error: problem };
  const lines = cart.lines.map((l) => (l === line ? { ...l, qty } : l));
  return { ok: true, cart: { ...cart, lines }, lineId };
}

/** Set (or with null, remove) a manual discount on an active line. */
export function setLineDiscount(cart: Cart, lineId: number, discount: Discount | null): CartResult {
  const line = cart.lines.find((l) => l.lineId === lineId);
  if (!line) return { ok: false, error: 'UNKNOWN_LINE' };
  if (!isActive(line)) return { ok: false, error: 'ALREADY_VOIDED' };
  if (discount && discount.reason.trim() === '') return { ok: false, error: 'REASON_REQUIRED' };
  const lines = cart.lines.map((l) => (l === line ? { ...l, discount } : l));
  return { ok: true, cart: { ...cart, lines }, lineId };
}

/** Rebuild a cart from lines (a resumed held sale); line ids are renumbered. */
export function cartOf(lines: readonly (CartProduct & { qty: number; discount?: Discount | null })[]): Cart {
  return {
    lines: lines.map((l, i) => ({ ...l, lineId: i + 1, voidReason: null })),
    nextLineId: lines.length + 1,
  };
}

export function totals(cart: Cart): CartTotals {
  const active = cart.lines.filter(isActive);
  return {
    lines: active.length,
    items: active.reduce((n, l) => n + (l.weighed ? 1 : Math.ceil(l.qty / QTY_ONE)), 0),
    total: active.reduce((sum, l) => sum + lineTotal(l), 0),
  };
}

/** The last active line (the default target of "void line"), or null. */
export function lastActiveLine(cart: Cart): CartLine | null {
  for (let i = cart.lines.length - 1; i >= 0; i -= 1) {
    const line = cart.lines[i];
    if (line && isActive(line)) return line;
  }
  return null;
}

/**
 * The bodies the lane sends for a cart (quote, hold) and a completed sale (`POST /api/sales`), as in
 * backend/pos_grocery/sales/models.py: CartIn / SaleCreate. Quantities are decimal JSON numbers (≤ 3 decimals),
 * money is integer minor units; the server prices the cart (promotions, tax, rounding).
 */
import { isActive, type Cart, type CartLine, type Discount } from './cart';
import type { Lang } from './i18n';
import { quantityToWire } from './money';

export type Tier = 'retail' | 'wholesale' | 'credit' | 'other';
export const TIERS: readonly Tier[] = ['retail', 'wholesale', 'credit', 'other'];

export type TenderMethod = 'cash' | 'card' | 'wallet' | 'customer_account' | 'store_credit';

export interface DiscountWire {
  percent?: number;
  amount?: number;
  reason: string;
}

export interface LineWire {
  productId: number;
  quantity: number;
  scannedCode?: string;
  discount?: DiscountWire;
}

export interface CartWire {
  lines: LineWire[];
  priceTier?: Tier;
  customerId?: number;
  billDiscount?: DiscountWire;
  managerPin?: string;
  heldSaleId?: number;
}

export interface TenderWire {
  method: TenderMethod;
  amount: number;
  tendered?: number;
  reference?: string;
}

export interface AgeConfirmationWire {
  method: 'checked';
  productId: number;
}

export interface SaleWire extends CartWire {
  tenders: TenderWire[];
  language: Lang;
  ageConfirmations: AgeConfirmationWire[];
  voidedLines: { productId: number; quantity: number; reason: string }[];
}

export interface CustomerRef {
  id: number;
  name: string;
  priceTier: Tier;
}

/** What the sale carries besides its lines. */
export interface SaleContext {
  /** Chosen tier (null: the customer's tier, else retail). */
  priceTier: Tier | null;
  customer: CustomerRef | null;
  billDiscount: Discount | null;
  /** A manager's PIN approving the discounts of this cart (kept only in memory). */
  managerPin: string | null;
  heldSaleId: number | null;
  /** Products whose age check the cashier confirmed. */
  ageChecked: readonly number[];
}

export const emptyContext = (): SaleContext => ({
  priceTier: null,
  customer: null,
  billDiscount: null,
  managerPin: null,
  heldSaleId: null,
  ageChecked: [],
});

/** The tier the sale is priced at: chosen, else the customer's, else retail. */
export const effectiveTier = (ctx: SaleContext): Tier => ctx.priceTier ?? ctx.customer?.priceTier ?? 'retail';

export function discountWire(d: Discount): DiscountWire {
  const out: DiscountWire = { reason: d.reason };
  if (d.percent !== undefined) out.percent = Number(d.percent);
  if (d.amount !== undefined) out.amount = d.amount;
  return out;
}

function lineWire(l: CartLine): LineWire {
  const out: LineWire = { productId: l.productId, quantity: quantityToWire(l.qty) };
  if (l.scannedCode) out.scannedCode = l.scannedCode;
  if (l.discount) out.discount = discountWire(l.discount);
  return out;
}

/** The priced part of a cart (quote, hold and sale share it). */
export function cartBody(cart: Cart, ctx: SaleContext): CartWire {
  const body: CartWire = { lines: cart.lines.filter(isActive).map(lineWire), priceTier: effectiveTier(ctx) };
  if (ctx.customer) body.customerId = ctx.customer.id;
  if (ctx.billDiscount) body.billDiscount = discountWire(ctx.billDiscount);
  if (ctx.managerPin) body.managerPin = ctx.managerPin;
  if (ctx.heldSaleId !== null) body.heldSaleId = ctx.heldSaleId;
  return body;
}

export function saleBody(cart: Cart, ctx: SaleContext, tenders: TenderWire[], lang: Lang): SaleWire {
  return {
    ...cartBody(cart, ctx),
    tenders,
    language: lang,
    ageConfirmations: ctx.ageChecked.map((productId) => ({ method: 'checked', productId })),
    voidedLines: cart.lines
      .filter((l) => !isActive(l))
      .map((l) => ({ productId: l.productId, quantity: quantityToWire(l.qty), reason: l.voidReason ?? '' })),
  };
}

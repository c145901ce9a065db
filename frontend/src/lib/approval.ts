/**
 * When a manual discount needs a manager (mirrors backend sales/checks.py and pricing needs_manager_approval):
 * the amount taken off is above the amount limit, or above the percent limit of what the line (or bill) cost
 * before the manual discount. The quote does not check approvals, the sale does: the lane asks for the PIN
 * up front so a completed sale never bounces in the outbox.
 */
import { isActive, type Cart, type Discount } from './cart';
import type { Quote } from './pos-api';

export interface Threshold {
  percentBp: number | null;
  amount: number | null;
}

/** The server's defaults (DISCOUNT_MANAGER_THRESHOLD_BP=1000, _AMOUNT=100000) until a settings endpoint exists. */
export const DEFAULT_THRESHOLD: Threshold = { percentBp: 1000, amount: 100_000 };

/** Minor units a discount takes off `before` (percent rounded half-up), never more than `before`. */
export function discountOff(d: Discount, before: number): number {
  if (d.amount !== undefined) return Math.min(d.amount, before);
  const bp = Math.round(Number(d.percent ?? '0') * 100);
  return Math.min(before, Math.floor((before * bp + 5_000) / 10_000));
}

export function needsApproval(d: Discount, before: number, t: Threshold = DEFAULT_THRESHOLD): boolean {
  const off = discountOff(d, before);
  if (t.amount !== null && off > t.amount) return true;
  if (t.percentBp === null) return false;
  if (d.percent !== undefined) return Math.round(Number(d.percent) * 100) > t.percentBp;
  return off * 10_000 > t.percentBp * Math.abs(before);
}

/** True when any manual discount of the cart (priced by `quote`) is above the threshold. */
export function cartNeedsApproval(
  cart: Cart,
  bill: Discount | null,
  quote: Quote,
  t: Threshold = DEFAULT_THRESHOLD,
): boolean {
  const active = cart.lines.filter(isActive);
  const lineNeeds = active.some((line, i) => {
    const priced = quote.lines[i];
    if (!line.discount || !priced) return false;
    const before =
      priced.baseAmount + priced.adjustments.filter((a) => a.kind !== 'manual_line').reduce((n, a) => n + a.amount, 0);
    return needsApproval(line.discount, before, t);
  });
  if (lineNeeds) return true;
  if (!bill) return false;
  return needsApproval(bill, quote.totals.netAmount - quote.totals.billDiscount, t);
}

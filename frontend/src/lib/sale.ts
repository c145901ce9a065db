/**
 * The body the lane submits for a completed sale. Provisional until the sales API lands: lines carry the
 * product and quantity only (the server prices the sale); voided lines travel with their reason for the audit.
 */
import { isActive, type Cart } from './cart';
import { quantityToWire } from './money';

export interface SaleLine {
  productId: number;
  qty: number;
}

export interface SaleBody {
  terminal: string;
  clientCreatedAt: string;
  lines: SaleLine[];
  voidedLines: (SaleLine & { reason: string })[];
  payments: { method: 'cash'; tendered: number }[];
}

export function saleBody(cart: Cart, terminal: string, tendered: number, at: Date): SaleBody {
  const wire = (l: { productId: number; qty: number }): SaleLine => ({
    productId: l.productId,
    qty: quantityToWire(l.qty),
  });
  return {
    terminal,
    clientCreatedAt: at.toISOString(),
    lines: cart.lines.filter(isActive).map(wire),
    voidedLines: cart.lines.filter((l) => !isActive(l)).map((l) => ({ ...wire(l), reason: l.voidReason ?? '' })),
    payments: [{ method: 'cash', tendered }],
  };
}

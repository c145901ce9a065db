import { describe, expect, it } from 'vitest';
import { addItem, addWeighed, emptyCart, lastActiveLine, totals, voidLine, type Cart, type CartProduct } from './cart';

const milk: CartProduct = { productId: 1, name: 'Milk 1L', unitPrice: 45000, weighed: false, unit: 'pc' };
const soap: CartProduct = { productId: 2, name: 'Soap', unitPrice: 12050, weighed: false, unit: 'pc' };
const carrots: CartProduct = { productId: 3, name: 'Carrots', unitPrice: 34000, weighed: true, unit: 'kg' };
const oil: CartProduct = { productId: 4, name: 'Loose oil', unitPrice: 80000, weighed: false, unit: 'l' };

function ok(r: ReturnType<typeof addItem>): Cart {
  if (!r.ok) throw new Error(r.error);
  return r.cart;
}

describe('cart', () => {
  it('adds a line and totals it', () => {
    const cart = ok(addItem(emptyCart(), milk));
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]).toMatchObject({ lineId: 1, productId: 1, qty: 1000, unitPrice: 45000, voidReason: null });
    expect(totals(cart)).toEqual({ lines: 1, items: 1, total: 45000 });
  });

  it('increments the quantity on a repeat scan', () => {
    let cart = ok(addItem(emptyCart(), milk));
    cart = ok(addItem(cart, soap));
    const r = addItem(cart, milk);
    cart = ok(r);
    expect(r.ok && r.lineId).toBe(1);
    expect(cart.lines.map((l) => [l.productId, l.qty])).toEqual([
      [1, 2000],
      [2, 1000],
    ]);
    expect(totals(cart)).toEqual({ lines: 2, items: 3, total: 102050 });
  });

  it('adds a typed quantity', () => {
    const cart = ok(addItem(ok(addItem(emptyCart(), milk, 3000)), milk));
    expect(cart.lines[0]?.qty).toBe(4000);
  });

  it('starts a new line when the price differs', () => {
    const cart = ok(addItem(ok(addItem(emptyCart(), milk)), { ...milk, unitPrice: 40000 }));
    expect(cart.lines).toHaveLength(2);
  });

  it('does not add to a voided line', () => {
    let cart = ok(addItem(emptyCart(), milk));
    cart = ok(voidLine(cart, 1, 'Scanned by mistake'));
    cart = ok(addItem(cart, milk));
    expect(cart.lines.map((l) => [l.lineId, l.qty, l.voidReason])).toEqual([
      [1, 1000, 'Scanned by mistake'],
      [2, 1000, null],
    ]);
  });

  it('needs a weight for weighed items and gives each weighing its own line', () => {
    expect(addItem(emptyCart(), carrots)).toEqual({ ok: false, error: 'WEIGHT_REQUIRED' });
    expect(addWeighed(emptyCart(), carrots, null)).toEqual({ ok: false, error: 'WEIGHT_REQUIRED' });
    expect(addWeighed(emptyCart(), carrots, 0)).toEqual({ ok: false, error: 'BAD_QUANTITY' });
    let cart = ok(addWeighed(emptyCart(), carrots, 755));
    cart = ok(addWeighed(cart, carrots, 500));
    expect(cart.lines.map((l) => l.qty)).toEqual([755, 500]);
    expect(totals(cart)).toEqual({ lines: 2, items: 2, total: 25670 + 17000 });
  });

  it('refuses a weight for an item not sold by weight', () => {
    expect(addWeighed(emptyCart(), milk, 1000)).toEqual({ ok: false, error: 'NOT_WEIGHED' });
  });

  it('checks quantities', () => {
    expect(addItem(emptyCart(), milk, 1500)).toEqual({ ok: false, error: 'WHOLE_UNITS_ONLY' });
    expect(addItem(emptyCart(), milk, -1000)).toEqual({ ok: false, error: 'BAD_QUANTITY' });
    expect(addItem(emptyCart(), milk, 1.5)).toEqual({ ok: false, error: 'BAD_QUANTITY' });
    expect(ok(addItem(emptyCart(), oil, 1500)).lines[0]?.qty).toBe(1500);
  });

  it('voids a line with a reason and leaves it out of the totals', () => {
    let cart = ok(addItem(ok(addItem(emptyCart(), milk)), soap));
    expect(voidLine(cart, 2, '  ')).toEqual({ ok: false, error: 'REASON_REQUIRED' });
    expect(voidLine(cart, 9, 'x')).toEqual({ ok: false, error: 'UNKNOWN_LINE' });
    cart = ok(voidLine(cart, 2, 'Customer changed mind'));
    expect(voidLine(cart, 2, 'again')).toEqual({ ok: false, error: 'ALREADY_VOIDED' });
    expect(totals(cart)).toEqual({ lines: 1, items: 1, total: 45000 });
    expect(lastActiveLine(cart)?.lineId).toBe(1);
  });

  it('leaves the previous cart untouched', () => {
    const before = ok(addItem(emptyCart(), milk));
    ok(addItem(before, milk));
    ok(voidLine(before, 1, 'x'));
    expect(before.lines[0]).toMatchObject({ qty: 1000, voidReason: null });
  });

  it('has no last line when empty', () => expect(lastActiveLine(emptyCart())).toBeNull());
});

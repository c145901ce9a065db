import { describe, expect, it } from 'vitest';
import { addItem, addWeighed, emptyCart, setLineDiscount, voidLine, type Cart, type CartResult } from './cart';
import { ApiError, NetworkError } from './api';
import { errorText, lookupErrorText } from './messages';
import { cartBody, effectiveTier, emptyContext, saleBody } from './sale';

const ok = (r: CartResult): Cart => {
  if (!r.ok) throw new Error(r.error);
  return r.cart;
};

describe('saleBody', () => {
  it('matches SaleCreate: decimal quantities, voided lines with reasons, tenders, tier, language', () => {
    let cart = ok(
      addItem(emptyCart(), { productId: 1, name: 'Milk', unitPrice: 45000, weighed: false, unit: 'pc' }, 2000),
    );
    cart = ok(addWeighed(cart, { productId: 3, name: 'Carrots', unitPrice: 34000, weighed: true, unit: 'kg' }, 755));
    cart = ok(voidLine(cart, 1, 'customer_changed_mind'));
    const tenders = [{ method: 'cash' as const, amount: 25670, tendered: 30000 }];
    expect(saleBody(cart, emptyContext(), tenders, 'si')).toEqual({
      lines: [{ productId: 3, quantity: 0.755 }],
      priceTier: 'retail',
      tenders,
      language: 'si',
      ageConfirmations: [],
      voidedLines: [{ productId: 1, quantity: 2, reason: 'customer_changed_mind' }],
    });
  });

  it('carries scale labels, discounts, the customer (and their tier), the manager PIN and the held sale', () => {
    let cart = ok(
      addWeighed(
        emptyCart(),
        { productId: 7, name: 'Beef', unitPrice: 250000, weighed: true, unit: 'kg', scannedCode: '2100012012504' },
        1250,
      ),
    );
    cart = ok(addItem(cart, { productId: 9, name: 'Soap', unitPrice: 12000, weighed: false, unit: 'pc' }));
    cart = ok(setLineDiscount(cart, 2, { percent: '12.5', reason: 'dented' }));
    const ctx = {
      ...emptyContext(),
      customer: { id: 4, name: 'Perera Stores', priceTier: 'wholesale' as const },
      billDiscount: { amount: 5000, reason: 'regular' },
      managerPin: '1234',
      heldSaleId: 11,
      ageChecked: [9],
    };
    expect(cartBody(cart, ctx)).toEqual({
      lines: [
        { productId: 7, quantity: 1.25, scannedCode: '2100012012504' },
        { productId: 9, quantity: 1, discount: { percent: 12.5, reason: 'dented' } },
      ],
      priceTier: 'wholesale',
      customerId: 4,
      billDiscount: { amount: 5000, reason: 'regular' },
      managerPin: '1234',
      heldSaleId: 11,
    });
    expect(saleBody(cart, ctx, [], 'en').ageConfirmations).toEqual([{ method: 'checked', productId: 9 }]);
    expect(effectiveTier({ ...ctx, priceTier: 'other' })).toBe('other');
    expect(effectiveTier(emptyContext())).toBe('retail');
  });

  it('never merges scale labels on a repeat scan, but merges plain scans', () => {
    const label = {
      productId: 5,
      name: 'Cheese',
      unitPrice: 900,
      weighed: false,
      unit: 'pc',
      scannedCode: '2200005009004',
    };
    let cart = ok(addItem(emptyCart(), label));
    cart = ok(addItem(cart, label));
    expect(cart.lines).toHaveLength(2);
    const plain = { productId: 5, name: 'Cheese', unitPrice: 900, weighed: false, unit: 'pc' };
    cart = ok(addItem(cart, plain));
    cart = ok(addItem(cart, plain));
    expect(cart.lines).toHaveLength(3);
    expect(cart.lines[2]?.qty).toBe(2000);
  });
});

describe('error texts', () => {
  it('tells a missing product from a missing API', () => {
    const missing = new ApiError(404, 'PRODUCT_NOT_FOUND', 'no such barcode');
    expect(lookupErrorText('en', '123', missing)).toBe('No product has barcode 123');
    expect(lookupErrorText('en', '123', new ApiError(404, 'HTTP_404', 'Not Found'))).toBe(
      'Lookup of 123 failed: The POS server is not available (HTTP_404)',
    );
  });

  it('names network trouble', () => {
    expect(errorText('en', new NetworkError('NETWORK_ERROR', 'x'))).toBe('Cannot reach the server');
    expect(errorText('en', new NetworkError('TIMEOUT', 'x'))).toBe('The server did not answer in time');
    expect(errorText('en', new ApiError(401, 'UNAUTHORIZED', 'x'))).toBe('Session expired: sign in again');
    expect(errorText('en', new ApiError(409, 'SHIFT_CLOSED', 'x'))).toBe('Request failed (SHIFT_CLOSED)');
    expect(errorText('en', new ApiError(502, 'HTTP_502', 'Bad Gateway'))).toBe(
      'The POS server is not available (HTTP_502)',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { addItem, addWeighed, emptyCart, voidLine, type Cart, type CartResult } from './cart';
import { ApiError, NetworkError } from './api';
import { errorText, lookupErrorText } from './messages';
import { saleBody } from './sale';

const ok = (r: CartResult): Cart => {
  if (!r.ok) throw new Error(r.error);
  return r.cart;
};

describe('saleBody', () => {
  it('sends quantities as decimals, voided lines with reasons, and the cash tendered', () => {
    let cart = ok(
      addItem(emptyCart(), { productId: 1, name: 'Milk', unitPrice: 45000, weighed: false, unit: 'pc' }, 2000),
    );
    cart = ok(addWeighed(cart, { productId: 3, name: 'Carrots', unitPrice: 34000, weighed: true, unit: 'kg' }, 755));
    cart = ok(voidLine(cart, 1, 'customer_changed_mind'));
    expect(saleBody(cart, 'LANE-1', 30000, new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toEqual({
      terminal: 'LANE-1',
      clientCreatedAt: '2025-01-02T03:04:05.000Z',
      lines: [{ productId: 3, qty: 0.755 }],
      voidedLines: [{ productId: 1, qty: 2, reason: 'customer_changed_mind' }],
      payments: [{ method: 'cash', tendered: 30000 }],
    });
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

import { describe, expect, it } from 'vitest';
import { checkTender, quickCash, settle } from './tenders';

describe('settle', () => {
  it('cash only: one tender with the amount due and what was handed over; change from cash', () => {
    const s = settle(123_45, 123_50, [{ method: 'cash', amount: 200_00 }]);
    expect(s.complete).toBe(true);
    expect(s.change).toBe(76_50);
    expect(s.tenders).toEqual([{ method: 'cash', amount: 123_50, tendered: 200_00 }]);
  });

  it('split card + cash: cash covers the rest (no cash rounding known for a split), change only from cash', () => {
    const s = settle(1000_00, 1000_00, [
      { method: 'card', amount: 600_00, reference: 'A1' },
      { method: 'cash', amount: 500_00 },
    ]);
    expect(s).toMatchObject({ nonCash: 600_00, cashDue: 400_00, remaining: 0, change: 100_00, complete: true });
    expect(s.tenders).toEqual([
      { method: 'card', amount: 600_00, reference: 'A1' },
      { method: 'cash', amount: 400_00, tendered: 500_00 },
    ]);
  });

  it('partial payment leaves a remainder; card for all needs no cash tender', () => {
    expect(settle(500_00, 500_00, [{ method: 'cash', amount: 200_00 }])).toMatchObject({
      remaining: 300_00,
      complete: false,
    });
    const card = settle(500_00, 500_00, [{ method: 'wallet', amount: 500_00, reference: 'QR9' }]);
    expect(card).toMatchObject({ complete: true, change: 0 });
    expect(card.tenders).toEqual([{ method: 'wallet', amount: 500_00, reference: 'QR9' }]);
  });
});

describe('checkTender', () => {
  it('refuses non-cash above what is left, missing references, zero, and paying a settled bill', () => {
    const given = [{ method: 'cash' as const, amount: 100_00 }];
    expect(checkTender(500_00, 500_00, given, { method: 'card', amount: 400_01, reference: 'x' })).toBe(
      'EXCEEDS_TOTAL',
    );
    expect(checkTender(500_00, 500_00, given, { method: 'card', amount: 400_00, reference: 'x' })).toBeNull();
    expect(checkTender(500_00, 500_00, given, { method: 'card', amount: 400_00 })).toBe('REFERENCE_REQUIRED');
    expect(checkTender(500_00, 500_00, given, { method: 'cash', amount: 0 })).toBe('NOT_POSITIVE');
    expect(checkTender(500_00, 500_00, [{ method: 'cash', amount: 500_00 }], { method: 'cash', amount: 1 })).toBe(
      'NOTHING_DUE',
    );
  });
});

describe('quickCash', () => {
  it('offers exact, then the next round notes', () => {
    expect(quickCash(1234_50)).toEqual([1234_50, 1300_00, 1500_00, 2000_00]);
    expect(quickCash(100_00)).toEqual([100_00, 500_00, 1000_00, 5000_00]);
    expect(quickCash(0)).toEqual([]);
  });
});

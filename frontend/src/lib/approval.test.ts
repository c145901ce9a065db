import { describe, expect, it } from 'vitest';
import { discountOff, needsApproval } from './approval';

describe('manager approval of manual discounts', () => {
  it('percent above 10% or more than 1,000.00 off needs a manager', () => {
    expect(needsApproval({ percent: '10', reason: 'x' }, 50_000)).toBe(false);
    expect(needsApproval({ percent: '10.01', reason: 'x' }, 50_000)).toBe(true);
    expect(needsApproval({ amount: 5_000, reason: 'x' }, 50_000)).toBe(false); // exactly 10%
    expect(needsApproval({ amount: 5_001, reason: 'x' }, 50_000)).toBe(true);
    expect(needsApproval({ percent: '5', reason: 'x' }, 3_000_000)).toBe(true); // 1,500.00 off
  });

  it('rounds a percent off half-up and never takes more than the amount', () => {
    expect(discountOff({ percent: '12.5', reason: 'x' }, 1_01)).toBe(13);
    expect(discountOff({ amount: 900, reason: 'x' }, 500)).toBe(500);
  });
});

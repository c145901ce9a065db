import { describe, expect, it } from 'vitest';
import { applyRule, bulkPrice, parsePercentBp, priceChanges, refusalOf, setCell, type TierPrices } from './pricegrid';

const P = (retail: number, wholesale = retail, credit = retail, other = retail): TierPrices => ({
  retail,
  wholesale,
  credit,
  other,
});

describe('bulkPrice', () => {
  it('takes a percentage off, rounded half-up to the cent', () => {
    expect(bulkPrice(24000, -500, 1)).toBe(22800); // 240.00 − 5 %
    expect(bulkPrice(75050, -500, 1)).toBe(71298); // 712.975 → 712.98
    expect(bulkPrice(999, 1000, 1)).toBe(1099); // 10.989 → 10.99
  });
  it('rounds to a step such as 0.50 or 1.00', () => {
    expect(bulkPrice(24000, -500, 50)).toBe(22800);
    expect(bulkPrice(75050, -500, 50)).toBe(71300); // 712.975 → 713.00
    expect(bulkPrice(75050, -500, 100)).toBe(71300);
    expect(bulkPrice(12345, 0, 50)).toBe(12350); // 123.45 → 123.50 (half-up)
    expect(bulkPrice(12324, 0, 50)).toBe(12300);
  });
  it('never goes below zero and keeps big prices exact', () => {
    expect(bulkPrice(100, -10_000, 1)).toBe(0);
    expect(bulkPrice(1_000_000_000_00, -333, 1)).toBe(96_670_000_000);
  });
});

describe('edits', () => {
  const rows = [
    { id: 1, prices: P(24000) },
    { id: 2, prices: P(75050, 71300) },
  ];
  it('keeps only cells that differ from the server', () => {
    let e = setCell({}, 1, rows[0]!.prices, 'wholesale', 23000);
    expect(e).toEqual({ 1: { wholesale: 23000 } });
    e = setCell(e, 1, rows[0]!.prices, 'wholesale', 24000);
    expect(e).toEqual({});
  });
  it('applies wholesale = retail − 5 % to every row, an unchanged result is no edit', () => {
    const e = applyRule({}, rows, { target: 'wholesale', base: 'retail', changeBp: -500, roundTo: 50 });
    expect(e).toEqual({ 1: { wholesale: 22800 } }); // row 2 already has 713.00
    expect(priceChanges(e)).toEqual([{ productId: 1, prices: { wholesale: 22800 } }]);
  });
  it('bases the rule on edited values', () => {
    const e0 = setCell({}, 1, rows[0]!.prices, 'retail', 30000);
    const e = applyRule(e0, rows.slice(0, 1), { target: 'credit', base: 'retail', changeBp: 1000, roundTo: 1 });
    expect(e).toEqual({ 1: { retail: 30000, credit: 33000 } });
  });
});

describe('price-changes request', () => {
  it('sends every edited product once, with only its changed tiers', () => {
    expect(priceChanges({ 12: { retail: 45000, wholesale: 42000 }, 3: { credit: 100 } })).toEqual([
      { productId: 3, prices: { credit: 100 } },
      { productId: 12, prices: { retail: 45000, wholesale: 42000 } },
    ]);
    expect(priceChanges({})).toEqual([]);
  });
  it('finds the change a refusal points at', () => {
    const problem = (fields: string[], message: string) => ({ errors: fields.map((field) => ({ field })), message });
    const detail = 'changes[3] (product 12): price_retail 200000000 is above the sanity bound';
    expect(refusalOf(problem(['changes[3].prices.retail'], detail))).toEqual({
      index: 3,
      tier: 'retail',
      text: 'price_retail 200000000 is above the sanity bound',
    });
    expect(refusalOf(problem(['changes[12].productId'], 'changes[12] (product 9): no such product'))).toEqual({
      index: 12,
      tier: null,
      text: 'no such product',
    });
    expect(refusalOf(problem([], 'changes[0] (product 7): duplicate'))).toEqual({
      index: 0,
      tier: null,
      text: 'duplicate',
    });
    expect(refusalOf(problem(['changes'], 'At most 500 changes'))).toBeNull();
    expect(refusalOf(problem([], 'Forbidden'))).toBeNull();
  });
});

describe('parsePercentBp', () => {
  it('reads signed percentages', () => {
    expect(parsePercentBp('-5')).toBe(-500);
    expect(parsePercentBp('−5%')).toBe(-500);
    expect(parsePercentBp('2.5')).toBe(250);
    expect(parsePercentBp('+10,25 %')).toBe(1025);
    expect(parsePercentBp('abc')).toBeNull();
    expect(parsePercentBp('-150')).toBeNull();
  });
});

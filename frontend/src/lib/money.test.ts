import { describe, expect, it } from 'vitest';
import { formatMoney, formatQuantity, lineAmount, parseMoney, parseQuantity, quantityToWire } from './money';

describe('formatMoney', () => {
  it.each([
    [1234, '12.34'],
    [5, '0.05'],
    [0, '0.00'],
    [-1234, '-12.34'],
    [-5, '-0.05'],
    [123456789, '1,234,567.89'],
    [100000, '1,000.00'],
  ])('%i → %s', (minor, text) => expect(formatMoney(minor)).toBe(text));

  it('prefixes the currency code', () => expect(formatMoney(1234, 'LKR')).toBe('LKR 12.34'));
  it('handles currencies without minor digits', () => expect(formatMoney(1500, 'JPY', 0)).toBe('JPY 1,500'));
  it('refuses a float', () => expect(() => formatMoney(12.5)).toThrow(RangeError));
});

describe('parseMoney', () => {
  it.each([
    ['12.34', 1234],
    ['12.3', 1230],
    ['12', 1200],
    ['12.', 1200],
    ['.5', 50],
    [' 0.07 ', 7],
    ['1,234.50', 123450],
    ['-3.10', -310],
    ['0.10', 10], // a float path would be tempted by 0.1 + 0.2 style errors; this is digit arithmetic
    ['90071992547409.91', 9007199254740991],
  ])('%s → %i', (text, minor) => expect(parseMoney(text)).toEqual({ ok: true, value: minor }));

  it.each([
    ['', 'EMPTY'],
    ['  ', 'EMPTY'],
    ['abc', 'FORMAT'],
    ['1.2.3', 'FORMAT'],
    ['.', 'FORMAT'],
    ['1,5', 'FORMAT'],
    ['12,34.5', 'FORMAT'],
    ['1e3', 'FORMAT'],
    ['12.345', 'TOO_MANY_DECIMALS'],
    ['99999999999999999', 'OUT_OF_RANGE'],
  ])('%j is rejected (%s)', (text, error) => expect(parseMoney(text)).toEqual({ ok: false, error }));

  it('follows the currency digits', () => expect(parseMoney('150', 0)).toEqual({ ok: true, value: 150 }));
});

describe('parseQuantity', () => {
  it.each([
    ['1', 1000],
    ['0.75', 750],
    ['1.5', 1500],
    ['0.001', 1],
    ['2.250', 2250],
  ])('%s → %i thousandths', (text, q) => expect(parseQuantity(text)).toEqual({ ok: true, value: q }));

  it('rejects a fourth decimal instead of rounding', () =>
    expect(parseQuantity('1.2345')).toEqual({ ok: false, error: 'TOO_MANY_DECIMALS' }));
  it('rejects zero and negatives', () => {
    expect(parseQuantity('0')).toEqual({ ok: false, error: 'NOT_POSITIVE' });
    expect(parseQuantity('-1')).toEqual({ ok: false, error: 'NOT_POSITIVE' });
  });
});

describe('quantities out', () => {
  it.each([
    [1500, '1.5'],
    [2000, '2'],
    [750, '0.75'],
    [1, '0.001'],
  ])('%i → %s', (q, text) => expect(formatQuantity(q)).toBe(text));

  it('gives the wire number', () => {
    expect(quantityToWire(1234)).toBe(1.234);
    expect(JSON.stringify({ qty: quantityToWire(100) })).toBe('{"qty":0.1}');
  });
});

describe('lineAmount', () => {
  it('multiplies pieces', () => expect(lineAmount(3000, 1999)).toBe(5997));
  it('rounds half-up to the minor unit', () => {
    expect(lineAmount(1, 500)).toBe(1); // 0.5 cent → 1
    expect(lineAmount(1, 499)).toBe(0);
    expect(lineAmount(755, 34000)).toBe(25670); // 0.755 kg at 340.00/kg = 256.70
    expect(lineAmount(333, 1000)).toBe(333);
    expect(lineAmount(1005, 1)).toBe(1); // 1.005 → 1
    expect(lineAmount(1500, 1)).toBe(2); // 1.5 → 2
  });
  it('rounds negatives away from zero', () => expect(lineAmount(-1500, 1)).toBe(-2));
  it('stays exact where floats drift', () => expect(lineAmount(1015, 1000)).toBe(1015));
});

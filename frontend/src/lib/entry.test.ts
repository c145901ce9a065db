import { describe, expect, it } from 'vitest';
import { commandFor } from './entry';

describe('commandFor', () => {
  it('looks up a scan as is', () => {
    expect(commandFor({ kind: 'scan', code: '4791234567890', prefix: '' })).toEqual({
      kind: 'lookup',
      code: '4791234567890',
      qty: null,
    });
  });

  it('takes a typed "N*" before a scan as its quantity', () => {
    expect(commandFor({ kind: 'scan', code: '123456', prefix: '3*' })).toEqual({
      kind: 'lookup',
      code: '123456',
      qty: 3000,
    });
    expect(commandFor({ kind: 'scan', code: '123456', prefix: '0.75*' })).toMatchObject({ qty: 750 });
  });

  it('never guesses a quantity from stray typing before a scan', () => {
    // Digits without '*' stay with the code (a dropped first digit could look up another product; an extra
    // one fails the check digit and the cashier scans again).
    expect(commandFor({ kind: 'scan', code: '123456', prefix: '3' })).toMatchObject({ code: '3123456', qty: null });
    expect(commandFor({ kind: 'scan', code: '123456', prefix: 'x*' })).toMatchObject({ qty: null });
  });

  it('reads typed entries', () => {
    expect(commandFor({ kind: 'entry', text: '2*' })).toEqual({ kind: 'quantity', qty: 2000 });
    expect(commandFor({ kind: 'entry', text: '2*4011' })).toEqual({ kind: 'lookup', code: '4011', qty: 2000 });
    expect(commandFor({ kind: 'entry', text: '4011' })).toEqual({ kind: 'lookup', code: '4011', qty: null });
    expect(commandFor({ kind: 'entry', text: 'red rice' })).toEqual({ kind: 'search', query: 'red rice' });
    expect(commandFor({ kind: 'entry', text: '1.2345*' })).toEqual({ kind: 'invalid', error: 'TOO_MANY_DECIMALS' });
    expect(commandFor({ kind: 'entry', text: '0*' })).toEqual({ kind: 'invalid', error: 'NOT_POSITIVE' });
  });

  it('keeps a late first digit of a scan (slow first keystroke) as part of the code', () => {
    expect(commandFor({ kind: 'scan', code: '799000000238', prefix: '4' })).toEqual({
      kind: 'lookup',
      code: '4799000000238',
      qty: null,
    });
    expect(commandFor({ kind: 'scan', code: '4791000000010', prefix: 'ab' })).toEqual({
      kind: 'lookup',
      code: '4791000000010',
      qty: null,
    });
  });
});

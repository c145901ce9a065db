import { describe, expect, it } from 'vitest';
import { countCash, parseCount, reportText, type ReportLabels, type ShiftReport } from './shifts';

const labels: ReportLabels = {
  title: 'X REPORT',
  shift: 'Shift',
  opened: 'Opened',
  sales: 'Sales',
  discounts: 'Discounts',
  tax: 'Tax',
  total: 'Total',
  refunds: 'Refunds',
  voids: 'Voids',
  noSales: 'No sales',
  cash: 'Cash',
  float: 'Float',
  cashTendered: 'Cash received',
  change: 'Change',
  cashIn: 'Cash in',
  cashOut: 'Cash out',
  drops: 'Drops',
  pickups: 'Pickups',
  petty: 'Petty',
  expected: 'Expected',
  declared: 'Counted',
  variance: 'Variance',
  tender: (m) => m.toUpperCase(),
};

const report: ShiftReport = {
  kind: 'x',
  shiftId: 7,
  zNumber: null,
  terminal: 'LANE-1',
  businessDate: '2026-11-29',
  openedAt: '2026-11-29T02:00:00Z',
  openedBy: 'Cashier One',
  closedAt: null,
  closedBy: null,
  generatedAt: '2026-11-29T03:00:00Z',
  sales: { count: 2, gross: 120000, discounts: 5000, tax: 0, total: 115000, amountDue: 115000 },
  tenders: [{ method: 'cash', count: 2, amount: 115000 }],
  refundTotal: { count: 0, amount: 0 },
  voids: { count: 0, amount: 0 },
  noSales: 1,
  cash: {
    openingFloat: 500000,
    cashTendered: 120000,
    changeGiven: 5000,
    cashRefunds: 0,
    cashIn: 0,
    cashOut: 10000,
    drops: 0,
    pickups: 0,
    petty: 0,
    expected: 605000,
    declared: null,
    variance: null,
    denominations: null,
  },
  currency: 'LKR',
};

describe('shift cash count', () => {
  it('adds up denominations and leaves out zero counts', () => {
    expect(countCash({ 200000: 2, 10000: 1, 2000: 0, 1000: 1 })).toEqual({
      denominations: [
        { value: 200000, count: 2 },
        { value: 10000, count: 1 },
        { value: 1000, count: 1 },
      ],
      total: 411000,
    });
    expect(countCash({})).toEqual({ denominations: [], total: 0 });
  });
  it('reads whole counts only', () => {
    expect(parseCount('')).toBe(0);
    expect(parseCount(' 12 ')).toBe(12);
    expect(parseCount('1.5')).toBeNull();
    expect(parseCount('-1')).toBeNull();
    expect(parseCount('99999999')).toBeNull();
  });
});

describe('X report text', () => {
  it('lines up labels and amounts in 40 columns', () => {
    const text = reportText(report, labels);
    const lines = text.split('\n');
    expect(lines[0]).toBe('X REPORT');
    expect(lines).toContain(`Sales (2)${'1,200.00'.padStart(40 - 9)}`);
    expect(lines).toContain(`CASH (2)${'1,150.00'.padStart(40 - 8)}`);
    expect(text).toContain('Expected');
    expect(text).toContain('6,050.00 LKR');
    expect(text).not.toContain('Counted');
    expect(lines.every((l) => l.length <= 40)).toBe(true);
  });
  it('shows the count and the variance once declared', () => {
    const z = { ...report, cash: { ...report.cash, declared: 604000, variance: -1000 } };
    const text = reportText(z, labels);
    expect(text).toContain(`Counted${'6,040.00'.padStart(33)}`);
    expect(text).toContain(`Variance${'-10.00'.padStart(32)}`);
  });
});

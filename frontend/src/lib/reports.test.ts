import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';
import { CATALOGS } from './i18n';
import {
  bars,
  cellText,
  chartColumns,
  columnKey,
  isNumeric,
  REPORT_COLUMNS,
  REPORT_NAMES,
  reportNameKey,
  reportPath,
  type Report,
} from './reports';

const report = (columns: string[], rows: Report['rows']): Report => ({
  report: 'x',
  from: '2026-11-01',
  to: '2026-11-02',
  timezone: 'Asia/Colombo',
  columns,
  rows,
  totals: {},
  currency: 'LKR',
});

describe('reports', () => {
  it('picks the label and the plotted column', () => {
    expect(chartColumns({ columns: ['hour', 'sales', 'gross', 'amountDue'] })).toEqual({
      label: 'hour',
      value: 'amountDue',
    });
    expect(chartColumns({ columns: ['cashierId', 'cashier', 'sales', 'amountDue'] })).toEqual({
      label: 'cashier',
      value: 'amountDue',
    });
    expect(chartColumns({ columns: ['method', 'count', 'amount'] })).toEqual({ label: 'method', value: 'amount' });
    expect(chartColumns({ columns: ['a', 'b'] })).toBeNull();
  });
  it('formats money, hours and rates', () => {
    expect(cellText('amountDue', 123450, formatMoney)).toBe('1,234.50');
    expect(cellText('sales', 12, formatMoney)).toBe('12');
    expect(cellText('hour', 8, formatMoney)).toBe('08:00');
    expect(cellText('rateBp', 1800, formatMoney)).toBe('18%');
    expect(cellText('name', null, formatMoney)).toBe('');
    expect(cellText('quantity', 1.25, formatMoney)).toBe('1.25');
    expect(cellText('quantity', 3, formatMoney)).toBe('3');
    expect(cellText('quantity', 0.1 + 0.2, formatMoney)).toBe('0.3');
    expect(cellText('voidedAmount', 5000, formatMoney)).toBe('50.00');
  });
  it('names columns and reports through the catalogs, unknown ones by their API name', () => {
    expect(columnKey('netTotal')).toBeNull();
    expect(reportNameKey('no-such-report')).toBeNull();
    const missing = [
      ...[...REPORT_COLUMNS].filter((c) => !CATALOGS.en[columnKey(c) ?? '']),
      ...[...REPORT_NAMES].filter((n) => !CATALOGS.en[reportNameKey(n) ?? '']),
    ];
    expect(missing).toEqual([]);
    expect(CATALOGS.en[reportNameKey('shift-variances') ?? '']).toBe('Shift cash variances');
    expect(CATALOGS.en['reports.col.amountDue']).toBe('Amount due');
  });
  it('right-aligns money, quantity and count columns', () => {
    const r = report(['name', 'lines', 'quantity', 'total'], [{ name: 'Rice', lines: 2, quantity: 1.5, total: 100 }]);
    expect(r.columns.filter((c) => isNumeric(r, c))).toEqual(['lines', 'quantity', 'total']);
    expect(isNumeric(report(['total'], []), 'total')).toBe(true);
    expect(isNumeric(report(['hour'], [{ hour: 8 }]), 'hour')).toBe(false);
  });
  it('scales bars to the largest absolute value', () => {
    const b = bars(
      report(
        ['cashier', 'variance'],
        [
          { cashier: 'A', variance: -500 },
          { cashier: 'B', variance: 1000 },
        ],
      ),
      formatMoney,
    );
    expect(b).toEqual([
      { label: 'A', value: -500, share: 0.5 },
      { label: 'B', value: 1000, share: 1 },
    ]);
  });
  it('builds the query', () => {
    expect(reportPath('sales-by-period', '2026-11-01', '2026-11-30', 'week', true)).toBe(
      '/api/reports/sales-by-period?from=2026-11-01&to=2026-11-30&period=week&format=csv',
    );
    expect(reportPath('tax', '2026-11-01', '2026-11-01', 'day')).toBe('/api/reports/tax?from=2026-11-01&to=2026-11-01');
    expect(reportPath('tax', '', '', 'day')).toBe('/api/reports/tax?');
  });
});

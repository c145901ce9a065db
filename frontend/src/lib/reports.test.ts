import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';
import { bars, cellText, chartColumns, reportPath, type Report } from './reports';

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

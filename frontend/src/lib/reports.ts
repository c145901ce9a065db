/**
 * Reports from `GET /api/reports/{name}` (one generic table): which column labels a chart, which one it plots, the
 * translation key of a column's header and of a report's name, and how a cell is shown (money, quantity, hour…).
 */
import { formatQuantity } from './money';
import type { MessageKey } from './i18n';

export type Cell = number | string | null;

export interface Report {
  report: string;
  from: string;
  to: string;
  timezone: string;
  columns: string[];
  rows: Record<string, Cell>[];
  totals: Record<string, Cell>;
  currency: string;
}

/** Columns in minor units of money (shown as 1,234.50); the others are counts, names or ids. */
export const MONEY_COLUMNS = new Set([
  'gross',
  'discounts',
  'net',
  'tax',
  'total',
  'cashRounding',
  'amountDue',
  'voidedAmount',
  'amount',
  'tendered',
  'change',
  'taxable',
  'refunded',
  'expected',
  'declared',
  'variance',
  'amountDueTotal',
  'openingFloat',
]);

/** Quantities sent as numbers of units with up to 3 decimals (kg for weighed items): shown as 1.25, 3 or 0.75. */
export const QUANTITY_COLUMNS = new Set(['quantity']);

/** Every column a report can have, with a translated header (`reports.col.<column>`). */
export const REPORT_COLUMNS = new Set([
  'period',
  'day',
  'hour',
  'tier',
  'cashierId',
  'cashier',
  'terminalId',
  'terminal',
  'productId',
  'name',
  'categoryId',
  'category',
  'kind',
  'ruleId',
  'text',
  'rateBp',
  'method',
  'reason',
  'shiftId',
  'zNumber',
  'openedAt',
  'closedAt',
  'sales',
  'voids',
  'lines',
  'uses',
  'count',
  ...MONEY_COLUMNS,
  ...QUANTITY_COLUMNS,
]);

/** The i18n key of a column's header; null for a column this client does not know (shown as it is named). */
export function columnKey(column: string): MessageKey | null {
  return REPORT_COLUMNS.has(column) ? (`reports.col.${column}` as MessageKey) : null;
}

/** The report names of `GET /api/reports` with a translated title (`reports.name.<name>`). */
export const REPORT_NAMES = new Set([
  'sales-by-period',
  'sales-by-hour',
  'sales-by-tier',
  'sales-by-category',
  'top-products',
  'sales-by-cashier',
  'sales-by-terminal',
  'discounts',
  'tax',
  'tenders',
  'returns-by-reason',
  'voids',
  'shift-variances',
]);

/** The i18n key of a report's title; null for a report this client does not know (shown by its name). */
export function reportNameKey(name: string): MessageKey | null {
  return REPORT_NAMES.has(name) ? (`reports.name.${name}` as MessageKey) : null;
}

/** A column of figures to right-align: money, quantities, counts, ids; not the hour, which labels a row (08:00). */
export const isNumeric = (r: Pick<Report, 'rows'>, column: string): boolean =>
  column !== 'hour' &&
  (MONEY_COLUMNS.has(column) || QUANTITY_COLUMNS.has(column) || r.rows.some((row) => typeof row[column] === 'number'));

const LABELS = [
  'period',
  'day',
  'hour',
  'tier',
  'cashier',
  'terminal',
  'name',
  'category',
  'text',
  'method',
  'reason',
  'rateBp',
];
const VALUES = ['amountDue', 'total', 'amount', 'variance', 'refunded', 'tax', 'net'];

/** The column that names a bar and the column its length shows (null when the report has nothing to plot). */
export function chartColumns(r: Pick<Report, 'columns'>): { label: string; value: string } | null {
  const label = LABELS.find((c) => r.columns.includes(c)) ?? r.columns[0];
  const value = VALUES.find((c) => r.columns.includes(c));
  return label && value ? { label, value } : null;
}

/** A cell as text: money with two decimals, quantities with up to 3, hours as 08:00, basis points as a percentage. */
export function cellText(column: string, v: Cell, format: (minor: number) => string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && MONEY_COLUMNS.has(column)) return format(v);
  if (typeof v === 'number' && QUANTITY_COLUMNS.has(column)) return formatQuantity(Math.round(v * 1000));
  if (column === 'hour' && typeof v === 'number') return `${String(v).padStart(2, '0')}:00`;
  if (column === 'rateBp' && typeof v === 'number') return `${(v / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
  return String(v);
}

export interface Bar {
  label: string;
  value: number;
  /** Length as a share of the largest |value|, 0…1. */
  share: number;
}

/** The bars of a report (at most `max`, in the report's order). */
export function bars(r: Report, format: (minor: number) => string, max = 31): Bar[] {
  const cols = chartColumns(r);
  if (!cols) return [];
  const rows = r.rows.slice(0, max);
  const values = rows.map((row) => (typeof row[cols.value] === 'number' ? (row[cols.value] as number) : 0));
  const top = Math.max(1, ...values.map(Math.abs));
  return rows.map((row, i) => ({
    label: cellText(cols.label, row[cols.label] ?? null, format),
    value: values[i] ?? 0,
    share: Math.abs(values[i] ?? 0) / top,
  }));
}

/** The query string of a report: range (empty = the server's default, today), period, limit, optional CSV. */
export function reportPath(name: string, from: string, to: string, period: string, csv = false): string {
  const q = new URLSearchParams();
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  if (name === 'sales-by-period') q.set('period', period);
  if (name === 'top-products' || name === 'sales-by-category') q.set('limit', '50');
  if (csv) q.set('format', 'csv');
  return `/api/reports/${encodeURIComponent(name)}?${q.toString()}`;
}
